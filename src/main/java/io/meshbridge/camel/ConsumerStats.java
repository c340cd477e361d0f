package io.meshbridge.camel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * What the {@link MeshConsumer}s of one route did with their deliveries since the route was created, counted by
 * this worker only (other workers on the same durable count their own): deliveries received, and how each ended.
 * Kept by the endpoint, so a restart of the route (Camel creates a new consumer for each start) goes on counting.
 *
 * <p>Every delivery ends in exactly one of {@link #acknowledged()}, {@link #retried()} (negatively
 * acknowledged with a delay after a failed attempt), {@link #returned()} (handed back without processing, at
 * a stop), {@link #deadLettered()} (written to the dead-letter stream and terminated) or
 * {@link #terminatedAgain()}, unless its settlement is still to come or the process dies first.
 * {@link #failed()} counts the failed attempts (a failed exchange, then retried or dead-lettered), so
 * {@code failed <= retried + deadLettered}. {@link #failuresSinceAck()} counts the failed attempts since the
 * last acknowledgement: how long the consumer has been failing without a success in between.
 *
 * <p>Thread-safe and cheap: one {@link LongAdder} increment per event, plus the time of the last settlement
 * and an optional latency sink (set by whoever exports the counts; it runs on the settling thread and must be
 * as cheap).
 */
public final class ConsumerStats {

    private final LongAdder delivered = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder returned = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder terminatedAgain = new LongAdder();
    private final AtomicLong failuresSinceAck = new AtomicLong();
    private final long createdNanos = System.nanoTime();
    private volatile long lastSettledNanos;
    private volatile LongConsumer latencySink;

    /** Deliveries received (redeliveries included). */
    public long delivered() {
        return delivered.sum();
    }

    /** Deliveries acknowledged (processed, or skipped as replays). */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Attempts whose exchange failed. */
    public long failed() {
        return failed.sum();
    }

    /** Deliveries returned with a delay to be retried (failed attempts, dead letters that could not be written). */
    public long retried() {
        return retried.sum();
    }

    /** Deliveries handed back without processing (at a stop or suspend). */
    public long returned() {
        return returned.sum();
    }

    /** Deliveries written to the dead-letter stream and terminated. */
    public long deadLettered() {
        return deadLettered.sum();
    }

    /**
     * Failed attempts since the last acknowledgement (of any delivery, a skipped replay included), or since the
     * route was created: 0 once any delivery succeeds. With several dispatching threads an acknowledgement and
     * a failure settling at the same moment may be counted in either order.
     */
    public long failuresSinceAck() {
        return failuresSinceAck.get();
    }

    /** {@link System#nanoTime()} of the last settlement, or of the route's creation when none yet. */
    public long lastSettledNanos() {
        long last = lastSettledNanos;
        return last == 0 ? createdNanos : last;
    }

    /**
     * Receives, for every settlement, the nanoseconds from the delivery's arrival to its settlement; {@code null}
     * for none. Called on the settling thread: must not block.
     */
    public void latencySink(LongConsumer sink) {
        this.latencySink = sink;
    }

    /**
     * Deliveries of messages dead-lettered earlier, terminated again without processing or a second dead
     * letter (nats-server 2.9 may deliver a terminated message once more).
     */
    public long terminatedAgain() {
        return terminatedAgain.sum();
    }

    void countDelivery() {
        delivered.increment();
    }

    void countFailure() {
        failed.increment();
        failuresSinceAck.incrementAndGet();
    }

    /** How a delivery was settled. */
    enum Outcome { ACKNOWLEDGED, RETRIED, RETURNED, DEAD_LETTERED, TERMINATED_AGAIN }

    void settled(Outcome outcome, long receivedNanos) {
        switch (outcome) {
            case ACKNOWLEDGED -> {
                acknowledged.increment();
                failuresSinceAck.set(0);
            }
            case RETRIED -> retried.increment();
            case RETURNED -> returned.increment();
            case DEAD_LETTERED -> deadLettered.increment();
            case TERMINATED_AGAIN -> terminatedAgain.increment();
        }
        long now = System.nanoTime();
        lastSettledNanos = now == 0 ? 1 : now;
        LongConsumer sink = latencySink;
        if (sink != null) {
            sink.accept(now - receivedNanos);
        }
    }
}
