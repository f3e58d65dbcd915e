package dev.rtca.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Work a function runs once before SnapStart takes its snapshot, so the restored function starts with its
 * classes loaded and initialised (event binding, JSON, validation, the DynamoDB client's HTTP path). Registered from
 * the handlers' Lambda constructors only: Lambda builds one handler per JVM.
 */
public final class Priming implements Resource {
    /** CRaC holds registered resources only weakly: the registered work is held here, for the life of the JVM. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final Runnable work;

    private Priming(Runnable work) {
        this.work = work;
    }

    /** Runs {@code work} before a snapshot is taken (never, where there is none). */
    public static void beforeSnapshot(Runnable work) {
        Priming priming = new Priming(work);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    /**
     * Runs every registered priming now, as a snapshot would: for measuring what a restored function's first request
     * costs once its priming has run (the cold-start benchmark). A function never calls it.
     */
    public static void primeNow() {
        REGISTERED.forEach(priming -> priming.work.run());
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
