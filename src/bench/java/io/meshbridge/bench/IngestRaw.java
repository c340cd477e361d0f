package io.meshbridge.bench;

import io.meshbridge.events.Bus;
import io.meshbridge.events.Event;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.NUID;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline of the ingest benchmark: the same event emitted directly with jnats, {@code js.publishAsync} of
 * the pre-serialised payload with a fresh {@code Nats-Msg-Id}, awaiting each acknowledgement; closed loop with
 * as many in flight as the HTTP side has connections, and open loop at the same fixed rate.
 */
final class IngestRaw {

    private final JetStream js;
    private final String subject;
    private final byte[] payload;
    private final NUID nuid = new NUID();

    IngestRaw(Connection connection, Event event) throws Exception {
        this.js = connection.jetStream();
        Bus bus = new Bus(connection, "bench");
        this.subject = event.subject();
        this.payload = bus.codec().encode(bus.stamp(event));
    }

    /** At most {@code inFlight} publishes awaiting acknowledgement, for {@code seconds}. */
    IngestLoad.Closed closedLoop(int inFlight, int seconds) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            window.acquire();
            publish().whenComplete((ack, e) -> {
                (e == null ? ok : failed).incrementAndGet();
                window.release();
            });
        }
        if (!window.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("acknowledgements missing after 60 s");
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new IngestLoad.Closed(ok.get(), failed.get(), ok.get() / elapsed);
    }

    /** Publishes due every 1/{@code rate} s for {@code seconds}; latency from the due time to the ack. */
    IngestLoad.Open openLoop(int rate, int seconds) throws Exception {
        int n = rate * seconds;
        double[] latencies = new double[n];
        AtomicLong failed = new AtomicLong();
        CompletableFuture<?>[] acks = new CompletableFuture<?>[n];
        FixedRate.run(rate, n, Duration.ofMillis(10), (k, due) ->
            acks[k] = publish().handle((ack, e) -> {
                latencies[k] = (System.nanoTime() - due) / 1e6;
                if (e != null) {
                    failed.incrementAndGet();
                }
                return null;
            }));
        CompletableFuture.allOf(acks).get();
        Stats s = new Stats(latencies);
        return new IngestLoad.Open(s.percentile(50), s.percentile(99), n - failed.get(), failed.get());
    }

    private CompletableFuture<?> publish() {
        return js.publishAsync(subject, new Headers().put(Bus.MSG_ID_HEADER, nuid.next()), payload);
    }
}
