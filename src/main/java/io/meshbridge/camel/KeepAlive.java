package io.meshbridge.camel;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running exchanges of a {@link MeshConsumer} from being redelivered: every sixth of
 * {@code ackWait} it sends "in progress" for each delivery that has not been acknowledged for a third of
 * {@code ackWait}, but only for up to {@code maxProcessingTime} after the delivery arrived. A delivery past
 * that is no longer extended (logged once and counted): the server redelivers its message after
 * {@code ackWait}, so a hung step cannot hold a message and a place in the window forever.
 * {@code maxProcessingTime} zero extends every delivery for as long as it runs.
 *
 * <p>Runs on one thread ({@code MeshProgress[<durable>]}) from {@link #start} to {@link #stop}, for the whole
 * time the consumer is started, whether or not it is fetching, so exchanges still running across a suspend and
 * resume stay covered. Thread-safe.
 */
final class KeepAlive {

    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);

    private final Collection<Delivery> inFlight;
    private final String durable;
    private final long progressAfterNanos;
    private final long tickNanos;
    private final long maxProcessingNanos;
    private final AtomicLong abandoned = new AtomicLong();
    private ScheduledExecutorService thread;
    private ExecutorServiceManager executors;

    KeepAlive(Collection<Delivery> inFlight, String durable, Duration ackWait, Duration maxProcessingTime) {
        this.inFlight = inFlight;
        this.durable = durable;
        this.progressAfterNanos = ackWait.toNanos() / 3;
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(20), ackWait.toNanos() / 6);
        this.maxProcessingNanos = maxProcessingTime.toNanos();
    }

    synchronized void start(ExecutorServiceManager executors, Object owner) {
        if (thread == null) {
            this.executors = executors;
            thread = executors.newSingleThreadScheduledExecutor(owner, "MeshProgress[" + durable + "]");
            thread.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    synchronized void stop() {
        if (thread != null) {
            executors.shutdown(thread);
            thread = null;
        }
    }

    /** Deliveries no longer kept alive because they ran past {@code maxProcessingTime}. */
    long abandoned() {
        return abandoned.get();
    }

    /** One round: "in progress" for each delivery due, nothing for those past their time. */
    void tick() {
        long now = System.nanoTime();
        for (Delivery d : inFlight) {
            if (d.isAbandoned() || now - d.lastProgressNanos() < progressAfterNanos) {
                continue;
            }
            if (maxProcessingNanos > 0 && now - d.receivedNanos() >= maxProcessingNanos) {
                d.abandon();
                abandoned.incrementAndGet();
                LOG.warn("{} of durable {} has been processed for longer than maxProcessingTime ({} s); no longer"
                        + " keeping it: the server redelivers it after ackWait", d, durable,
                        TimeUnit.NANOSECONDS.toSeconds(maxProcessingNanos));
                continue;
            }
            try {
                d.message().inProgress();
            } catch (RuntimeException e) {
                LOG.debug("Could not send progress for {}: {}", d, e.toString());
            }
            d.progressed(now);
        }
    }
}
