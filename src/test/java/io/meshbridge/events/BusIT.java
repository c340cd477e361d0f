package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The behaviours the reference Bus's own tests check, plus what the reference gets wrong. */
class BusIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private Connection connection;
    private Bus bus;

    @BeforeEach
    void setUp() throws Exception {
        connection = NATS.connect();
        bus = new Bus(connection, "bus-node");
    }

    @Test
    void emitThenSubscribeAllDeliversTypeNodeDataAndTimestamp() throws Exception {
        List<ReceivedEvent> got = new CopyOnWriteArrayList<>();
        try (EventSubscription sub = bus.subscribe("events.>", got::add)) {
            connection.flush(Duration.ofSeconds(5));
            Instant before = Instant.now();
            bus.emit(Event.toolInstalled("node-a", "whisper", "v1.0.0"));
            await().until(() -> got.size() == 1);
            Event e = got.get(0).event();
            assertThat(e.type()).isEqualTo("tool.installed");
            assertThat(e.node()).isEqualTo("node-a");
            assertThat(e.data()).containsExactly(Map.entry("tool", "whisper"), Map.entry("version", "v1.0.0"));
            assertThat(e.timestamp()).isNotNull().isAfterOrEqualTo(before.minusSeconds(1));
            assertThat(got.get(0).id()).hasSize(22);
            assertThat(sub.delivered()).isEqualTo(1);
        }
    }

    @Test
    void subscribeTypeSeesOnlyItsOwnType() throws Exception {
        List<Event> crashes = new CopyOnWriteArrayList<>();
        List<Event> installs = new CopyOnWriteArrayList<>();
        try (EventSubscription a = bus.subscribeType("tool.crashed", r -> crashes.add(r.event()));
             EventSubscription b = bus.subscribeType("tool.installed", r -> installs.add(r.event()))) {
            connection.flush(Duration.ofSeconds(5));
            bus.emit(Event.toolInstalled("n", "calc", "1"));
            bus.emit(Event.toolCrashed("n", "calc", new IllegalStateException("OOM killed"), 3));
            bus.emit(Event.toolStarted("n", "calc"));
            await().until(() -> crashes.size() == 1 && installs.size() == 1);
            assertThat(crashes.get(0).data()).containsEntry("error", "OOM killed").containsEntry("restart_count", 3);
            assertThat(installs.get(0).type()).isEqualTo("tool.installed");
            connection.flush(Duration.ofSeconds(5));
            assertThat(crashes).hasSize(1);
            assertThat(installs).hasSize(1);
        }
    }

    @Test
    void toolWildcardReceivesToolEventsOnly() throws Exception {
        List<String> types = new CopyOnWriteArrayList<>();
        List<String> all = new CopyOnWriteArrayList<>();
        try (EventSubscription tools = bus.subscribe("events.tool.*", r -> types.add(r.event().type()));
             EventSubscription marker = bus.subscribe("events.>", r -> all.add(r.event().type()))) {
            connection.flush(Duration.ofSeconds(5));
            bus.emit(Event.toolStarted("n", "a"));
            bus.emit(Event.nodeJoined("n", null));
            bus.emit(Event.toolStopped("n", "a", "done"));
            bus.emit(Event.nodeLeft("n", "bye"));
            await().until(() -> all.size() == 4);
            assertThat(types).containsExactly("tool.started", "tool.stopped");
        }
    }

    @Test
    void nodeEventsArriveInEmitOrder() throws Exception {
        List<String> types = new CopyOnWriteArrayList<>();
        try (EventSubscription sub = bus.subscribe("events.node.*", r -> types.add(r.event().type()))) {
            connection.flush(Duration.ofSeconds(5));
            bus.emit(Event.nodeJoined("n", Map.of("gpu", true)));
            bus.emit(Event.nodeHealth("n", "online", Map.of("cpu", 0.5)));
            bus.emit(Event.nodeLeft("n", "shutdown"));
            await().until(() -> types.size() == 3);
            assertThat(types).containsExactly("node.joined", "node.health", "node.left");
        }
    }

    @Test
    void dottedUserTopicArrivesOnUserWildcard() throws Exception {
        List<Event> got = new CopyOnWriteArrayList<>();
        try (EventSubscription sub = bus.subscribe("events.user.>", r -> got.add(r.event()))) {
            connection.flush(Duration.ofSeconds(5));
            bus.emit(Event.user("gpu-box", "training.complete", Map.of("model", "bert", "epochs", 100)));
            await().until(() -> got.size() == 1);
            assertThat(got.get(0).type()).isEqualTo("user.training.complete");
            assertThat(got.get(0).data()).containsEntry("model", "bert").containsEntry("epochs", 100);
        }
    }

    @Test
    void emptyNodeIsFilledWithTheBusNodeName() throws Exception {
        List<Event> got = new CopyOnWriteArrayList<>();
        try (EventSubscription sub = bus.subscribe("events.tool.removed", r -> got.add(r.event()))) {
            connection.flush(Duration.ofSeconds(5));
            bus.emit(Event.toolRemoved("", "calc"));
            await().until(() -> got.size() == 1);
            assertThat(got.get(0).node()).isEqualTo("bus-node");
        }
    }

    @Test
    void wireFormatIsFourMembersInGoOrderWithIdOnlyInHeader() throws Exception {
        Subscription raw = connection.subscribe("events.tool.configured");
        connection.flush(Duration.ofSeconds(5));
        String id = bus.emit(Event.toolConfigured("n", "calc", null));
        Message msg = raw.nextMessage(Duration.ofSeconds(5));
        assertThat(msg).isNotNull();
        assertThat(msg.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(id);
        JsonNode json = new ObjectMapper().readTree(msg.getData());
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("type", "node", "timestamp", "data");
        assertThat(new String(msg.getData(), StandardCharsets.UTF_8)).contains("\"data\":{\"config\":null,\"tool\":\"calc\"}");
        raw.unsubscribe();
    }

    @Test
    void handlerExceptionDoesNotEndTheSubscription() throws Exception {
        List<String> tools = new CopyOnWriteArrayList<>();
        try (EventSubscription sub = bus.subscribe("events.tool.started", r -> {
            String tool = (String) r.event().data().get("tool");
            tools.add(tool);
            if (tool.equals("bad")) {
                throw new IllegalStateException("handler failure");
            }
        })) {
            connection.flush(Duration.ofSeconds(5));
            bus.emit(Event.toolStarted("n", "bad"));
            bus.emit(Event.toolStarted("n", "good"));
            await().until(() -> tools.size() == 2);
            assertThat(tools).containsExactly("bad", "good");
            assertThat(sub.handlerErrors()).isEqualTo(1);
            assertThat(sub.isActive()).isTrue();
        }
    }

    @Test
    void undecodableMessagesGoToTheErrorHandlerNotTheHandler() throws Exception {
        List<ReceivedEvent> good = new CopyOnWriteArrayList<>();
        List<EventDecodeException> bad = new CopyOnWriteArrayList<>();
        try (EventSubscription sub = bus.subscribe("events.user.>", good::add, bad::add)) {
            connection.flush(Duration.ofSeconds(5));
            connection.publish("events.user.x", "not json".getBytes(StandardCharsets.UTF_8));
            connection.publish("events.user.x", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
            connection.publish("events.user.x", new byte[0]);
            bus.emit(Event.user("n", "x", Map.of("n", new BigInteger("12345678901234567890"))));
            await().until(() -> good.size() + bad.size() == 4);
            assertThat(bad).extracting(EventDecodeException::subject).containsOnly("events.user.x");
            assertThat(bad).extracting(e -> new String(e.raw(), StandardCharsets.UTF_8))
                    .containsExactly("not json", "[1,2,3]", "");
            assertThat(good).hasSize(1);
            assertThat(good.get(0).event().data()).containsEntry("n", new BigInteger("12345678901234567890"));
            assertThat(sub.decodeErrors()).isEqualTo(3);
        }
    }

    @Test
    void defaultErrorHandlerCountsOnTheBus() throws Exception {
        List<ReceivedEvent> good = Collections.synchronizedList(new ArrayList<>());
        try (EventSubscription sub = bus.subscribe("events.user.counted", good::add)) {
            connection.flush(Duration.ofSeconds(5));
            connection.publish("events.user.counted", "{".getBytes(StandardCharsets.UTF_8));
            bus.emit(Event.user("n", "counted", null));
            await().until(() -> good.size() == 1);
            assertThat(bus.decodeErrors()).isEqualTo(1);
        }
    }

    @Test
    void closingTheSubscriptionStopsDelivery() throws Exception {
        List<ReceivedEvent> got = new CopyOnWriteArrayList<>();
        EventSubscription sub = bus.subscribe("events.tool.removed", got::add);
        List<ReceivedEvent> control = new CopyOnWriteArrayList<>();
        try (EventSubscription witness = bus.subscribe("events.tool.removed", control::add)) {
            connection.flush(Duration.ofSeconds(5));
            bus.emit(Event.toolRemoved("n", "one"));
            await().until(() -> got.size() == 1 && control.size() == 1);
            sub.close();
            sub.close();
            assertThat(sub.isActive()).isFalse();
            bus.emit(Event.toolRemoved("n", "two"));
            await().until(() -> control.size() == 2);
            connection.flush(Duration.ofSeconds(5));
            assertThat(got).hasSize(1);
        }
    }

    @Test
    void slowSubscriberDropsAreCountedNotHidden() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        EventSubscription sub = bus.subscribe("events.user.slow", r -> release.await());
        try {
            // a small pending limit makes the client drop instead of buffering without bound
            sub.setPendingLimits(5, 1024 * 1024);
            connection.flush(Duration.ofSeconds(5));
            for (int i = 0; i < 50; i++) {
                bus.emit(Event.user("n", "slow", null));
            }
            connection.flush(Duration.ofSeconds(5));
            await().until(() -> sub.dropped() > 0);
            release.countDown();
            await().until(() -> sub.delivered() + sub.dropped() == 50);
            assertThat(sub.dropped()).isBetween(1L, 49L);
        } finally {
            release.countDown();
            sub.close();
        }
    }
}
