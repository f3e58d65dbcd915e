package dev.rtca.runtime;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Work a function runs once before SnapStart takes its snapshot, so the restored function starts with its
 * classes loaded and initialised (JSON, validation, the DynamoDB client's HTTP path). The handler keeps the
 * returned object: CRaC holds registered resources only weakly.
 */
public final class Priming implements Resource {
    private final Runnable work;

    private Priming(Runnable work) {
        this.work = work;
    }

    public static Priming register(Runnable work) {
        Priming priming = new Priming(work);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        work.run();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: the clients hold no per-instance state that expires
    }
}
