package io.meshbridge.camel;

import java.util.function.Supplier;

/**
 * Whether a {@link MeshConsumer} fetches: Camel's say (started, not suspended or stopping) and the connector's
 * pause decide together, one change at a time under one lock, so a resume of the route and a pause arriving on
 * the pause's thread never leave the fetcher in the state neither asked for. Thread-safe.
 */
final class FetchSwitch {

    private final Object lock = new Object();
    private final Runnable start;
    private final Runnable stop;
    private final Supplier<ConnectorPause> pause;
    private boolean allowed; // guarded by lock

    /** A switch calling {@code start} or {@code stop} as Camel's say and {@code pause} (null: none yet) decide. */
    FetchSwitch(Runnable start, Runnable stop, Supplier<ConnectorPause> pause) {
        this.start = start;
        this.stop = stop;
        this.pause = pause;
    }

    /** Applies Camel's say {@code allowedNow} ({@code null} keeps the last, after a change of the pause). */
    void set(Boolean allowedNow) {
        synchronized (lock) {
            allowed = allowedNow != null ? allowedNow : allowed;
            ConnectorPause p = pause.get();
            if (allowed && (p == null || !p.paused())) {
                start.run();
            } else {
                stop.run();
            }
        }
    }
}
