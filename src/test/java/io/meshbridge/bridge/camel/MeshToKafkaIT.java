package io.meshbridge.bridge.camel;

import static io.meshbridge.bridge.camel.BridgeTests.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.KafkaBroker;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code mesh-to-kafka} template between a real nats-server and an in-JVM KRaft broker (one for the class):
 * 10,000 events exactly once and in order per key, the broker restarted in the middle (nothing lost, nothing
 * stored twice), the loop guard, a record Kafka refuses dead-lettered, and a bad parameter named at start.
 */
class MeshToKafkaIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_TO_KAFKA";
    private static final int NODES = 5;
    private static Connection nc;
    private static KafkaBroker kafka;

    @BeforeAll
    static void setUp() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        kafka.close();
    }

    private static Map<String, String> route(String filter, String topic) {
        return params("filter", filter, "brokers", kafka.bootstrapServers(), "topic", topic, "deliverPolicy", "all",
                "retrySchedule", "200ms,1s", "maxAttempts", "50");
    }

    /** Event {@code n} of {@code type} from node {@code n<n % NODES>}: data {@code {"n":<n>}}, id {@code <type>-<n>}. */
    private static byte[] event(String type, int n) {
        return ("{\"type\":\"" + type + "\",\"node\":\"n" + (n % NODES) + "\",\"timestamp\":"
                + "\"2026-11-29T10:45:28.123Z\",\"data\":{\"n\":" + n + "}}").getBytes(StandardCharsets.UTF_8);
    }

    private static void publish(String type, int from, int to, Map<String, String> headers) throws Exception {
        JetStream js = nc.jetStream();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int n = from; n < to; n++) {
            Headers h = new Headers().put("Nats-Msg-Id", type + "-" + n);
            headers.forEach(h::put);
            acks.add(js.publishAsync("events." + type, h, event(type, n)));
            if (acks.size() >= 500 || n == to - 1) {
                for (CompletableFuture<PublishAck> a : acks) {
                    a.get(30, TimeUnit.SECONDS);
                }
                acks.clear();
            }
        }
    }

    private static String meshId() throws Exception {
        return MeshOrigin.derivedId(STREAM, nc.jetStreamManagement().getStreamInfo(STREAM).getCreateTime()
                .toInstant());
    }

    /** The numbers of the records per key, each list in partition (offset) order. */
    private static Map<String, List<Integer>> byKey(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.computeIfAbsent(KafkaTests.text(r.key()), k -> new ArrayList<>()).add(BridgeTests.numberOf(r.value()));
        }
        return out;
    }

    private static void assertEachKeyInOrder(Map<String, List<Integer>> byKey, int total) {
        assertThat(byKey).hasSize(NODES);
        for (int k = 0; k < NODES; k++) {
            List<Integer> expected = new ArrayList<>();
            for (int n = k; n < total; n += NODES) {
                expected.add(n);
            }
            assertThat(byKey.get("n" + k)).as("records of key n" + k).isEqualTo(expected);
        }
    }

    @Test
    void tenThousandEventsArriveOnceInOrderPerKeyWithTheirHeaders() throws Exception {
        kafka.createTopic("mesh-k1", 3);
        publish("tool.k1", 0, 10_000, Map.of());
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mesh-to-kafka", "to-kafka-k1",
                route("events.tool.k1", "mesh-k1"))) {
            MeshTests.awaitDrained(nc, STREAM, "to-kafka-k1", 10_000);
            List<ConsumerRecord<byte[], byte[]>> got = KafkaTests.records(kafka, "mesh-k1");
            assertThat(got).hasSize(10_000);
            assertEachKeyInOrder(byKey(got), 10_000);
            assertThat(KafkaTests.bridge(ctx).counts().confirmedCount()).isEqualTo(10_000);
            ConsumerRecord<byte[], byte[]> first = got.stream().filter(r -> BridgeTests.numberOf(r.value()) == 0)
                    .findFirst().orElseThrow();
            assertThat(first.value()).isEqualTo(event("tool.k1", 0));
            assertThat(KafkaTests.text(first.key())).isEqualTo("n0");
            assertThat(KafkaTests.header(first, MeshOrigin.HEADER)).isEqualTo(meshId());
            assertThat(KafkaTests.header(first, KafkaOutProducer.EVENT_ID)).isEqualTo("tool.k1-0");
            assertThat(KafkaTests.header(first, KafkaOutProducer.TYPE)).isEqualTo("tool.k1");
            assertThat(KafkaTests.header(first, KafkaOutProducer.NODE)).isEqualTo("n0");
            assertThat(KafkaTests.header(first, KafkaOutProducer.TIMESTAMP)).isEqualTo("2026-11-29T10:45:28.123Z");
        }
    }

    @Test
    void theBrokerRestartedInTheMiddleLosesNothingAndStoresNothingTwice() throws Exception {
        kafka.createTopic("mesh-r1", 3);
        publish("tool.r1", 0, 10_000, Map.of());
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mesh-to-kafka", "to-kafka-r1",
                route("events.tool.r1", "mesh-r1"))) {
            await().atMost(KafkaTests.LONG).pollInterval(java.time.Duration.ofMillis(20))
                    .until(() -> KafkaTests.count(kafka, "mesh-r1") >= 3_000);
            long before = KafkaTests.count(kafka, "mesh-r1");
            kafka.restartBroker();
            long after = KafkaTests.count(kafka, "mesh-r1");
            System.out.printf("mesh-to-kafka broker restart: %d records stored when it began, %d when it ended%n",
                    before, after);
            assertThat(after).isLessThan(10_000);
            MeshTests.awaitDrained(nc, STREAM, "to-kafka-r1", 10_000);
            List<ConsumerRecord<byte[], byte[]>> got = KafkaTests.records(kafka, "mesh-r1");
            BridgeCounts counts = KafkaTests.bridge(ctx).counts();
            Set<Integer> distinct = new HashSet<>();
            got.forEach(r -> distinct.add(BridgeTests.numberOf(r.value())));
            System.out.printf("mesh-to-kafka broker restart: %d records for %d events, %d sends failed%n",
                    got.size(), distinct.size(), counts.failedCount());
            // the idempotent producer retries in order within sendTimeout (2m) and the broker drops what its
            // retries would store twice: no send fails, so none is sent again, and no record is stored twice
            assertThat(distinct).hasSize(10_000);
            assertThat(counts.failedCount()).isZero();
            assertThat(got).hasSize(10_000);
            assertEachKeyInOrder(byKey(got), 10_000);
            assertThat(counts.confirmedCount()).isEqualTo(10_000);
        }
    }

    @Test
    void theLoopGuardSendsOnlyEventsBornHereAndMarksThem() throws Exception {
        kafka.createTopic("mesh-l1", 1);
        publish("loop.own", 0, 50, Map.of(MeshOrigin.HEADER, meshId()));            // went out and came back
        publish("loop.foreign", 0, 60, Map.of(MeshOrigin.HEADER, "OTHER@mesh"));    // came in from another mesh
        publish("loop.here", 0, 70, Map.of());                                       // born here
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mesh-to-kafka", "to-kafka-l1",
                route("events.loop.>", "mesh-l1"))) {
            MeshTests.awaitDrained(nc, STREAM, "to-kafka-l1", 180);
            List<ConsumerRecord<byte[], byte[]>> got = KafkaTests.records(kafka, "mesh-l1");
            assertThat(got).hasSize(70);
            assertThat(got).allMatch(r -> KafkaTests.header(r, KafkaOutProducer.TYPE).equals("loop.here")
                    && meshIdUnchecked().equals(KafkaTests.header(r, MeshOrigin.HEADER)));
            BridgeCounts counts = KafkaTests.bridge(ctx).counts();
            assertThat(counts.confirmedCount()).isEqualTo(70);
            assertThat(counts.returnedCount()).isEqualTo(50);
            assertThat(counts.bridgedCount()).isEqualTo(60);
        }
        // with forwardBridged the foreign events go out too, keeping their marker; our own still do not
        kafka.createTopic("mesh-l2", 1);
        Map<String, String> p = route("events.loop.>", "mesh-l2");
        p.put("forwardBridged", "true");
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mesh-to-kafka", "to-kafka-l2", p)) {
            MeshTests.awaitDrained(nc, STREAM, "to-kafka-l2", 180);
            List<ConsumerRecord<byte[], byte[]>> got = KafkaTests.records(kafka, "mesh-l2");
            assertThat(got).hasSize(130);
            assertThat(got.stream().filter(r -> "OTHER@mesh".equals(KafkaTests.header(r, MeshOrigin.HEADER))))
                    .hasSize(60);
            assertThat(KafkaTests.bridge(ctx).counts().returnedCount()).isEqualTo(50);
        }
    }

    private static String meshIdUnchecked() {
        try {
            return meshId();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRecordKafkaRefusesIsDeadLetteredAndTheOthersGoOn() throws Exception {
        try (var admin = kafka.admin(Map.of())) {
            admin.createTopics(List.of(new NewTopic("mesh-big", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "20000")))).all().get(1, TimeUnit.MINUTES);
        }
        MeshTests.publishEvent(nc, "tool.big", "{\"n\":0}", "big-0");
        // larger than the topic's limit and than a producer batch (16 KiB), so it is a batch of its own (a limit
        // below the batch size makes Kafka's producer split a batch of small records into itself forever)
        MeshTests.publishEvent(nc, "tool.big", "{\"n\":1,\"pad\":\"" + "x".repeat(30_000) + "\"}", "big-1");
        MeshTests.publishEvent(nc, "tool.big", "{\"n\":2}", "big-2");
        Map<String, String> p = route("events.tool.big", "mesh-big");
        p.put("key", "data.n");
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mesh-to-kafka", "to-kafka-big", p)) {
            MeshTests.awaitDrained(nc, STREAM, "to-kafka-big", 3);
            List<ConsumerRecord<byte[], byte[]>> got = KafkaTests.records(kafka, "mesh-big");
            assertThat(got).extracting(r -> KafkaTests.text(r.key())).containsExactly("0", "2");
            await().atMost(MeshTests.WAIT).until(() -> MeshTests.messages(nc, MeshConstants.DLQ_STREAM,
                    MeshConstants.DLQ_SUBJECT_PREFIX + "to-kafka-big").size() == 1);
            MessageInfo dead = MeshTests.messages(nc, MeshConstants.DLQ_STREAM,
                    MeshConstants.DLQ_SUBJECT_PREFIX + "to-kafka-big").get(0);
            assertThat(dead.getHeaders().getFirst(MeshConstants.DLQ_ERROR)).contains("RecordTooLargeException");
            assertThat(KafkaTests.bridge(ctx).counts().failedCount()).isEqualTo(1);
        }
    }

    @Test
    void aBadParameterFailsTheStartNamingIt() throws Exception {
        Map<String, String> p = route("events.tool.bad", "mesh-bad");
        p.put("key", "colour");
        assertThatThrownBy(() -> BridgeTests.start(nc, STREAM, "mesh-to-kafka", "to-kafka-bad", p).close())
                .hasStackTraceContaining("bridge parameter key must be node, type, subject, id, none or data.<field>");
        Map<String, String> q = route("events.tool.bad", "mesh-bad");
        q.put("brokers", "user:secret@" + kafka.bootstrapServers());
        assertThatThrownBy(() -> BridgeTests.start(nc, STREAM, "mesh-to-kafka", "to-kafka-bad2", q).close())
                .hasStackTraceContaining("carries credentials")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("secret"));
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
