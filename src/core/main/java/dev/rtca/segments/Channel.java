package dev.rtca.segments;

/** The channels real-time contact analysis supports (RealTimeContactAnalysisSupportedChannel). */
public enum Channel { VOICE, CHAT }
