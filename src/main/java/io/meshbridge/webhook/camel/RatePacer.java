package io.meshbridge.webhook.camel;

/**
 * Spaces request starts to at most {@code perSecond} per second: {@link #reserve} books the next free slot and
 * says how long to wait for it (0 when the rate is not reached). Bursts are not saved up: an idle endpoint gets
 * its next request at once, then one per interval. Thread-safe.
 */
final class RatePacer {

    private final long intervalNanos;
    private long nextSlot;

    /** A pacer of {@code perSecond} starts per second (0: unlimited), its clock at {@code nowNanos}. */
    RatePacer(int perSecond, long nowNanos) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("perSecond must not be negative, was " + perSecond);
        }
        this.intervalNanos = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
        this.nextSlot = nowNanos; // nanoTime may have any origin, negative too
    }

    /** Books a slot at or after {@code nowNanos}; returns the nanoseconds to wait for it. */
    synchronized long reserve(long nowNanos) {
        if (intervalNanos == 0) {
            return 0;
        }
        long slot = nextSlot - nowNanos > 0 ? nextSlot : nowNanos;
        nextSlot = slot + intervalNanos;
        return slot - nowNanos;
    }
}
