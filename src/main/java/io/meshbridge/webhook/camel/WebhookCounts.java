package io.meshbridge.webhook.camel;

import io.meshbridge.webhook.Outcome;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of one webhook producer's attempts: by outcome kind and by HTTP status (0 for no answer), and their
 * total latency. Thread-safe.
 */
public final class WebhookCounts {

    private final Map<Outcome.Kind, LongAdder> byKind = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final LongAdder latencyMicros = new LongAdder();

    void record(Outcome outcome) {
        byKind.computeIfAbsent(outcome.kind(), k -> new LongAdder()).increment();
        byStatus.computeIfAbsent(outcome.status(), k -> new LongAdder()).increment();
        latencyMicros.add(outcome.latency().toNanos() / 1000);
    }

    /** Attempts that came to {@code kind}. */
    public long of(Outcome.Kind kind) {
        LongAdder n = byKind.get(kind);
        return n == null ? 0 : n.sum();
    }

    /** Attempts so far. */
    public long attempts() {
        return byKind.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Attempts by HTTP status, 0 for no answer. */
    public Map<Integer, Long> byStatus() {
        Map<Integer, Long> out = new TreeMap<>();
        byStatus.forEach((status, n) -> out.put(status, n.sum()));
        return out;
    }

    /** The attempts' total latency in microseconds. */
    public long latencyMicros() {
        return latencyMicros.sum();
    }
}
