package io.meshbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AckSender} against a real server: an acknowledgement waits in its burst until the linger ends or the
 * sender closes, then reaches the server exactly once, and each delivery is reported sent exactly once. The
 * linger here is an hour, so "not sent yet" holds for the whole test, not for a guessed moment.
 */
class AckSenderIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_ACKS";
    private static final int MESSAGES = 50;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static Connection nc;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final Map<Long, AtomicInteger> sent = new ConcurrentHashMap<>();
    private String durable;
    private List<Delivery> deliveries;

    @BeforeAll
    static void stream() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
    }

    @BeforeEach
    void fetch() throws Exception {
        String token = NATS.uniqueName("acks");
        durable = token;
        for (int i = 1; i <= MESSAGES; i++) {
            MeshTests.publishEvent(nc, token + ".x", "{\"n\":" + i + "}", token + "-" + i);
        }
        nc.jetStreamManagement().addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable(durable)
                .filterSubject("events." + token + ".>").ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofMinutes(5)).build());
        JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind(STREAM, durable));
        deliveries = new ArrayList<>();
        while (deliveries.size() < MESSAGES) {
            for (Message m : sub.fetch(MESSAGES - deliveries.size(), Duration.ofSeconds(2))) {
                deliveries.add(new Delivery(m, System.nanoTime()));
            }
        }
        assertThat(info().getNumAckPending()).isEqualTo(MESSAGES);
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void acknowledgementsWaitForTheirBurstAndCloseSendsThemOnce() throws Exception {
        AckSender acks = sender(HOUR);
        ExecutorService completions = Executors.newFixedThreadPool(8);
        for (Delivery d : deliveries) {
            completions.execute(() -> acks.ack(d));
        }
        completions.shutdown();
        assertThat(completions.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        // the burst lingers (an hour): nothing has been sent, nothing reported
        assertThat(sent).isEmpty();
        assertThat(info().getNumAckPending()).isEqualTo(MESSAGES);

        acks.close();
        assertThat(sent).hasSize(MESSAGES);
        assertThat(sent.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        ConsumerInfo after = MeshTests.awaitDrained(nc, STREAM, durable, MESSAGES);
        assertThat(after.getAckFloor().getStreamSequence()).isEqualTo(after.getDelivered().getStreamSequence());
        assertThat(after.getRedelivered()).isZero();
    }

    @Test
    void afterCloseAnAcknowledgementIsSentAtOnce() throws Exception {
        AckSender acks = sender(HOUR);
        acks.close();
        Delivery first = deliveries.get(0);
        acks.ack(first);
        assertThat(sent).containsOnlyKeys(first.sequence());
        await().atMost(Duration.ofSeconds(10)).until(() -> info().getNumAckPending() == MESSAGES - 1);
    }

    @Test
    void aBurstIsSentWhenItsLingerEnds() throws Exception {
        AckSender acks = sender(TimeUnit.MILLISECONDS.toNanos(1));
        try {
            for (Delivery d : deliveries) {
                acks.ack(d);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == MESSAGES);
            await().atMost(Duration.ofSeconds(10)).until(() -> info().getNumAckPending() == 0);
            assertThat(sent.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        } finally {
            acks.close();
        }
        assertThat(sent).hasSize(MESSAGES);
    }

    @Test
    void aFailingSettlementDoesNotStopTheSendingThread() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AckSender acks = new AckSender(durable, TimeUnit.MILLISECONDS.toNanos(1), d -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("a settlement that fails");
            }
        }, camel.getExecutorServiceManager(), this);
        try {
            for (Delivery d : deliveries) {
                acks.ack(d);
            }
            // every acknowledgement after the failing settlement still reaches the server
            await().atMost(Duration.ofSeconds(10)).until(() -> info().getNumAckPending() == 0);
            assertThat(calls.get()).isEqualTo(MESSAGES);
        } finally {
            acks.close();
        }
    }

    private AckSender sender(long lingerNanos) {
        return new AckSender(durable, lingerNanos,
                d -> sent.computeIfAbsent(d.sequence(), s -> new AtomicInteger()).incrementAndGet(),
                camel.getExecutorServiceManager(), this);
    }

    private ConsumerInfo info() throws Exception {
        return MeshTests.consumerInfo(nc, STREAM, durable);
    }
}
