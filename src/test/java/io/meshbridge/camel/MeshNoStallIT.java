package io.meshbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
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
import java.util.concurrent.atomic.AtomicInteger;
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
