package io.meshbridge.camel;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the emits of the {@code mesh:} producers ({@code mesh:emit}, {@code mesh:user/<topic>}) of a
 * Camel context, by the route that sent them: stored, duplicates (the id was stored already) and failed.
 * The producers count only when one is bound in the registry as {@value #BEAN} (the worker binds one).
 *
 * <p>Thread-safe; one map lookup and one {@link LongAdder} increment per emit.
 */
public final class EmitStats {

    /** The registry name under which the producers look for it. */
    public static final String BEAN = "meshEmitStats";

    /** One route's counts. */
    public static final class Counts {
        private final LongAdder stored = new LongAdder();
        private final LongAdder duplicates = new LongAdder();
        private final LongAdder failed = new LongAdder();

        /** Emits the stream stored. */
        public long stored() {
            return stored.sum();
        }

        /** Emits whose id the stream had stored already (not stored again). */
        public long duplicates() {
            return duplicates.sum();
        }

        /** Emits that failed (no acknowledgement within the emit timeout, or a body that is not an event). */
        public long failed() {
            return failed.sum();
        }
    }

    private final Map<String, Counts> byRoute = new ConcurrentHashMap<>();

    /** The counts of each route that emitted, by route id ({@code ""} for an exchange without one). */
    public Map<String, Counts> byRoute() {
        return new TreeMap<>(byRoute);
    }

    /** The counts of {@code route}, created on first use. */
    public Counts of(String route) {
        return byRoute.computeIfAbsent(route == null ? "" : route, r -> new Counts());
    }

    void emitted(String route, boolean duplicate) {
        Counts c = of(route);
        (duplicate ? c.duplicates : c.stored).increment();
    }

    void failed(String route) {
        of(route).failed.increment();
    }
}
