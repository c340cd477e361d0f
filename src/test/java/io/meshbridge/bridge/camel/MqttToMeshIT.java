package io.meshbridge.bridge.camel;

import static io.meshbridge.bridge.camel.BridgeTests.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.Mosquitto;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.MessageInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code mqtt-to-mesh} template against a private Mosquitto and a real nats-server: 10,000 messages become
 * exactly 10,000 events in order; a broker restart in the middle loses nothing and duplicates within the stated
 * window (none at all when messages carry a Mesh-Event-Id); messages published while the route is down arrive
 * after its restart (the persistent session); the HTTP ingest's payload and topic rules; the loop guard.
 */
class MqttToMeshIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_FROM_MQTT";
    private static final Duration LONG = Duration.ofSeconds(120);
    /**
     * How soon after a broker restart the rest of the messages must be in: the bridge reconnects at most
     * MqttConnection.MAX_RECONNECT_DELAY (5 s) apart with a 10 s connect timeout, then takes in a few thousand
     * messages a second. With paho's own reconnection it sometimes took 97 s before it was connected again.
     */
    private static final Duration BACK_AFTER_RESTART = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECEIVE_MAXIMUM = 20;
    private static Connection nc;
    private static Mosquitto broker;

    @BeforeAll
    static void setUp() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
        broker = Mosquitto.startDefault();
    }

    @AfterAll
    static void tearDown() {
        broker.close();
    }

    private static Map<String, String> route(String filter, String clientId) {
        return params("brokerUrl", broker.url(), "topicFilter", filter, "clientId", clientId,
                "receiveMaximum", Integer.toString(RECEIVE_MAXIMUM));
    }

    private static byte[] json(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static long count(String subject) throws Exception {
        return BridgeTests.count(nc, STREAM, subject);
    }

    private static List<Integer> numbers(String subject) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (io.nats.client.Message m : BridgeTests.messages(nc, STREAM, subject)) {
            out.add(JSON.readTree(m.getData()).path("data").path("n").asInt());
        }
        return out;
    }

    private static CompletableFuture<Void> publishInBackground(String topic, int n, boolean withIds) {
        return CompletableFuture.runAsync(() -> {
            try (MqttProbe pub = MqttProbe.publisher(broker.url())) {
                for (int i = 0; i < n; i++) {
                    pub.publish(topic, json(i), withIds ? Map.of(MqttOutProducer.EVENT_ID_PROPERTY, "m-" + i) : Map.of());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void tenThousandMessagesBecomeTenThousandEventsInOrder() throws Exception {
        try (CamelContext ctx = BridgeTests.context(nc, STREAM, "mqtt-to-mesh", "from-mqtt-1",
                route("in1/#", "bridge-in1"))) {
            NotifyBuilder done = new NotifyBuilder(ctx).fromRoute("from-mqtt-1").whenCompleted(10_000).create();
            ctx.start();
            publishInBackground("in1/sensor", 10_000, false).get(LONG.toSeconds(), TimeUnit.SECONDS);
            assertThat(done.matches(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                expected.add(i);
            }
            assertThat(numbers("events.user.in1.sensor")).isEqualTo(expected);
            JsonNode first = JSON.readTree(BridgeTests.messages(nc, STREAM, "events.user.in1.sensor").get(0).getData());
            assertThat(first.path("type").asText()).isEqualTo("user.in1.sensor");
            assertThat(first.path("node").asText()).isEqualTo("test-node");
            assertThat(first.path("data").toString()).isEqualTo("{\"n\":0}");
        }
    }

    @Test
    void aBrokerRestartInTheMiddleLosesNothingAndDuplicatesAtMostTheReceiveWindow() throws Exception {
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mqtt-to-mesh", "from-mqtt-2",
                route("in2/#", "bridge-in2"))) {
            CompletableFuture<Void> publishing = publishInBackground("in2/sensor", 10_000, false);
            await().atMost(LONG).until(() -> count("events.user.in2.sensor") >= 3_000);
            broker.restart();
            int starts = broker.starts();
            publishing.get(LONG.toSeconds(), TimeUnit.SECONDS);
            await().atMost(BACK_AFTER_RESTART)
                    .until(() -> new HashSet<>(numbers("events.user.in2.sensor")).size() == 10_000);
            List<Integer> got = numbers("events.user.in2.sensor");
            int unacknowledged = broker.unacknowledgedAtEnd("bridge-in2", starts - 1);
            int duplicates = got.size() - 10_000;
            System.out.printf("mqtt-to-mesh broker restart without ids: %d duplicates; the broker had %d sent and"
                    + " unacknowledged when it stopped%n", duplicates, unacknowledged);
            // what the broker sends again is what it had sent and not seen acknowledged when it stopped (read
            // from its log; Mosquitto 2.0.11 sends queued messages beyond the Receive Maximum, so that number
            // is not bounded by it); each is stored at most once more, and the publisher sends its one message
            // in flight again (it may have reached the broker): no more can be stored twice
            assertThat(duplicates).isBetween(0, unacknowledged + 1);
            java.util.Map<Integer, Integer> times = new java.util.HashMap<>();
            got.forEach(n -> times.merge(n, 1, Integer::sum));
            assertThat(times.values()).allMatch(t -> t <= 2);
        }
    }

    @Test
    void withMeshEventIdsABrokerRestartStoresEveryMessageExactlyOnce() throws Exception {
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mqtt-to-mesh", "from-mqtt-3",
                route("in3/#", "bridge-in3"))) {
            CompletableFuture<Void> publishing = publishInBackground("in3/sensor", 10_000, true);
            await().atMost(LONG).until(() -> count("events.user.in3.sensor") >= 3_000);
            broker.restart();
            publishing.get(LONG.toSeconds(), TimeUnit.SECONDS);
            await().atMost(BACK_AFTER_RESTART).until(() -> count("events.user.in3.sensor") >= 10_000);
            // whatever the broker or the publisher sent twice carries the same id: the stream keeps one
            List<io.nats.client.Message> stored = BridgeTests.messages(nc, STREAM, "events.user.in3.sensor");
            assertThat(stored).hasSize(10_000);
            assertThat(stored.get(7).getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("mqtt:in3.sensor:m-7");
            assertThat(new HashSet<>(numbers("events.user.in3.sensor"))).hasSize(10_000);
        }
    }

    @Test
    void messagesPublishedWhileTheRouteIsDownArriveAfterItsRestart() throws Exception {
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mqtt-to-mesh", "from-mqtt-4",
                route("in4/#", "bridge-in4"))) {
            publishInBackground("in4/a", 10, false).get(30, TimeUnit.SECONDS);
            await().atMost(LONG).until(() -> count("events.user.in4.a") == 10);
        }
        publishInBackground("in4/a", 500, false).get(60, TimeUnit.SECONDS);
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mqtt-to-mesh", "from-mqtt-4",
                route("in4/#", "bridge-in4"))) {
            await().atMost(LONG).until(() -> count("events.user.in4.a") == 510);
            List<Integer> got = numbers("events.user.in4.a");
            assertThat(got.subList(10, 510)).isEqualTo(java.util.stream.IntStream.range(0, 500).boxed().toList());
        }
    }

    @Test
    void payloadsAndTopicsFollowTheIngestRulesAndTheMarkerIsKept() throws Exception {
        String own = MeshOrigin.derivedId(STREAM, nc.jetStreamManagement().getStreamInfo(STREAM).getCreateTime()
                .toInstant());
        Map<String, String> p = route("in5/#", "bridge-in5");
        p.put("meshTopic", "dev.{rest}");
        p.put("maxBody", "64");
        p.put("node", "plant-7");
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mqtt-to-mesh", "from-mqtt-5", p);
             MqttProbe pub = MqttProbe.publisher(broker.url())) {
            pub.publish("in5/a/b c", "[1,2]".getBytes(StandardCharsets.UTF_8), Map.of());
            pub.publish("in5/text", "hello".getBytes(StandardCharsets.UTF_8), Map.of());
            pub.publish("in5/bin", new byte[] {(byte) 0xff, 0x00, 0x01}, Map.of());
            pub.publish("in5/big", ("{\"x\":\"" + "y".repeat(80) + "\"}").getBytes(StandardCharsets.UTF_8), Map.of());
            pub.publish("in5/bad", "{\"x\":".getBytes(StandardCharsets.UTF_8), Map.of());
            pub.publish("in5/own", "{\"o\":1}".getBytes(StandardCharsets.UTF_8), Map.of(MeshOrigin.HEADER, own));
            pub.publish("in5/foreign", "{\"f\":1}".getBytes(StandardCharsets.UTF_8),
                    Map.of(MeshOrigin.HEADER, "OTHER@2026-01-01T00:00:00Z"));
            BridgeEndpoint bridge = (BridgeEndpoint) ctx.getEndpoints().stream()
                    .filter(e -> e instanceof BridgeEndpoint).findFirst().orElseThrow();
            await().atMost(LONG).until(() -> bridge.counts().confirmedCount() == 4
                    && bridge.counts().deadLetteredCount() == 2 && bridge.counts().returnedCount() == 1);
            assertThat(data("events.user.dev.a.b_c")).isEqualTo("{\"payload\":\"[1,2]\"}");
            assertThat(data("events.user.dev.text")).isEqualTo("{\"payload\":\"hello\"}");
            assertThat(data("events.user.dev.bin")).isEqualTo("{\"payload_b64\":\"/wAB\"}");
            io.nats.client.Message foreign = BridgeTests.messages(nc, STREAM, "events.user.dev.foreign").get(0);
            assertThat(foreign.getHeaders().getFirst(MeshOrigin.HEADER)).isEqualTo("OTHER@2026-01-01T00:00:00Z");
            assertThat(JSON.readTree(foreign.getData()).path("node").asText()).isEqualTo("plant-7");
            assertThat(count("events.user.dev.own")).isZero();
            List<MessageInfo> dead = MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.from-mqtt-5");
            assertThat(dead).hasSize(2);
            assertThat(dead.get(0).getHeaders().getFirst(MeshConstants.DLQ_ERROR)).contains("larger than the limit of 64");
            assertThat(dead.get(0).getHeaders().getFirst(InboundDeadLetters.SOURCE_TOPIC)).isEqualTo("in5/big");
            assertThat(dead.get(1).getHeaders().getFirst(MeshConstants.DLQ_ERROR)).contains("invalid JSON");
            assertThat(dead.get(1).getData()).isEqualTo("{\"x\":".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String data(String subject) throws Exception {
        return JSON.readTree(BridgeTests.messages(nc, STREAM, subject).get(0).getData()).path("data").toString();
    }

    @Test
    void deadLetterModeRefusesWhatIsNotAJsonObjectAndReservedTopics() throws Exception {
        Map<String, String> p = route("in6/#", "bridge-in6");
        p.put("nonJson", "deadLetter");
        p.put("meshTopic", "{rest}");
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mqtt-to-mesh", "from-mqtt-6", p);
             MqttProbe pub = MqttProbe.publisher(broker.url())) {
            pub.publish("in6/alert/fired", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
            pub.publish("in6/list", "[]".getBytes(StandardCharsets.UTF_8), Map.of());
            pub.publish("in6/ok", "{\"k\":true}".getBytes(StandardCharsets.UTF_8), Map.of());
            await().atMost(LONG).until(() -> MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.from-mqtt-6")
                    .size() == 2 && count("events.user.ok") == 1);
            List<MessageInfo> dead = MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.from-mqtt-6");
            assertThat(dead.get(0).getHeaders().getFirst(MeshConstants.DLQ_ERROR)).contains("reserved");
            assertThat(dead.get(1).getHeaders().getFirst(MeshConstants.DLQ_ERROR)).contains("not a JSON object");
            assertThat(count("events.user.alert.fired")).isZero();
        }
    }

    @Test
    void outAndInOnOneBrokerDoNotEcho() throws Exception {
        Map<String, String> out = params("filter", "events.user.lp.>", "brokerUrl", broker.url(), "topicPrefix",
                "lp", "deliverPolicy", "all");
        Map<String, String> in = route("lp/#", "bridge-lp");
        in.put("meshTopic", "lp.{rest}"); // lp/user/lp/x -> user.lp.user.lp.x: the out route's filter matches it
        try (CamelContext inbound = BridgeTests.start(nc, STREAM, "mqtt-to-mesh", "lp-in", in);
             MqttProbe probe = MqttProbe.subscribe(broker.url(), "lp/#");
             MqttProbe pub = MqttProbe.publisher(broker.url());
             CamelContext outbound = BridgeTests.start(nc, STREAM, "mesh-to-mqtt", "lp-out", out)) {
            BridgeTests.publish(nc, "user.lp.a", 0, 5, Map.of());
            pub.publish("lp/device", "{\"d\":1}".getBytes(StandardCharsets.UTF_8), Map.of());
            BridgeEndpoint ingest = (BridgeEndpoint) inbound.getEndpoints().stream()
                    .filter(e -> e instanceof BridgeEndpoint).findFirst().orElseThrow();
            // 5 events out, the device's message in (an event without a marker) and out again: 6 come back
            // carrying this mesh's marker and are dropped
            await().atMost(LONG).until(() -> ingest.counts().returnedCount() == 6);
            MeshTests.awaitDrained(nc, STREAM, "lp-out", 6);
            assertThat(ingest.counts().confirmedCount()).isEqualTo(1);
            assertThat(count("events.user.lp.device")).isEqualTo(1);
            assertThat(count("events.user.lp.user.lp.a")).isZero();
            assertThat(probe.received).hasSize(7); // the device's message and the 6 bridged out
        }
    }
}
