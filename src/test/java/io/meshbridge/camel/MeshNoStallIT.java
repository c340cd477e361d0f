package io.meshbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A drain of many small pulls never leaves a delivered message behind. The ack wait is far longer than the
 * test may take, so a message that a pull delivered but that never reached the route (and so waits for the
 * server's redelivery) makes the drain time out instead of being hidden by a redelivery; and every message
 * must be delivered exactly once.
 */
class MeshNoStallIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_STALL";
    private static final int EVENTS = 20_000;
    private static final Duration DRAIN = Duration.ofSeconds(120);
    private static Connection nc;
    private static String token;

    @RegisterExtension
    final MeshContexts contexts = new MeshContexts();

    @BeforeAll
    static void fill() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
        token = NATS.uniqueName("drain");
        JetStream js = nc.jetStream();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 1; i <= EVENTS; i++) {
            acks.add(js.publishAsync("events." + token + ".x", new Headers().put("Nats-Msg-Id", token + "-" + i),
                    MeshTests.envelope(token + ".x", "{\"n\":" + i + "}")));
            if (acks.size() == 2_000) {
                acks.forEach(CompletableFuture::join);
                acks.clear();
            }
        }
        acks.forEach(CompletableFuture::join);
    }

    /** Counts the deliveries of each sequence. */
    static final class Counter implements Processor {
        final Map<Long, AtomicInteger> bySequence = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();

        @Override
        public void process(Exchange exchange) {
            long seq = exchange.getIn().getHeader(MeshConstants.SEQUENCE, Long.class);
            bySequence.computeIfAbsent(seq, s -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
        }
    }

    @ParameterizedTest(name = "batchSize={0}")
    @ValueSource(ints = {2, 7, 100})
    void everyDeliveredMessageReachesTheRouteOnce(int batchSize) throws Exception {
        drain("small-" + batchSize, "batchSize=" + batchSize + "&ackWait=10m");
    }

    @Test
    void defaultsWithTwoThreads() throws Exception {
        drain("threads", "ackWait=10m&concurrentConsumers=2");
    }

    /**
     * A route slower than its deliveries keeps the window full. Its settlements then free one place at a time;
     * the receiver must not answer each with a pull request of one message (a request, a server round and a
     * wake-up per event), but wait until {@code refill} places are free: half a batch, or half the window when
     * it is smaller. The pull requests are counted on the server's subject for them.
     */
    @Test
    void aFullWindowIsRefilledInPartsNotOnePlaceAtATime() throws Exception {
        String slow = "slow-" + token;
        int events = 1_000;
        int maxAckPending = 20;
        int refill = maxAckPending / 2; // batchSize stays 100: half the window is the smaller
        JetStream js = nc.jetStream();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 1; i <= events; i++) {
            acks.add(js.publishAsync("events." + slow + ".y", MeshTests.envelope(slow + ".y", "{\"n\":" + i + "}")));
        }
        acks.forEach(CompletableFuture::join);
        String routeId = "refill-" + token;
        AtomicInteger pulls = new AtomicInteger();
        Dispatcher d = nc.createDispatcher(m -> pulls.incrementAndGet());
        d.subscribe("$JS.API.CONSUMER.MSG.NEXT." + STREAM + "." + routeId);
        nc.flush(Duration.ofSeconds(5));
        ScheduledExecutorService endpoint = Executors.newSingleThreadScheduledExecutor();
        try {
            SlowStep step = new SlowStep(endpoint);
            contexts.start(nc, STREAM, MeshTests.processRoute(routeId, "mesh:events." + slow + ".*?ackWait=10m"
                    + "&maxAckPending=" + maxAckPending, "slow"), Map.of("slow", step));
            await("all " + events + " events processed").atMost(DRAIN).until(() -> step.total.get() >= events);
            int pullsDuringDrain = pulls.get();
            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, events);
            assertThat(step.total.get()).isEqualTo(events);
            assertThat(step.bySequence).hasSize(events);
            assertThat(step.bySequence.values()).allMatch(n -> n.get() == 1);
            assertThat(info.getRedelivered()).isZero();
            // the first request asks for the whole window and gets it, every later one asks for at least `refill`
            // places and gets them while events remain; after the last delivery the window's settlements can
            // send maxAckPending / refill more that find nothing (one at a time: 890 requests were counted)
            assertThat(pullsDuringDrain).as("pull requests while %d events were drained", events)
                    .isLessThanOrEqualTo(1 + (events - maxAckPending) / refill + maxAckPending / refill);
        } finally {
            endpoint.shutdownNow();
            nc.closeDispatcher(d);
        }
    }

    /**
     * An asynchronous step answered by a slow endpoint: one thread completes the waiting exchanges one at a
     * time, a millisecond apart, so settlements free the window's places one by one.
     */
    static final class SlowStep implements AsyncProcessor {
        final Map<Long, AtomicInteger> bySequence = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
        private final java.util.Queue<Runnable> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();

        SlowStep(ScheduledExecutorService endpoint) {
            endpoint.scheduleWithFixedDelay(() -> {
                Runnable next = waiting.poll();
                if (next != null) {
                    next.run();
                }
            }, 1, 1, TimeUnit.MILLISECONDS);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            long seq = exchange.getIn().getHeader(MeshConstants.SEQUENCE, Long.class);
            waiting.add(() -> {
                bySequence.computeIfAbsent(seq, s -> new AtomicInteger()).incrementAndGet();
                total.incrementAndGet();
                callback.done(false);
            });
            return false;
        }

        @Override
        public CompletableFuture<Exchange> processAsync(Exchange exchange) {
            CompletableFuture<Exchange> f = new CompletableFuture<>();
            process(exchange, doneSync -> f.complete(exchange));
            return f;
        }

        @Override
        public void process(Exchange exchange) {
            throw new UnsupportedOperationException("asynchronous only");
        }
    }

    private void drain(String name, String options) throws Exception {
        String routeId = name + "-" + token;
        Counter counter = new Counter();
        contexts.start(nc, STREAM, MeshTests.processRoute(routeId, "mesh:events." + token + ".*?" + options,
                "counter"), Map.of("counter", counter));
        await("all " + EVENTS + " events processed").atMost(DRAIN).until(() -> counter.total.get() >= EVENTS);
        ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, EVENTS);
        assertThat(counter.total.get()).isEqualTo(EVENTS);
        assertThat(counter.bySequence).hasSize(EVENTS);
        assertThat(counter.bySequence.values()).allMatch(n -> n.get() == 1);
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(EVENTS);
        assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(EVENTS);
        assertThat(info.getRedelivered()).isZero();
    }
}
