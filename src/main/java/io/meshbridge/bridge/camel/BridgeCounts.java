package io.meshbridge.bridge.camel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a bridge step did since its start: messages the broker (outbound) or the stream (inbound) confirmed,
 * messages the loop guard held back (returned to their own mesh; from another mesh while
 * {@code forwardBridged} is off), failed attempts and dead letters. Thread-safe.
 */
public final class BridgeCounts {

    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong returned = new AtomicLong();
    private final AtomicLong bridged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    void confirmed() {
        confirmed.incrementAndGet();
    }

    void returned() {
        returned.incrementAndGet();
    }

    void bridged() {
        bridged.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    void deadLettered() {
        deadLettered.incrementAndGet();
    }

    /** Sent and confirmed by the broker (outbound), or stored by the stream (inbound). */
    public long confirmedCount() {
        return confirmed.get();
    }

    /** Held back by the loop guard: they carried this mesh's own marker. */
    public long returnedCount() {
        return returned.get();
    }

    /** Held back by the loop guard: they came from another mesh and {@code forwardBridged} is off. */
    public long bridgedCount() {
        return bridged.get();
    }

    /** Attempts that failed (each is retried or dead-lettered). */
    public long failedCount() {
        return failed.get();
    }

    /** Inbound messages written to the dead-letter stream. */
    public long deadLetteredCount() {
        return deadLettered.get();
    }

    @Override
    public String toString() {
        return "confirmed " + confirmed + ", held back " + returned + " returned and " + bridged + " bridged, failed "
                + failed + ", dead-lettered " + deadLettered;
    }
}
