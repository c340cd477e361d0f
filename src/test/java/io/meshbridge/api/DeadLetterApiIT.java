package io.meshbridge.api;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshbridge.camel.ConsumedEvent;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshConsumer;
import io.meshbridge.camel.MeshHandBackException;
import io.meshbridge.camel.MeshPermanentException;
import io.meshbridge.camel.MeshRetryException;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.camel.StoredDeadLetter;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dead-letter operations ({@link DeadLetterApi}) on real {@code mesh:} routes in a Camel context against a
 * private nats-server, driven through {@link ApiRouter#dispatch}: listing with errors and attempts, paging,
 * the route filter, deletion, bad input, and redrives that reach the failed route only. The dead-letter stream
 * is purged before each test, so counts are exact; results are read with plain jnats.
 */
class DeadLetterApiIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_DLQ_API";
    private static Connection nc;

    private final List<CamelContext> contexts = new ArrayList<>();
    private ApiRouter router;

    /** What the failing route does with the events marked {@code "fail":true}. */
    enum Mode { PERMANENT, ALWAYS, RETRY, HAND_BACK, BLOCK, PASS }

    /** One exchange as the route saw it. */
    record Seen(String subject, long sequence, long deliveries, String consumedId) {
    }

    /** The route's step: fails the marked events as {@link #mode} says, records every exchange by event id. */
    static final class Flaky implements Processor {
        volatile Mode mode = Mode.PERMANENT;
        final CountDownLatch release = new CountDownLatch(1);
        final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();

        @Override
        public void process(Exchange exchange) throws Exception {
            String id = exchange.getIn().getHeader(MeshConstants.EVENT_ID, String.class);
            ConsumedEvent event = exchange.getProperty(MeshConstants.RECEIVED_EVENT_PROPERTY, ConsumedEvent.class);
            seen.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(new Seen(
                    exchange.getIn().getHeader(MeshConstants.SUBJECT, String.class),
                    exchange.getIn().getHeader(MeshConstants.SEQUENCE, Long.class),
                    exchange.getIn().getHeader(MeshConstants.DELIVERIES, Long.class), event.id()));
            if (!exchange.getIn().getBody(String.class).contains("\"fail\":true")) {
                return;
            }
            switch (mode) {
                case PERMANENT -> throw new MeshPermanentException("refused " + id);
                case ALWAYS -> throw new IllegalStateException("broken " + id);
                case RETRY -> throw new MeshRetryException("later " + id, Duration.ofSeconds(1));
                case HAND_BACK -> throw new MeshHandBackException("not now " + id);
                case BLOCK -> release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                case PASS -> { }
            }
        }

        int count(String id) {
            return seen.getOrDefault(id, List.of()).size();
        }
    }

    @BeforeAll
    static void createStream() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
    }

    @BeforeEach
    void purgeDeadLetters() throws Exception {
        try {
            nc.jetStreamManagement().purgeStream(MeshConstants.DLQ_STREAM);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != 10059) { // not created yet: the first route creates it
                throw e;
            }
        }
    }

    @AfterEach
    void stopContexts() {
        contexts.forEach(CamelContext::stop);
    }

    /** Starts a context with route {@code routeId} on {@code events.<token>.>} running {@code flaky}. */
    private CamelContext start(String routeId, String token, String options, Processor flaky) throws Exception {
        CamelContext ctx = MeshTests.context(nc, STREAM);
        contexts.add(ctx);
        ctx.getRegistry().bind("flaky", flaky);
        MeshTests.loadYaml(ctx, route(routeId, token, options, "flaky"));
        ctx.start();
        router = new ApiRouter();
        DeadLetterApi.register(router, ctx, nc);
        return ctx;
    }

    private static String route(String routeId, String token, String options, String ref) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "mesh:events.%s.>?maxDeliver=2&backoff=50ms%s"
                      steps:
                        - process:
                            ref: %s
                """.formatted(routeId, token, options, ref);
    }

    /** Publishes {@code n} events on {@code events.<token>.x}, those in {@code failing} marked; returns ids. */
    private static List<String> publish(String token, int n, List<Integer> failing) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = token + "-" + i;
            MeshTests.publishEvent(nc, token + ".x", "{\"i\":" + i + ",\"fail\":" + failing.contains(i) + "}", id);
            ids.add(id);
        }
        return ids;
    }

    private static List<MessageInfo> deadLetters(String routeId) throws Exception {
        return MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq." + routeId);
    }

    private void awaitDeadLetters(String routeId, int n) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> deadLetters(routeId).size() == n);
    }

    private JsonNode get(Map<String, String> query) throws Exception {
        ApiResponse r = router.dispatch("GET", "/dlq", query, null);
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private JsonNode redrive(String json) throws Exception {
        ApiResponse r = router.dispatch("POST", "/dlq/redrive", Map.of(), json.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private ApiException refusal(String method, String path, Map<String, String> query, String body) {
        try {
            router.dispatch(method, path, query, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        } catch (ApiException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(method + " " + path + " " + body + " was not refused");
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    @Test
    void listsExactlyTheDeadLettersWithTheirErrorAttemptsAndEvent() throws Exception {
        String token = NATS.uniqueName("list");
        String routeId = "list-" + token;
        Flaky flaky = new Flaky();
        start(routeId, token, "", flaky);
        flaky.mode = Mode.PERMANENT;
        List<String> ids = publish(token, 3, List.of(1));
        awaitDeadLetters(routeId, 1);
        flaky.mode = Mode.ALWAYS;
        long failingSeq = MeshTests.publishEvent(nc, token + ".y", "{\"fail\":true}", token + "-always");
        awaitDeadLetters(routeId, 2);
        MeshTests.awaitDrained(nc, STREAM, routeId, 5);

        JsonNode page = get(Map.of("route", routeId));
        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(page.get("next").isNull()).isTrue();
        JsonNode letters = page.get("deadLetters");
        assertThat(texts(letters, "eventId")).containsExactly(ids.get(1), token + "-always");
        List<MessageInfo> stored = deadLetters(routeId);
        assertThat(texts(letters, "id")).containsExactly(Long.toString(stored.get(0).getSeq()),
                Long.toString(stored.get(1).getSeq()));

        JsonNode permanent = letters.get(0);
        assertThat(permanent.get("route").asText()).isEqualTo(routeId);
        assertThat(permanent.get("error").asText())
                .isEqualTo(MeshPermanentException.class.getName() + ": refused " + ids.get(1));
        assertThat(permanent.get("attempts").asLong()).isEqualTo(1);
        assertThat(permanent.get("subject").asText()).isEqualTo("events." + token + ".x");
        assertThat(permanent.get("stream").asText()).isEqualTo(STREAM);
        MessageInfo original = nc.jetStreamManagement().getMessage(STREAM, permanent.get("sequence").asLong());
        assertThat(original.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(ids.get(1));
        assertThat(permanent.get("eventTime").asText()).isEqualTo(original.getTime().toInstant().toString());
        assertThat(permanent.get("time").asText()).isEqualTo(stored.get(0).getTime().toInstant().toString());
        assertThat(permanent.get("encoding").asText()).isEqualTo("json");
        assertThat(permanent.get("event")).isEqualTo(ApiJson.MAPPER.readTree(original.getData()));

        JsonNode always = letters.get(1);
        assertThat(always.get("error").asText()).isEqualTo(IllegalStateException.class.getName() + ": broken "
                + token + "-always");
        assertThat(always.get("attempts").asLong()).isEqualTo(2);
        assertThat(always.get("sequence").asLong()).isEqualTo(failingSeq);
        assertThat(flaky.count(token + "-always")).isEqualTo(2);
        assertThat(flaky.count(ids.get(1))).isEqualTo(1);
    }

    @Test
    void pagesByCursorGiveEveryDeadLetterOnceInOrderAndTheRouteFilterOnlyItsOwn() throws Exception {
        String token = NATS.uniqueName("page");
        String routeId = "page-" + token;
        start(routeId, token, "", new Flaky());
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(i);
        }
        List<String> ids = publish(token, 25, all);
        String otherToken = NATS.uniqueName("other");
        String otherRoute = "other-" + otherToken;
        MeshTests.loadYaml(contexts.get(0), route(otherRoute, otherToken, "", "flaky"));
        List<String> otherIds = publish(otherToken, 3, List.of(0, 1, 2));
        awaitDeadLetters(routeId, 25);
        awaitDeadLetters(otherRoute, 3);

        List<String> listed = new ArrayList<>();
        List<Long> letterIds = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> query = new HashMap<>(Map.of("route", routeId, "limit", "10"));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonNode page = get(query);
            assertThat(page.get("total").asLong()).isEqualTo(25);
            sizes.add(page.get("deadLetters").size());
            listed.addAll(texts(page.get("deadLetters"), "eventId"));
            page.get("deadLetters").forEach(l -> letterIds.add(Long.parseLong(l.get("id").asText())));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(sizes).containsExactly(10, 10, 5);
        assertThat(listed).containsExactlyElementsOf(ids);
        assertThat(letterIds).isSorted().doesNotHaveDuplicates();

        JsonNode other = get(Map.of("route", otherRoute));
        assertThat(texts(other.get("deadLetters"), "eventId")).containsExactlyElementsOf(otherIds);
        assertThat(other.get("total").asLong()).isEqualTo(3);
        JsonNode everything = get(Map.of("limit", "1000"));
        assertThat(everything.get("total").asLong()).isEqualTo(28);
        assertThat(everything.get("deadLetters")).hasSize(28);
        assertThat(get(Map.of("route", "no-such-route")).get("deadLetters")).isEmpty();
    }

    @Test
    void deleteRemovesOneAndAnUnknownIdIs404() throws Exception {
        String token = NATS.uniqueName("del");
        String routeId = "del-" + token;
        Flaky flaky = new Flaky();
        CamelContext ctx = start(routeId, token, "", flaky);
        List<String> ids = publish(token, 2, List.of(0, 1));
        awaitDeadLetters(routeId, 2);
        long first = deadLetters(routeId).get(0).getSeq();
        long second = deadLetters(routeId).get(1).getSeq();
        StoredDeadLetter stale = StoredDeadLetter.of(deadLetters(routeId).get(0));

        ApiResponse deleted = router.dispatch("DELETE", "/dlq/" + first, Map.of(), null);
        assertThat(deleted.body()).isEqualTo(ApiJson.object().put("deleted", Long.toString(first)));
        assertThat(deadLetters(routeId)).extracting(MessageInfo::getSeq).containsExactly(second);
        assertThat(refusal("DELETE", "/dlq/" + first, Map.of(), null).status()).isEqualTo(404);
        assertThat(refusal("DELETE", "/dlq/999999", Map.of(), null).status()).isEqualTo(404);
        ApiException bad = refusal("DELETE", "/dlq/abc", Map.of(), null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad).hasMessageStartingWith("id must be a dead letter's id");
        assertThat(refusal("DELETE", "/dlq/0", Map.of(), null).status()).isEqualTo(400);
        assertThat(get(Map.of("route", routeId)).get("total").asLong()).isEqualTo(1);

        flaky.mode = Mode.PASS;
        MeshConsumer consumer = (MeshConsumer) ctx.getRoute(routeId).getConsumer();
        assertThatThrownBy(() -> consumer.redrive(stale)).as("read before it was deleted")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is no longer stored");
        assertThat(flaky.count(ids.get(0))).isEqualTo(1);
    }

    @Test
    void badParametersAndBodiesAre400NamingThem() throws Exception {
        start("bad-" + NATS.uniqueName("bad"), NATS.uniqueName("bad"), "", new Flaky());
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("{}", "exactly one of all");
        bodies.put("{\"all\":true,\"route\":\"x\"}", "exactly one of all");
        bodies.put("{\"all\":false}", "all must be true");
        bodies.put("{\"route\":\"\"}", "route must be");
        bodies.put("{\"route\":7}", "route must be");
        bodies.put("{\"ids\":[]}", "ids must be");
        bodies.put("{\"ids\":\"12\"}", "ids must be");
        bodies.put("{\"ids\":[\"12\",\"x\"]}", "ids[1] must be");
        bodies.put("{\"ids\":[\"1\",\"2\",\"3\"],\"limit\":2}", "ids lists 3");
        bodies.put("{\"all\":true,\"limit\":0}", "limit must be");
        bodies.put("{\"all\":true,\"limit\":\"5\"}", "limit must be");
        bodies.put("{\"rout\":\"x\"}", "unknown field 'rout'");
        bodies.put("[1]", "the body must be a JSON object");
        bodies.put("{", "the body is not valid JSON");
        bodies.forEach((body, reason) -> {
            ApiException e = refusal("POST", "/dlq/redrive", Map.of(), body);
            assertThat(e.status()).as(body).isEqualTo(400);
            assertThat(e.getMessage()).as(body).contains(reason);
        });
        assertThat(refusal("GET", "/dlq", Map.of("limit", "0"), null)).hasMessageStartingWith("limit must be");
        assertThat(refusal("GET", "/dlq", Map.of("limit", "1001"), null).status()).isEqualTo(400);
        assertThat(refusal("GET", "/dlq", Map.of("cursor", "bm9wZQ"), null)).hasMessageStartingWith("cursor must be");
        ApiException misspelt = refusal("GET", "/dlq", Map.of("rout", "x"), null);
        assertThat(misspelt.status()).isEqualTo(400);
        assertThat(misspelt).hasMessage("unknown parameter rout (known: cursor, limit, route)");
        assertThat(refusal("GET", "/dlq/redrive", Map.of(), null).status()).isEqualTo(405);
    }

    @Test
    void redriveByIdAndByRouteRunsTheFailedRouteOnlyOncePerEventAndRepublishesNothing() throws Exception {
        String token = NATS.uniqueName("redrive");
        String routeId = "redrive-" + token;
        Flaky flaky = new Flaky();
        Flaky witness = new Flaky();
        witness.mode = Mode.PASS;
        CamelContext ctx = start(routeId, token, "", flaky);
        ctx.getRegistry().bind("witness", witness);
        MeshTests.loadYaml(ctx, route("witness-" + token, token, "&batchSize=10", "witness"));
        List<String> ids = publish(token, 6, List.of(1, 3, 4));
        awaitDeadLetters(routeId, 3);
        MeshTests.awaitDrained(nc, STREAM, routeId, 6);
        MeshTests.awaitDrained(nc, STREAM, "witness-" + token, 6);
        List<MessageInfo> letters = deadLetters(routeId);
        Map<String, Seen> firstSeen = new HashMap<>();
        ids.forEach(id -> firstSeen.put(id, flaky.seen.get(id).get(0)));
        long lastEvent = nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getLastSequence();
        AtomicInteger republished = new AtomicInteger();
        Dispatcher plain = nc.createDispatcher(m -> republished.incrementAndGet());
        plain.subscribe("events.>");
        nc.flush(Duration.ofSeconds(5));

        flaky.mode = Mode.PASS;
        JsonNode byId = redrive("{\"ids\":[\"" + letters.get(0).getSeq() + "\"]}");
        assertThat(byId).isEqualTo(ApiJson.MAPPER.readTree("{\"redriven\":1,\"failed\":[],\"skipped\":[],"
                + "\"more\":false}"));
        assertThat(flaky.count(ids.get(1))).isEqualTo(2);
        assertThat(flaky.count(ids.get(3))).isEqualTo(1);
        JsonNode byRoute = redrive("{\"route\":\"" + routeId + "\"}");
        assertThat(byRoute).isEqualTo(ApiJson.MAPPER.readTree("{\"redriven\":2,\"failed\":[],\"skipped\":[],"
                + "\"more\":false}"));

        assertThat(deadLetters(routeId)).isEmpty();
        assertThat(get(Map.of("route", routeId)).get("total").asLong()).isZero();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            boolean failed = List.of(1, 3, 4).contains(i);
            assertThat(flaky.count(id)).as(id).isEqualTo(failed ? 2 : 1);
            assertThat(witness.count(id)).as(id).isEqualTo(1);
            if (failed) {
                Seen original = firstSeen.get(id);
                Seen again = flaky.seen.get(id).get(1);
                assertThat(again).isEqualTo(new Seen(original.subject(), original.sequence(), 2, id));
                assertThat(original.consumedId()).isEqualTo(id);
            }
        }
        nc.flush(Duration.ofSeconds(5));
        assertThat(republished.get()).as("nothing published on events.>").isZero();
        assertThat(nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getLastSequence())
                .isEqualTo(lastEvent);
        MeshTests.awaitDrained(nc, STREAM, "witness-" + token, 6);
        assertThat(MeshTests.consumerInfo(nc, STREAM, "witness-" + token).getDelivered().getConsumerSequence())
                .isEqualTo(6);
        nc.closeDispatcher(plain);
    }

    @Test
    void aRedriveThatFailsAgainKeepsTheDeadLetterAndSaysWhy() throws Exception {
        String token = NATS.uniqueName("again");
        String routeId = "again-" + token;
        Flaky flaky = new Flaky();
        start(routeId, token, "", flaky);
        List<String> ids = publish(token, 2, List.of(0, 1));
        awaitDeadLetters(routeId, 2);
        long first = deadLetters(routeId).get(0).getSeq();
        long second = deadLetters(routeId).get(1).getSeq();

        JsonNode permanent = redrive("{\"ids\":[\"" + first + "\"]}");
        assertThat(permanent.get("redriven").asInt()).isZero();
        assertThat(texts(permanent.get("failed"), "id")).containsExactly(Long.toString(first));
        assertThat(permanent.get("failed").get(0).get("reason").asText())
                .isEqualTo(MeshPermanentException.class.getName() + ": refused " + ids.get(0));
        flaky.mode = Mode.RETRY;
        JsonNode retry = redrive("{\"all\":true}");
        assertThat(retry.get("redriven").asInt()).isZero();
        assertThat(texts(retry.get("failed"), "id")).containsExactly(Long.toString(first), Long.toString(second));
        assertThat(retry.get("failed").get(1).get("reason").asText())
                .isEqualTo(MeshRetryException.class.getName() + ": later " + ids.get(1));
        assertThat(retry.get("skipped")).isEmpty();
        flaky.mode = Mode.HAND_BACK;
        JsonNode handBack = redrive("{\"route\":\"" + routeId + "\",\"limit\":1}");
        assertThat(handBack).isEqualTo(ApiJson.MAPPER.readTree("{\"redriven\":0,\"failed\":[{\"id\":\"" + first
                + "\",\"reason\":\"" + MeshHandBackException.class.getName() + ": not now " + ids.get(0) + "\"}],"
                + "\"skipped\":[],\"more\":true}"));
        assertThat(deadLetters(routeId)).extracting(MessageInfo::getSeq).containsExactly(first, second);
        assertThat(flaky.count(ids.get(0))).isEqualTo(4);
        assertThat(flaky.count(ids.get(1))).isEqualTo(2);
    }

    @Test
    void deadLettersOfARouteNotRunningHereAreSkipped() throws Exception {
        String token = NATS.uniqueName("stopped");
        String routeId = "stopped-" + token;
        Flaky flaky = new Flaky();
        CamelContext ctx = start(routeId, token, "", flaky);
        List<String> ids = publish(token, 1, List.of(0));
        awaitDeadLetters(routeId, 1);
        long stopped = deadLetters(routeId).get(0).getSeq();
        Headers ghostHeaders = new Headers().put(MeshConstants.DLQ_ROUTE, "ghost")
                .put(MeshConstants.DLQ_ORIGINAL_SUBJECT, "events.ghost.x").put(MeshConstants.DLQ_ORIGINAL_STREAM, STREAM)
                .put(MeshConstants.DLQ_ORIGINAL_SEQUENCE, "1").put(MeshConstants.DLQ_DELIVERIES, "5");
        long ghost = nc.jetStream().publish("mesh.dlq.ghost", ghostHeaders, "{}".getBytes(StandardCharsets.UTF_8))
                .getSeqno();
        long handMade = nc.jetStream().publish("mesh.dlq.hand", "not json \u0001".getBytes(StandardCharsets.UTF_8))
                .getSeqno();
        ctx.getRouteController().stopRoute(routeId);
        flaky.mode = Mode.PASS;

        JsonNode result = redrive("{\"all\":true}");
        assertThat(result.get("redriven").asInt()).isZero();
        assertThat(result.get("failed")).isEmpty();
        assertThat(texts(result.get("skipped"), "id")).containsExactly(Long.toString(stopped), Long.toString(ghost),
                Long.toString(handMade));
        assertThat(texts(result.get("skipped"), "reason")).containsExactly(
                "route " + routeId + " is not running on this worker (Stopped)",
                "route ghost is not running on this worker",
                "not written by a route: it names no original subject, stream and sequence");
        assertThat(flaky.count(ids.get(0))).isEqualTo(1);
        assertThat(MeshTests.messages(nc, MeshConstants.DLQ_STREAM, null)).hasSize(3);
        JsonNode hand = get(Map.of("route", "hand")).get("deadLetters").get(0);
        assertThat(hand.get("encoding").asText()).isEqualTo("base64");
        assertThat(hand.get("event").asText()).isEqualTo("bm90IGpzb24gAQ==");
        assertThat(hand.get("attempts").isNull()).isTrue();
        assertThat(get(Map.of("route", "ghost")).get("deadLetters").get(0).get("eventId").isNull()).isTrue();
    }

    @Test
    void aRedriveWithoutAnOutcomeInTimeEndsTheCallAndIsSettledWhenTheRouteFinishes() throws Exception {
        String token = NATS.uniqueName("slow");
        String routeId = "slow-" + token;
        Flaky flaky = new Flaky();
        start(routeId, token, "&ackWait=1s&maxProcessingTime=1s", flaky);
        List<String> ids = publish(token, 2, List.of(0, 1));
        awaitDeadLetters(routeId, 2);
        long first = deadLetters(routeId).get(0).getSeq();
        long second = deadLetters(routeId).get(1).getSeq();

        flaky.mode = Mode.BLOCK;
        JsonNode result = redrive("{\"ids\":[\"" + first + "\",\"" + second + "\"]}");
        assertThat(result.get("redriven").asInt()).isZero();
        assertThat(texts(result.get("failed"), "id")).containsExactly(Long.toString(first));
        assertThat(result.get("failed").get(0).get("reason").asText()).startsWith("no outcome within 1000 ms");
        assertThat(texts(result.get("skipped"), "id")).containsExactly(Long.toString(second));
        assertThat(result.get("more").asBoolean()).isTrue();
        assertThat(deadLetters(routeId)).hasSize(2);

        flaky.release.countDown();
        await().atMost(WAIT).until(() -> deadLetters(routeId).size() == 1);
        assertThat(deadLetters(routeId).get(0).getSeq()).isEqualTo(second);
        assertThat(flaky.count(ids.get(0))).isEqualTo(2);
        assertThat(flaky.count(ids.get(1))).isEqualTo(1);
    }

    @Test
    void theOpenApiDocumentDescribesEveryDeadLetterOperation() throws Exception {
        start("doc-" + NATS.uniqueName("doc"), NATS.uniqueName("doc"), "", new Flaky());
        JsonNode paths = OpenApi.document().get("paths");
        for (ApiRouter.Operation op : router.operations()) {
            JsonNode operation = paths.path("/api" + op.path()).path(op.method().toLowerCase(java.util.Locale.ROOT));
            assertThat(operation.isObject()).as(op.method() + " " + op.path()).isTrue();
            assertThat(operation.path("summary").asText()).isEqualTo(op.summary());
            assertThat(operation.at("/responses/200/content/application~1json/schema/required").isArray())
                    .as(op.method() + " " + op.path() + " documents its answer").isTrue();
        }
        assertThat(router.operations()).hasSize(3);
    }

    @Test
    void redrivingAnUnknownIdIsSkipped() throws Exception {
        start("unknown-" + NATS.uniqueName("u"), NATS.uniqueName("u"), "", new Flaky());
        assertThat(redrive("{\"ids\":[\"424242\"]}")).isEqualTo(ApiJson.MAPPER.readTree("{\"redriven\":0,"
                + "\"failed\":[],\"skipped\":[{\"id\":\"424242\",\"reason\":\"no dead letter with this id (deleted,"
                + " redriven or expired)\"}],\"more\":false}"));
        assertThatThrownBy(() -> router.dispatch("DELETE", "/dlq/424242", Map.of(), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
