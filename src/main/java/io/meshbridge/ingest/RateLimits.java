package io.meshbridge.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets, one per client key (a token's name, or a client address): each holds up to {@code perSecond}
 * requests and refills at {@code perSecond} requests a second. {@code 0} turns the limit off. At most
 * {@value #MAX_KEYS} keys are tracked; beyond that the buckets are reset (a client then gets one fresh burst),
 * so unauthenticated clients cannot grow the map without bound. Thread-safe.
 */
final class RateLimits {

    static final int MAX_KEYS = 10_000;

    private final int perSecond;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimits(int perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
    }

    /** Whether the client {@code key} may make one more request now (and takes it). */
    boolean tryAcquire(String key) {
        if (perSecond == 0) {
            return true;
        }
        if (buckets.size() >= MAX_KEYS && !buckets.containsKey(key)) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(perSecond, nanoTime.getAsLong()))
                .tryTake(perSecond, nanoTime.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.last = now;
        }

        synchronized boolean tryTake(int perSecond, long now) {
            tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
