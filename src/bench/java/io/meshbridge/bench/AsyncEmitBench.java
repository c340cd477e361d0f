package io.meshbridge.bench;

import io.meshbridge.events.Bus;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.NUID;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Acknowledged asynchronous emit: {@link PersistentBus#emitAsync} with {@code maxInFlight} W against raw
 * {@code js.publishAsync} of the same events pre-serialised, kept to W in flight by a semaphore. Both write
 * into the same stream (file storage, no limits), purged before every round; a round ends when every
 * acknowledgement is in, and the stream must then hold exactly N messages.
 */
final class AsyncEmitBench {

    private static final Duration ALL_ACKED = Duration.ofSeconds(120);

    private final JetStreamManagement jsm;
    private final JetStream js;
    private final int n;
    private final int window;
    private final PersistentBus bus;
    private final Event[] events = SampleEvents.ALL.toArray(new Event[0]);
    private final SampleEvents.Wire wire;

    AsyncEmitBench(Connection connection, int n, int window) throws Exception {
        this.jsm = connection.jetStreamManagement();
        this.js = connection.jetStream();
        this.n = n;
        this.window = window;
        this.bus = PersistentBus.open(connection, "bench", config(window));
        this.wire = SampleEvents.wire(bus.bus());
    }

    /** The stream for this part: the default name and storage, nothing ever discarded. */
    static PersistConfig config(int window) {
        return PersistConfig.defaults().withLimits(Duration.ZERO, 0).withEmit(Duration.ofSeconds(30), window);
    }

    double product() throws Exception {
        purge();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bus.emitAsync(events[i % events.length]);
        }
        bus.awaitInFlight(ALL_ACKED);
        double rate = rate(start);
        requireStored("product");
        return rate;
    }

    double baseline() throws Exception {
        purge();
        NUID nuid = new NUID();
        Semaphore inFlight = new Semaphore(window);
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i % wire.size();
            inFlight.acquire();
            js.publishAsync(wire.subjects()[k], new Headers().put(Bus.MSG_ID_HEADER, nuid.next()), wire.payloads()[k])
                    .whenComplete((ack, error) -> {
                        inFlight.release();
                        if (error != null) {
                            failed.incrementAndGet();
                        }
                    });
        }
        if (!inFlight.tryAcquire(window, ALL_ACKED.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("raw publishAsync: acknowledgements missing after " + ALL_ACKED);
        }
        double rate = rate(start);
        if (failed.get() > 0) {
            throw new IllegalStateException("raw publishAsync: " + failed.get() + " publishes failed");
        }
        requireStored("raw");
        return rate;
    }

    private void purge() throws Exception {
        jsm.purgeStream(bus.config().streamName());
    }

    private void requireStored(String side) throws Exception {
        long stored = jsm.getStreamInfo(bus.config().streamName()).getStreamState().getMsgCount();
        if (stored != n) {
            throw new IllegalStateException("!!! " + side + " W=" + window + ": stream holds " + stored
                    + " messages after " + n + " acknowledged emits");
        }
    }

    private double rate(long start) {
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
