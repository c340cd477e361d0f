package io.meshbridge.camel;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.AsyncProcessorSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When {@code mesh:} consumers acknowledge: only on completion of the exchange, also across asynchronous
 * steps; "in progress" while an exchange outlives the ack wait; in-flight exchanges finishing on a graceful
 * stop. The acknowledgements are observed on the wire ({@code $JS.ACK...}) and in the consumer info.
 */
class MeshConsumerAckIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_ACK";
    private static Connection nc;

    @RegisterExtension
    final MeshContexts contexts = new MeshContexts();

    @BeforeAll
    static void createStream() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
    }

    private CamelContext start(String yaml, Map<String, Object> beans) throws Exception {
        return contexts.start(nc, STREAM, yaml, beans);
    }

    /** Completes the exchange of the first message later, from another thread; the others at once. */
    static final class HoldFirst extends AsyncProcessorSupport {
        final CountDownLatch held = new CountDownLatch(1);
        final AtomicReference<Runnable> release = new AtomicReference<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            if (calls.incrementAndGet() == 1) {
                release.set(() -> new Thread(() -> callback.done(false), "test-completer").start());
                held.countDown();
                return false;
            }
            callback.done(true);
            return true;
        }
    }

    @Test
    void asynchronousProcessorIsAcknowledgedOnlyWhenItCompletes() throws Exception {
        String token = NATS.uniqueName("async");
        String routeId = "async-" + token;
        HoldFirst hold = new HoldFirst();
        try (MeshTests.AckSpy acks = new MeshTests.AckSpy(nc, STREAM, routeId)) {
            start("""
                    - route:
                        id: %s
                        from:
                          uri: "mesh:events.%s.*"
                          steps:
                            - process:
                                ref: hold
                    """.formatted(routeId, token), Map.of("hold", hold));
            long first = MeshTests.publishEvent(nc, token + ".x", "{\"n\":1}", token + "-1");
            assertThat(hold.held.await(30, TimeUnit.SECONDS)).isTrue();
            long second = MeshTests.publishEvent(nc, token + ".x", "{\"n\":2}", token + "-2");
            // the fetching thread went on and the second exchange was acknowledged ...
            await().atMost(WAIT).until(() -> acks.count(second, "+ACK") == 1);
            // ... while the first, whose process() returned long ago, is still unacknowledged
            assertThat(acks.of(first)).isEmpty();
            assertThat(MeshTests.consumerInfo(nc, STREAM, routeId).getNumAckPending()).isEqualTo(1);

            hold.release.get().run();
            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 2);
            await().atMost(WAIT).until(() -> acks.count(first, "+ACK") == 1);
            assertThat(acks.of(first)).containsExactly("+ACK");
            assertThat(acks.of(second)).containsExactly("+ACK");
            assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(2);
            assertThat(info.getNumAckPending()).isZero();
            assertThat(hold.calls.get()).isEqualTo(2);
        }
    }

    @Test
    void threadsStepIsAcknowledgedOnlyWhenTheExchangeCompletes() throws Exception {
        String token = NATS.uniqueName("threads");
        String routeId = "threads-" + token;
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Processor blocker = exchange -> {
            if (calls.incrementAndGet() == 1) {
                entered.countDown();
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }
        };
        try (MeshTests.AckSpy acks = new MeshTests.AckSpy(nc, STREAM, routeId)) {
            start("""
                    - route:
                        id: %s
                        from:
                          uri: "mesh:events.%s.*"
                          steps:
                            - threads:
                                poolSize: 2
                                maxPoolSize: 2
                            - process:
                                ref: blocker
                    """.formatted(routeId, token), Map.of("blocker", blocker));
            long first = MeshTests.publishEvent(nc, token + ".x", "{\"n\":1}", token + "-1");
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            long second = MeshTests.publishEvent(nc, token + ".x", "{\"n\":2}", token + "-2");
            await().atMost(WAIT).until(() -> acks.count(second, "+ACK") == 1);
            assertThat(acks.of(first)).isEmpty();
            assertThat(MeshTests.consumerInfo(nc, STREAM, routeId).getNumAckPending()).isEqualTo(1);

            release.countDown();
            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 2);
            await().atMost(WAIT).until(() -> acks.count(first, "+ACK") == 1);
            assertThat(acks.of(first)).containsExactly("+ACK");
            assertThat(info.getNumAckPending()).isZero();
            assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(2);
            assertThat(calls.get()).isEqualTo(2);
        }
    }

    @Test
    void exchangeLongerThanAckWaitIsKeptInProgressAndNotRedelivered() throws Exception {
        String token = NATS.uniqueName("progress");
        String routeId = "progress-" + token;
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Processor slow = exchange -> {
            calls.incrementAndGet();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        };
        try (MeshTests.AckSpy acks = new MeshTests.AckSpy(nc, STREAM, routeId)) {
            start("""
                    - route:
                        id: %s
                        from:
                          uri: "mesh:events.%s.*?ackWait=1500ms"
                          steps:
                            - process:
                                ref: slow
                    """.formatted(routeId, token), Map.of("slow", slow));
            long seq = MeshTests.publishEvent(nc, token + ".x", "{}", token + "-1");
            // held for more than twice the ack wait, as three "in progress" acknowledgements show
            await().atMost(WAIT).until(() -> acks.count(seq, "+WPI") >= 3);
            assertThat(MeshTests.consumerInfo(nc, STREAM, routeId).getConsumerConfiguration().getAckWait())
                    .hasMillis(1500);
            release.countDown();

            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 1);
            await().atMost(WAIT).until(() -> acks.count(seq, "+ACK") == 1);
            assertThat(calls.get()).isEqualTo(1);
            assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(1);
            assertThat(info.getRedelivered()).isZero();
            List<String> kinds = acks.of(seq);
            assertThat(kinds.get(kinds.size() - 1)).isEqualTo("+ACK");
            assertThat(kinds).doesNotContain("-NAK", "+TERM");
        }
    }

    @Test
    void gracefulStopFinishesTheRunningExchangeAndReturnsTheFetchedRest() throws Exception {
        String token = NATS.uniqueName("stop");
        String routeId = "stop-" + token;
        long[] seqs = new long[3];
        for (int i = 0; i < 3; i++) {
            seqs[i] = MeshTests.publishEvent(nc, token + ".x", "{\"i\":" + i + "}", token + "-" + i);
        }
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> firstRun = new CopyOnWriteArrayList<>();
        Processor blockFirst = exchange -> {
            firstRun.add(exchange.getIn().getHeader(MeshConstants.SEQUENCE, Long.class));
            if (firstRun.size() == 1) {
                entered.countDown();
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }
        };
        String yaml = """
                - route:
                    id: %s
                    from:
                      uri: "mesh:events.%s.*"
                      steps:
                        - process:
                            ref: p
                """.formatted(routeId, token);
        try (MeshTests.AckSpy acks = new MeshTests.AckSpy(nc, STREAM, routeId)) {
            CamelContext first = start(yaml, Map.of("p", blockFirst));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(first::stop);
            await().atMost(WAIT).until(first::isStopping);
            assertThat(MeshTests.consumerInfo(nc, STREAM, routeId).getNumAckPending()).isEqualTo(3);
            assertThat(stopping).isNotDone();

            release.countDown();
            stopping.get(60, TimeUnit.SECONDS);
            assertThat(firstRun).containsExactly(seqs[0]);
            await().atMost(WAIT).until(() -> acks.count(seqs[0], "+ACK") == 1
                    && acks.count(seqs[1], "-NAK") == 1 && acks.count(seqs[2], "-NAK") == 1);
            assertThat(MeshTests.consumerInfo(nc, STREAM, routeId).getName()).isEqualTo(routeId);

            List<Long> secondRun = new CopyOnWriteArrayList<>();
            List<Long> secondDeliveries = new CopyOnWriteArrayList<>();
            Processor record = exchange -> {
                secondRun.add(exchange.getIn().getHeader(MeshConstants.SEQUENCE, Long.class));
                secondDeliveries.add(exchange.getIn().getHeader(MeshConstants.DELIVERIES, Long.class));
            };
            start(yaml, Map.of("p", record));
            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 5);
            await().atMost(WAIT).until(() -> secondRun.size() == 2);
            assertThat(secondRun).containsExactly(seqs[1], seqs[2]);
            assertThat(secondDeliveries).containsExactly(2L, 2L);
            assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(5);
            assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(seqs[2]);
            assertThat(acks.of(seqs[0])).containsExactly("+ACK");
            assertThat(acks.of(seqs[1])).containsExactly("-NAK", "+ACK");
            assertThat(acks.of(seqs[2])).containsExactly("-NAK", "+ACK");
        }
    }
}
