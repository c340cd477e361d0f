package io.meshbridge.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link MeshConsumer}'s acknowledgements in bursts from one thread ({@code MeshAcks[<durable>]}): an
 * acknowledgement waits at most {@link #LINGER_NANOS} (plus the thread's wake-up) with those that follow it, then
 * all of them are handed to jnats one after the other, so its writer sends them in one write and the server
 * reads them in one read. Each message is still acknowledged on its own, and only after its exchange completed.
 *
 * <p>Why: a route whose exchanges complete on many threads (a webhook's 16 requests in flight, a broker's
 * confirmation callbacks) acknowledged each message as it completed, so jnats' writer woke, wrote and the server
 * read once per message. Sent in bursts, the webhook route's throughput against a bare HTTP client rose from
 * 0.50-0.57 to 0.63-0.69, and the MQTT bridge's against paho from about 0.6 to 0.8 ({@code BENCHMARKS.md}).
 *
 * <p>{@code sent} is called for each delivery once its acknowledgement was handed to jnats (or failed), on the
 * sending thread: the delivery counts as unsettled until then, so the window and a graceful shutdown's wait
 * cover acknowledgements not yet sent. After {@link #close()}, which sends what is left, acknowledgements are
 * sent at once on the caller's thread. Thread-safe.
 */
final class AckSender implements AutoCloseable {

    /** How long the first acknowledgement of a burst waits for others: 1 ms. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_BURST = 4096;
    private static final long CLOSE_WAIT_MILLIS = 2000;
    /** Queued by {@link #close()} to wake the thread. */
    private static final Object WAKE = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(AckSender.class);

    /** Deliveries to acknowledge, and {@link #WAKE}. */
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final long lingerNanos;
    private final Consumer<Delivery> sent;
    private final ExecutorServiceManager executors;
    private final ExecutorService thread;
    private volatile boolean closed;
    private volatile Thread sender;

    /** Starts the sending thread, owned by {@code owner} in Camel's executor service manager. */
    AckSender(String durable, Consumer<Delivery> sent, ExecutorServiceManager executors, Object owner) {
        this(durable, LINGER_NANOS, sent, executors, owner);
    }

    /** With another linger than {@link #LINGER_NANOS} (tests). */
    AckSender(String durable, long lingerNanos, Consumer<Delivery> sent, ExecutorServiceManager executors,
              Object owner) {
        this.lingerNanos = lingerNanos;
        this.sent = sent;
        this.executors = executors;
        this.thread = executors.newSingleThreadExecutor(owner, "MeshAcks[" + durable + "]");
        thread.execute(this::run);
    }

    /** Acknowledges {@code d} within about {@link #LINGER_NANOS}, or at once when closed. Any thread. */
    void ack(Delivery d) {
        if (closed) {
            send(d);
            return;
        }
        queue.add(d);
        if (closed) {
            // close() may have drained the queue before this delivery was added
            sendQueued();
        }
    }

    /** Stops the thread and sends what is queued, on the caller's thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        queue.add(WAKE);
        Thread lingering = sender;
        if (lingering != null) {
            LockSupport.unpark(lingering); // ends a linger at once
        }
        executors.shutdown(thread);
        try {
            thread.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sendQueued();
    }

    private void run() {
        sender = Thread.currentThread();
        List<Object> burst = new ArrayList<>();
        while (!closed) {
            try {
                burst.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            LockSupport.parkNanos(lingerNanos);
            queue.drainTo(burst, MAX_BURST);
            for (Object o : burst) {
                sendUnlessWake(o);
            }
            burst.clear();
        }
    }

    private void sendQueued() {
        for (Object o = queue.poll(); o != null; o = queue.poll()) {
            sendUnlessWake(o);
        }
    }

    private void sendUnlessWake(Object o) {
        if (o != WAKE) {
            send((Delivery) o);
        }
    }

    /** Never throws: a failure here must not end the sending thread, which every later acknowledgement needs. */
    private void send(Delivery d) {
        try {
            d.message().ack();
        } catch (RuntimeException e) {
            LOG.warn("Could not acknowledge {}: {}; the server will redeliver it", d, e.toString());
        }
        try {
            sent.accept(d);
        } catch (RuntimeException e) {
            LOG.error("Could not settle {} after acknowledging it", d, e);
        }
    }
}
