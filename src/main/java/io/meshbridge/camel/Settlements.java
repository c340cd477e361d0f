package io.meshbridge.camel;

import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link MeshConsumer} ends each delivery: acknowledge, negatively acknowledge with a delay, or
 * dead-letter to {@value MeshConstants#DLQ_STREAM} and then terminate, never before the dead letter's own
 * acknowledgement. Every outcome is counted in {@link ConsumerStats} and calls {@code settle} exactly once for
 * the delivery, the first time it is settled; an acknowledgement is sent in a burst by its {@link AckSender},
 * and the delivery is settled once it was sent. Thread-safe: called from the route's completion threads and from
 * jnats' callback threads. {@link #close()} at the consumer's stop sends the acknowledgements still queued.
 */
final class Settlements {

    private static final Logger LOG = LoggerFactory.getLogger(Settlements.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final JetStream js;
    private final String deadLetterSubject;
    private final String routeLabel;
    private final String durable;
    private final Duration deadLetterRetry;
    private final Consumer<Delivery> settle;
    private final ConsumerStats stats;
    private final AckSender acks;
    /** Sequences whose dead letter could not be written yet, with the reason, to retry on redelivery. */
    private final Map<Long, String> pendingDeadLetters = new ConcurrentHashMap<>();
    /**
     * Sequences dead-lettered and terminated, most recent last. nats-server 2.9 may deliver a terminated
     * message once more (as a first delivery) when an earlier delivery of it was held by a consumer that
     * died; such a delivery is terminated again instead of being processed.
     */
    private final Set<Long> terminated = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<Long, Boolean>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            }));

    /** Set once anything entered {@link #terminated} or {@link #pendingDeadLetters} (never unset). */
    private volatile boolean remembering;

    Settlements(JetStream js, String deadLetterSubject, String routeLabel, String durable,
                Duration deadLetterRetry, ConsumerStats stats, Consumer<Delivery> settle,
                ExecutorServiceManager executors, Object owner) {
        this.js = js;
        this.deadLetterSubject = deadLetterSubject;
        this.routeLabel = routeLabel;
        this.durable = durable;
        this.deadLetterRetry = deadLetterRetry;
        this.settle = settle;
        this.stats = stats;
        this.acks = new AckSender(durable, d -> finish(d, ConsumerStats.Outcome.ACKNOWLEDGED), executors, owner);
    }

    /** Sends the acknowledgements still queued; later ones are sent at once. */
    void close() {
        acks.close();
    }

    /**
     * Ends a delivery of a message already dead-lettered (terminated again) or whose dead letter is still to
     * be written (written now), without processing; returns whether it did.
     */
    boolean settledEarlier(Delivery d) {
        if (!remembering) {
            return false; // nothing dead-lettered yet: no lock and no boxed sequence per delivery
        }
        if (terminated.contains(d.sequence())) {
            LOG.debug("{} was dead-lettered already; terminating it again", d);
            terminate(d, ConsumerStats.Outcome.TERMINATED_AGAIN);
            return true;
        }
        String deadLetterReason = pendingDeadLetters.get(d.sequence());
        if (deadLetterReason != null) {
            deadLetter(d, deadLetterReason);
            return true;
        }
        return false;
    }

    void ack(Delivery d) {
        acks.ack(d);
    }

    /** Hands a delivery back at once, without processing it (at a stop). */
    void handBack(Delivery d) {
        nak(d, Duration.ZERO, ConsumerStats.Outcome.RETURNED);
    }

    /** Returns a delivery to be retried after {@code delay}. */
    void nak(Delivery d, Duration delay) {
        nak(d, delay, ConsumerStats.Outcome.RETRIED);
    }

    private void nak(Delivery d, Duration delay, ConsumerStats.Outcome outcome) {
        try {
            if (delay.isZero()) {
                d.message().nak();
            } else {
                d.message().nakWithDelay(delay);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not return {}: {}; the server will redeliver it after ackWait", d, e.toString());
        } finally {
            finish(d, outcome);
        }
    }

    void deadLetter(Delivery d, String error) {
        Message letter = DeadLetters.message(d, deadLetterSubject, routeLabel, durable, error);
        PublishOptions options = PublishOptions.builder().expectedStream(MeshConstants.DLQ_STREAM).build();
        try {
            js.publishAsync(letter, options)
                    .orTimeout(DeadLetters.WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((ack, failure) -> {
                        if (failure == null) {
                            pendingDeadLetters.remove(d.sequence());
                            LOG.warn("Dead-lettered {} from route {} to {} (sequence {} there): {}", d, routeLabel,
                                    deadLetterSubject, ack.getSeqno(), error);
                            terminate(d, ConsumerStats.Outcome.DEAD_LETTERED);
                        } else {
                            deadLetterFailed(d, error, failure);
                        }
                    });
        } catch (RuntimeException e) {
            deadLetterFailed(d, error, e);
        }
    }

    private void deadLetterFailed(Delivery d, String error, Throwable failure) {
        if (pendingDeadLetters.size() < MAX_REMEMBERED) {
            pendingDeadLetters.put(d.sequence(), error);
            remembering = true;
        }
        Duration delay = deadLetterRetry;
        LOG.error("Could not write the dead letter of {} to {}: {}; retrying in {}", d, MeshConstants.DLQ_STREAM,
                failure.toString(), delay);
        nak(d, delay);
    }

    private void terminate(Delivery d, ConsumerStats.Outcome outcome) {
        terminated.add(d.sequence());
        remembering = true;
        try {
            d.message().term();
        } catch (RuntimeException e) {
            LOG.warn("Could not terminate {} after dead-lettering it: {}; its redelivery is dead-lettered again"
                    + " (stored once)", d, e.toString());
        } finally {
            finish(d, outcome);
        }
    }

    /** Counts the settlement and tells the consumer, once per delivery. */
    private void finish(Delivery d, ConsumerStats.Outcome outcome) {
        if (d.settle()) {
            stats.settled(outcome, d.receivedNanos());
            settle.accept(d);
        }
    }
}
