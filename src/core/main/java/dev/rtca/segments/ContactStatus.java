package dev.rtca.segments;

/** RealTimeContactAnalysisStatus. A contact only moves from IN_PROGRESS to one of the terminal states. */
public enum ContactStatus {
    IN_PROGRESS, FAILED, COMPLETED;

    public boolean isTerminal() {
        return this != IN_PROGRESS;
    }
}
