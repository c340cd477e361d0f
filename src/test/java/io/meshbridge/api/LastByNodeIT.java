package io.meshbridge.api;

import static io.meshbridge.api.ApiServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/history/last?by=node} over real HTTP on a private nats-server, the stream {@value #STREAM}
 * created anew by each test: nodes publish {@code node.health} on the one subject {@code events.node.health}, as
 * the reference producers do, with data {@code {"round": r}}; an event is written {@code node=round} below.
 */
class LastByNodeIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    static final String STREAM = "LAST_BY_NODE";

    static Connection nc;
    static JetStreamManagement jsm;
    static ApiServer api;

    @BeforeAll
    static void start() throws Exception {
        nc = NATS.connect();
        jsm = nc.jetStreamManagement();
        api = ApiServer.start(router -> {
            try {
                HistoryApi.register(router, nc, STREAM, null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @BeforeEach
    void noStream() throws Exception {
        if (jsm.getStreamNames().contains(STREAM)) {
            jsm.deleteStream(STREAM);
        }
    }

    @Test
    void byNodeGivesExactlyTheLastEventOfEveryNodeOnTheOneSubjectAndBySubjectStaysAsItWas() throws Exception {
        PersistentBus bus = bus(0);
        for (int round = 1; round <= 400; round++) { // 1600 messages: the read takes more than one page
            for (String node : List.of("a", "b", "c")) {
                bus.emitAsync(health(node, round));
            }
            bus.emitAsync(new Event("node.joined", "d", null, Map.of("round", round)));
        }
        bus.emitAsync(health("b", 401));
        bus.awaitInFlight(Duration.ofSeconds(30));

        JsonNode health = api.ok("/history/last?filter=node.health&by=node");
        assertThat(rounds(health)).containsExactly("node.health a=400", "node.health c=400", "node.health b=401");
        assertThat(health.get("undecodable")).isEmpty();
        assertThat(health.get("undecodableCount").asLong()).isZero();
        assertThat(health.get("fromSequence").asLong()).isEqualTo(1);
        assertThat(health.get("toSequence").asLong()).isEqualTo(1601);
        assertThat(health.get("windowed").asBoolean()).isFalse();
        assertThat(rounds(api.ok("/history/last?filter=" + q("node.*") + "&by=node"))).containsExactly(
                "node.health a=400", "node.health c=400", "node.joined d=400", "node.health b=401");

        JsonNode bySubject = api.ok("/history/last?filter=node.health&by=subject");
        assertThat(rounds(bySubject)).as("one subject, one event").containsExactly("node.health b=401");
        assertThat(bySubject.has("windowed")).isFalse();
        assertThat(api.ok("/history/last?filter=node.health")).as("by=subject is the default").isEqualTo(bySubject);
        assertThat(rounds(api.ok("/history/last?filter=" + q("node.*")))).containsExactly("node.joined d=400",
                "node.health b=401");
    }

    @Test
    void aWindowSmallerThanTheDataGivesOnlyThePairsSeenInItAndSaysItCutOlderMatches() throws Exception {
        PersistentBus bus = bus(0);
        bus.emit(new Event("tool.started", "x", null, Map.of("tool", "calc"))); // 1
        for (String nodeRound : List.of("a1", "b1", "c1", "a2", "b2")) { // 2 to 6
            bus.emit(health(nodeRound.substring(0, 1), Integer.parseInt(nodeRound.substring(1))));
        }

        JsonNode two = api.ok("/history/last?filter=node.health&by=node&window=2");
        assertThat(rounds(two)).containsExactly("node.health a=2", "node.health b=2");
        assertThat(two.get("fromSequence").asLong()).isEqualTo(5);
        assertThat(two.get("toSequence").asLong()).isEqualTo(6);
        assertThat(two.get("windowed").asBoolean()).isTrue();
        JsonNode three = api.ok("/history/last?filter=node.health&by=node&window=3");
        assertThat(rounds(three)).containsExactly("node.health c=1", "node.health a=2", "node.health b=2");
        assertThat(three.get("windowed").asBoolean()).as("a1 and b1 lie before it").isTrue();

        JsonNode five = api.ok("/history/last?filter=node.health&by=node&window=5");
        assertThat(rounds(five)).containsExactly("node.health c=1", "node.health a=2", "node.health b=2");
        assertThat(five.get("fromSequence").asLong()).isEqualTo(2);
        assertThat(five.get("windowed").asBoolean()).as("only a tool event lies before it").isFalse();
        JsonNode everyEvent = api.ok("/history/last?by=node&window=5");
        assertThat(rounds(everyEvent)).containsExactly("node.health c=1", "node.health a=2", "node.health b=2");
        assertThat(everyEvent.get("windowed").asBoolean()).as("the tool event matches events.>").isTrue();
        JsonNode all = api.ok("/history/last?by=node&window=1000000");
        assertThat(rounds(all)).containsExactly("tool.started x=calc", "node.health c=1", "node.health a=2",
                "node.health b=2");
        assertThat(all.get("fromSequence").asLong()).isEqualTo(1);
        assertThat(all.get("windowed").asBoolean()).isFalse();
    }

    @Test
    void theWindowStartsNoEarlierThanTheStreamsFirstMessage() throws Exception {
        PersistentBus bus = bus(3);
        for (int round = 1; round <= 3; round++) {
            bus.emit(health("a", round));
            bus.emit(health("b", round));
        }
        JsonNode answer = api.ok("/history/last?filter=node.health&by=node");
        assertThat(rounds(answer)).containsExactly("node.health a=3", "node.health b=3");
        assertThat(answer.get("fromSequence").asLong()).isEqualTo(4);
        assertThat(answer.get("toSequence").asLong()).isEqualTo(6);
        assertThat(answer.get("windowed").asBoolean()).as("the stream holds nothing older").isFalse();
    }

    @Test
    void undecodableMessagesAreCountedAndTheLastOfEachSubjectListed() throws Exception {
        PersistentBus bus = bus(0);
        bus.emit(health("a", 1)); // 1
        raw("events.node.health", "not json"); // 2
        bus.emit(health("b", 1)); // 3
        raw("events.node.health", "[1,2,3]"); // 4
        raw("events.node.left", ""); // 5
        bus.emit(health("a", 2)); // 6

        JsonNode answer = api.ok("/history/last?filter=" + q("node.>") + "&by=node");
        assertThat(rounds(answer)).containsExactly("node.health b=1", "node.health a=2");
        assertThat(answer.get("undecodableCount").asLong()).isEqualTo(3);
        assertThat(answer.get("undecodable")).extracting(u -> u.get("sequence").asLong() + " " + u.get("subject")
                .asText() + " " + u.get("bytes").asInt()).containsExactly("4 events.node.health 7",
                "5 events.node.left 0");
        assertThat(answer.get("undecodable").get(0).get("stream").asText()).isEqualTo(STREAM);
        assertThat(answer.get("undecodable").get(0).get("reason").asText()).isNotEmpty();

        JsonNode two = api.ok("/history/last?filter=" + q("node.>") + "&by=node&window=2");
        assertThat(rounds(two)).containsExactly("node.health a=2");
        assertThat(two.get("undecodable")).extracting(u -> u.get("sequence").asLong()).containsExactly(5L);
        assertThat(two.get("undecodableCount").asLong()).isEqualTo(1);
        assertThat(two.get("windowed").asBoolean()).isTrue();
    }

    @Test
    void moreThanAThousandPairsInTheWindowAreRefusedNamingTheFilter() throws Exception {
        PersistentBus bus = bus(0);
        for (int i = 0; i <= LastByNode.MAX_PAIRS; i++) {
            bus.emitAsync(health("n" + i, 1));
        }
        bus.awaitInFlight(Duration.ofSeconds(30));

        HttpResponse<String> answer = api.get("/history/last?filter=node.health&by=node");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(ApiJson.MAPPER.readTree(answer.body()).get("reason").asText()).isEqualTo("filter"
                + " events.node.health matches more than 1000 (subject, node) pairs in the window of sequences 1 to"
                + " 1001, more than one answer covers: narrow it or the window");
        JsonNode thousand = api.ok("/history/last?filter=node.health&by=node&window=1000");
        assertThat(thousand.get("events")).hasSize(1000);
        assertThat(thousand.get("events").get(0).get("node").asText()).isEqualTo("n1");
        assertThat(thousand.get("windowed").asBoolean()).isTrue();
    }

    @Test
    void badByAndWindowAreRefusedWithFourHundredNamingThem() throws Exception {
        bus(0).emit(health("a", 1));
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("by=host", "by must be subject or node, was 'host'");
        refusals.put("by=Node", "by must be subject or node, was 'Node'");
        refusals.put("by=node&window=0", "window must be an integer from 1 to 1000000, was '0'");
        refusals.put("by=node&window=1000001", "window must be an integer from 1 to 1000000, was '1000001'");
        refusals.put("by=node&window=many", "window must be an integer from 1 to 1000000, was 'many'");
        refusals.put("window=10", "window applies to by=node only");
        refusals.put("by=subject&window=10", "window applies to by=node only");
        refusals.put("by=node&filter=a..b", "filter: subject filter 'events.a..b' has an empty token");
        refusals.put("by=node&limit=5", "unknown parameter limit (known: by, filter, window)");

        for (Map.Entry<String, String> r : refusals.entrySet()) {
            HttpResponse<String> answer = api.get("/history/last?" + r.getKey());
            assertThat(answer.statusCode()).as(r.getKey() + ": " + answer.body()).isEqualTo(400);
            assertThat(ApiJson.MAPPER.readTree(answer.body()).get("reason").asText()).as(r.getKey())
                    .isEqualTo(r.getValue());
        }
        assertThat(rounds(api.ok("/history/last?by=node"))).as("the stream still answers")
                .containsExactly("node.health a=1");
    }

    @Test
    void withoutTheStreamOrWithAnEmptyOneTheAnswerIsEmptyAndSaysNothingWasRead() throws Exception {
        JsonNode none = api.ok("/history/last?by=node");
        assertThat(none.get("events")).isEmpty();
        assertThat(none.get("fromSequence").isNull()).isTrue();
        assertThat(none.get("toSequence").isNull()).isTrue();
        assertThat(none.get("windowed").asBoolean()).isFalse();

        bus(0).emit(health("a", 1));
        jsm.purgeStream(STREAM);
        JsonNode purged = api.ok("/history/last?by=node&filter=node.health");
        assertThat(purged.get("events")).isEmpty();
        assertThat(purged.get("fromSequence").isNull()).isTrue();
    }

    @Test
    void theHistoryOperationsAreDocumentedWithTheRoutersSummaries() throws Exception {
        ApiRouter router = new ApiRouter();
        HistoryApi.register(router, nc, STREAM, null);
        JsonNode paths = OpenApi.document().get("paths");
        for (ApiRouter.Operation op : router.operations()) {
            JsonNode described = paths.path("/api" + op.path()).path(op.method().toLowerCase());
            assertThat(described.path("summary").asText()).as(op.path()).isEqualTo(op.summary());
        }
        List<String> lastParams = new ArrayList<>();
        paths.path("/api/history/last").path("get").path("parameters").forEach(p -> lastParams.add(
                p.get("name").asText()));
        assertThat(lastParams).containsExactly("filter", "by", "window");
        assertThat(router.operations()).hasSize(2);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Creates the stream, keeping at most {@code maxMsgs} messages (0: no limit). */
    static PersistentBus bus(long maxMsgs) throws Exception {
        return PersistentBus.open(nc, "node-a", PersistConfig.defaults().withStreamName(STREAM)
                .withLimits(Duration.ofHours(1), maxMsgs));
    }

    static Event health(String node, int round) {
        return new Event("node.health", node, null, Map.of("status", "online", "round", round));
    }

    /** Stores {@code payload} on {@code subject} as it is, acknowledged. */
    static void raw(String subject, String payload) throws Exception {
        nc.jetStream().publish(subject, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Each event of the answer as {@code type node=round} (or {@code =tool}), in order. */
    static List<String> rounds(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.get("events").forEach(e -> out.add(e.get("type").asText() + " " + e.get("node").asText() + "="
                + (e.get("data").has("round") ? e.get("data").get("round").asText() : e.get("data").get("tool")
                .asText())));
        return out;
    }
}
