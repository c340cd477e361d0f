package io.meshbridge.bench;

import java.util.List;

/**
 * Sizes of a run, from system properties: {@code bench.quick=true} for a smoke run, and each size
 * separately ({@code bench.rounds}, {@code bench.core.n}, {@code bench.async.n}, {@code bench.history.queries},
 * {@code bench.history.refQueries}, {@code bench.history.events}); {@code bench.only=core,async,history}
 * runs only the parts named.
 *
 * @param rounds         counted rounds per side (after one warm-up round)
 * @param coreN          core emits per round
 * @param asyncN         acknowledged emits per round
 * @param historyEvents  events in the stream for the history queries
 * @param queries        product history queries per round (each of the matching and the no-match query)
 * @param refQueries     reference-algorithm queries per round (about 500 ms each)
 * @param only           the parts to run (core, async, history), empty for all
 */
record BenchConfig(int rounds, int coreN, int asyncN, int historyEvents, int queries, int refQueries,
                   String only) {

    static BenchConfig fromSystemProperties() {
        boolean quick = Boolean.getBoolean("bench.quick");
        return new BenchConfig(
                Integer.getInteger("bench.rounds", quick ? 3 : 5),
                Integer.getInteger("bench.core.n", quick ? 100_000 : 500_000),
                Integer.getInteger("bench.async.n", quick ? 20_000 : 100_000),
                Integer.getInteger("bench.history.events", 10_000),
                Integer.getInteger("bench.history.queries", quick ? 50 : 200),
                Integer.getInteger("bench.history.refQueries", quick ? 1 : 4),
                System.getProperty("bench.only", ""));
    }

    boolean runs(String part) {
        return only.isBlank() || List.of(only.split(",")).contains(part);
    }
}
