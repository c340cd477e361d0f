package io.meshbridge.webhook.camel;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.camel.ConnectorPause;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.NatsServerExtension;
import io.meshbridge.webhook.WebhookReceiver;
import io.meshbridge.webhook.WebhookReceiver.Reply;
import io.meshbridge.webhook.WebhookReceiver.Request;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped {@code mesh-webhook} template against a real nats-server and a real HTTP receiver that checks
 * every signature with its own HMAC code: retries, Retry-After, dead letters, the pause on 410, an endpoint
 * that is down and comes back, per-subject order, and 10,000 events through random 500s counted exactly.
 */
class WebhookRouteIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_WEBHOOK";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KEY = new byte[24];
    private static String secret;
    private static Connection nc;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void setUp() throws Exception {
        new SecureRandom().nextBytes(KEY);
        secret = "whsec_" + Base64.getEncoder().encodeToString(KEY);
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
        receiver = new WebhookReceiver(KEY);
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
    }

    private static CamelContext start(String routeId, String filter, String path, Map<String, String> extra)
            throws Exception {
        CamelContext ctx = MeshTests.context(nc, STREAM);
        PluginHelper.getRoutesLoader(ctx).loadRoutes(
                ResourceHelper.resolveMandatoryResource(ctx, "classpath:templates/mesh-webhook.yaml"));
        Map<String, String> params = new HashMap<>();
        params.put("filter", filter);
        params.put("url", receiver.url(path));
        params.put("secret", secret);
        params.put("retrySchedule", "200ms");
        params.put("maxAttempts", "5");
        params.put("deliverPolicy", "all");
        params.putAll(extra);
        StringBuilder yaml = new StringBuilder("""
                - templatedRoute:
                    routeTemplateRef: mesh-webhook
                    routeId: %s
                    parameters:
                """.formatted(routeId));
        params.forEach((k, v) -> yaml.append("      - name: ").append(k).append("\n        value: \"")
                .append(v).append("\"\n"));
        MeshTests.loadYaml(ctx, yaml.toString());
        ctx.start();
        return ctx;
    }

    private static List<Request> at(String path) {
        return receiver.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void twoServerErrorsThenSuccessDeliversOnceWithTheSameIdAndValidSignatures() throws Exception {
        receiver.respond(r -> r.path().equals("/retry") && r.attempt() <= 2 ? Reply.of(500) : Reply.of(200));
        long seq = MeshTests.publishEvent(nc, "tool.retry", "{\"tool\":\"a\"}", "retry-1");
        try (CamelContext ctx = start("hook-retry", "events.tool.retry", "/retry", Map.of())) {
            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, "hook-retry", 3);
            List<Request> got = at("/retry");
            assertThat(got).hasSize(3);
            assertThat(got).extracting(Request::id).containsOnly("retry-1");
            assertThat(got).allMatch(Request::signatureValid);
            assertThat(got).extracting(Request::contentType).containsOnly("application/json");
            assertThat(got.get(2).body()).isEqualTo(MeshTests.messages(nc, STREAM, "events.tool.retry").get(0)
                    .getData());
            assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(seq);
            assertThat(MeshTests.consumerInfo(nc, STREAM, "hook-retry").getDelivered().getConsumerSequence())
                    .isEqualTo(3);
        }
    }

    @Test
    void cloudEventsBodiesSignedWithTwoSecretsWhileRotating() throws Exception {
        receiver.respond(r -> Reply.of(200));
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        String both = "whsec_" + Base64.getEncoder().encodeToString(other) + " " + secret;
        long seq = MeshTests.publishEvent(nc, "tool.ce", "{\"tool\":\"whisper\",\"code\":3}", "ce-1");
        try (CamelContext ctx = start("hook-ce", "events.tool.ce", "/ce", Map.of("format", "cloudevents",
                "secret", both, "headers", "X-Team: ops"))) {
            MeshTests.awaitDrained(nc, STREAM, "hook-ce", 1);
            Request r = at("/ce").get(0);
            assertThat(r.contentType()).isEqualTo("application/cloudevents+json");
            assertThat(r.signature().split(" ")).hasSize(2).allMatch(sig -> sig.startsWith("v1,"));
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.headers().get("X-team")).containsExactly("ops");
            JsonNode ce = JSON.readTree(r.body());
            assertThat(ce.path("specversion").asText()).isEqualTo("1.0");
            assertThat(ce.path("id").asText()).isEqualTo("ce-1");
            assertThat(ce.path("source").asText()).isEqualTo("urn:jb-mesh:node:n1");
            assertThat(ce.path("type").asText()).isEqualTo("tool.ce");
            assertThat(ce.path("subject").asText()).isEqualTo("events.tool.ce");
            assertThat(ce.path("time").asText()).isEqualTo("2026-11-29T10:45:28.123Z");
            assertThat(ce.path("datacontenttype").asText()).isEqualTo("application/json");
            assertThat(ce.path("data").toString()).isEqualTo("{\"tool\":\"whisper\",\"code\":3}");
            assertThat(MeshTests.consumerInfo(nc, STREAM, "hook-ce").getAckFloor().getStreamSequence()).isEqualTo(seq);
        }
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        receiver.respond(r -> r.path().equals("/busy") && r.attempt() == 1
                ? new Reply(429, Map.of("Retry-After", "2"), "slow down") : Reply.of(200));
        MeshTests.publishEvent(nc, "tool.busy", "{}", "busy-1");
        try (CamelContext ctx = start("hook-busy", "events.tool.busy", "/busy", Map.of("retrySchedule", "1s,30s"))) {
            MeshTests.awaitDrained(nc, STREAM, "hook-busy", 2);
            List<Request> got = at("/busy");
            assertThat(got).hasSize(2);
            Duration gap = Duration.ofNanos(got.get(1).receivedNanos() - got.get(0).receivedNanos());
            // Retry-After: 2, longer than the schedule's first delay (1 s), shorter than its longest (30 s)
            assertThat(gap).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(20));
        }
    }

    @Test
    void badRequestGoesToTheDeadLettersAtOnceWithoutSecrets() throws Exception {
        receiver.respond(r -> r.path().startsWith("/bad") ? new Reply(400, Map.of(), "field \"tool\" unknown\n")
                : Reply.of(200));
        long seq = MeshTests.publishEvent(nc, "tool.bad", "{}", "bad-1");
        try (CamelContext ctx = start("hook-bad", "events.tool.bad", "/bad/token-in-path?key=hidden", Map.of())) {
            await().atMost(WAIT).until(() -> !MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.hook-bad")
                    .isEmpty());
            MessageInfo dead = MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.hook-bad").get(0);
            String error = dead.getHeaders().getFirst(MeshConstants.DLQ_ERROR);
            assertThat(error).contains("HTTP 400").contains("127.0.0.1").contains("field \"tool\" unknown");
            assertThat(error).doesNotContain("token-in-path").doesNotContain("hidden").doesNotContain(secret);
            assertThat(dead.getHeaders().getFirst(MeshConstants.DLQ_ORIGINAL_SEQUENCE)).isEqualTo(
                    Long.toString(seq));
            assertThat(at("/bad/token-in-path")).hasSize(1);
            MeshTests.awaitDrained(nc, STREAM, "hook-bad", 1);
        }
    }

    @Test
    void goneParksTheRouteOnEveryWorkerAndARestartResumesIt() throws Exception {
        receiver.respond(r -> r.path().equals("/gone") ? Reply.of(410) : Reply.of(200));
        MeshTests.publishEvent(nc, "tool.gone", "{}", "gone-1");
        try (CamelContext ctx = start("hook-gone", "events.tool.gone", "/gone", Map.of())) {
            await().atMost(WAIT).until(() -> nc.keyValue(ConnectorPause.BUCKET).get("hook-gone") != null);
            KeyValueEntry entry = nc.keyValue(ConnectorPause.BUCKET).get("hook-gone");
            assertThat(entry.getValueAsString()).contains("HTTP 410").contains("hook-gone");
            await().atMost(WAIT).until(() -> !MeshTests.messages(nc, STREAM, "events.user.mesh-bridge.webhook-paused")
                    .isEmpty());
            JsonNode paused = JSON.readTree(MeshTests.messages(nc, STREAM, "events.user.mesh-bridge.webhook-paused")
                    .get(0).getData());
            assertThat(paused.path("type").asText()).isEqualTo("user.mesh-bridge.webhook-paused");
            assertThat(paused.path("data").path("route").asText()).isEqualTo("hook-gone");
            assertThat(paused.path("data").path("status").asInt()).isEqualTo(410);
            assertThat(paused.path("data").path("endpoint").asText()).isEqualTo(receiver.url("").replaceAll("/$", ""));

            // paused: three more events stay in the stream, the durable acknowledges none of the four, nothing more
            // is posted. (Not read from the pending count: a pull request sent ahead before the pause may hand the
            // paused route some of them, and nats-server 2.9 counts a handed-back message both pending and awaiting
            // its acknowledgement.)
            for (int i = 2; i <= 4; i++) {
                MeshTests.publishEvent(nc, "tool.gone", "{}", "gone-" + i);
            }
            await().atMost(WAIT).until(() -> MeshTests.messages(nc, STREAM, "events.tool.gone").size() == 4);
            assertThat(MeshTests.consumerInfo(nc, STREAM, "hook-gone").getAckFloor().getStreamSequence()).isZero();
            assertThat(at("/gone")).hasSize(1);
        }
        receiver.respond(r -> Reply.of(200));
        try (CamelContext ctx = start("hook-gone", "events.tool.gone", "/gone", Map.of())) {
            MeshTests.awaitDrained(nc, STREAM, "hook-gone", 5);
            assertThat(nc.keyValue(ConnectorPause.BUCKET).get("hook-gone")).isNull();
            assertThat(at("/gone").stream().map(Request::id).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("gone-1", "gone-2", "gone-3", "gone-4");
        }
    }

    @Test
    void anEndpointDownForTenSecondsGetsEverythingWhenItReturns() throws Exception {
        receiver.respond(r -> Reply.of(200));
        try (CamelContext ctx = start("hook-down", "events.tool.down", "/down",
                Map.of("retrySchedule", "1s", "maxAttempts", "40"))) {
            receiver.stop();
            try {
                for (int i = 0; i < 50; i++) {
                    MeshTests.publishEvent(nc, "tool.down", "{\"n\":" + i + "}", "down-" + i);
                }
                long start = System.nanoTime();
                await().atMost(WAIT).until(() -> MeshTests.consumerInfo(nc, STREAM, "hook-down").getDelivered()
                        .getConsumerSequence() >= 100); // every event tried at least twice while down
                Duration rest = Duration.ofSeconds(10).minusNanos(System.nanoTime() - start);
                if (!rest.isNegative()) {
                    await().pollDelay(rest).atMost(rest.plusSeconds(5)).until(() -> true); // down for 10 s in all
                }
            } finally {
                receiver.start();
            }
            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, "hook-down", 100);
            assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(info.getDelivered().getStreamSequence());
            Set<String> ids = at("/down").stream().map(Request::id).collect(Collectors.toSet());
            assertThat(ids).hasSize(50);
            assertThat(at("/down")).hasSize(50).allMatch(Request::signatureValid);
            assertThat(MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.hook-down")).isEmpty();
        }
    }

    @Test
    void orderedRoutesPostASubjectsEventsOneAfterTheOther() throws Exception {
        // the first attempt of every 7th event fails; nothing later of its subject may be tried before it is done
        receiver.respond(r -> {
            int n = Integer.parseInt(r.id().substring(r.id().lastIndexOf('-') + 1));
            return r.path().equals("/ordered") && n % 7 == 0 && r.attempt() == 1 ? Reply.of(503) : Reply.of(200);
        });
        List<String> subjects = List.of("events.tool.ordered.a", "events.tool.ordered.b", "events.tool.ordered.c");
        for (int i = 0; i < 90; i++) {
            String subject = subjects.get(i % 3);
            MeshTests.publish(nc, subject, MeshTests.envelope(subject.substring("events.".length()), "{\"n\":" + i
                    + "}"), "ord-" + i);
        }
        try (CamelContext ctx = start("hook-ordered", "events.tool.ordered.*", "/ordered",
                Map.of("ordered", "true"))) {
            MeshTests.awaitDrained(nc, STREAM, "hook-ordered", 90 + 13);
            Map<String, List<Integer>> attempts = new HashMap<>();
            for (Request r : at("/ordered")) {
                int n = Integer.parseInt(r.id().substring(4));
                attempts.computeIfAbsent(JSON.readTree(r.body()).path("type").asText(), k -> new ArrayList<>()).add(n);
            }
            assertThat(attempts).hasSize(3);
            for (List<Integer> ns : attempts.values()) {
                assertThat(ns).isSorted(); // a retry comes before anything later of its subject
                assertThat(new HashSet<>(ns)).hasSize(30);
            }
            assertThat(at("/ordered")).hasSize(90 + 13); // 13 of the 90 (0, 7, ..., 84) failed once
        }
    }

    @Test
    void tenThousandEventsThroughRandomServerErrorsArriveExactlyOnceAfterDeduplication() throws Exception {
        receiver.respond(r -> ThreadLocalRandom.current().nextInt(5) == 0 ? Reply.of(500) : Reply.of(200));
        int n = 10_000;
        var js = nc.jetStream();
        List<java.util.concurrent.CompletableFuture<io.nats.client.api.PublishAck>> acks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            io.nats.client.impl.Headers h = new io.nats.client.impl.Headers().put("Nats-Msg-Id", "bulk-" + i);
            acks.add(js.publishAsync(io.nats.client.impl.NatsMessage.builder().subject("events.tool.bulk")
                    .headers(h).data(MeshTests.envelope("tool.bulk", "{\"n\":" + i + "}")).build()));
        }
        for (var a : acks) {
            a.get();
        }
        try (CamelContext ctx = start("hook-bulk", "events.tool.bulk", "/bulk",
                Map.of("retrySchedule", "50ms", "maxAttempts", "30"))) {
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                ConsumerInfo i = MeshTests.consumerInfo(nc, STREAM, "hook-bulk");
                return i.getNumPending() == 0 && i.getNumAckPending() == 0;
            });
            List<Request> got = at("/bulk");
            Map<String, Integer> successes = new HashMap<>(receiver.successes());
            successes.keySet().removeIf(id -> !id.startsWith("bulk-"));
            assertThat(successes).hasSize(n);
            assertThat(new HashSet<>(successes.values())).containsExactly(1); // each answered 2xx exactly once
            Set<String> ids = got.stream().map(Request::id).collect(Collectors.toSet());
            assertThat(ids).hasSize(n);
            assertThat(got).allMatch(Request::signatureValid);
            assertThat(MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.hook-bulk")).isEmpty();
            System.out.printf("10,000 events through 20%% random 500s: %d requests, %d beyond one per event%n",
                    got.size(), got.size() - n);
        }
    }

    @Test
    void atMostMaxInFlightRequestsAtOnceAndAHungEndpointHoldsOnlyItsOwnRoute() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger hanging = new AtomicInteger();
        receiver.respond(r -> {
            if (r.path().equals("/hang")) {
                hanging.incrementAndGet();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                hanging.decrementAndGet();
            }
            return Reply.of(200);
        });
        for (int i = 0; i < 40; i++) {
            MeshTests.publishEvent(nc, "tool.hang", "{}", "hang-" + i);
            MeshTests.publishEvent(nc, "tool.fast", "{}", "fast-" + i);
        }
        try (CamelContext hung = start("hook-hang", "events.tool.hang", "/hang",
                     Map.of("maxInFlight", "4", "readTimeout", "60s"));
             CamelContext fast = start("hook-fast", "events.tool.fast", "/fast", Map.of())) {
            MeshTests.awaitDrained(nc, STREAM, "hook-fast", 40);
            assertThat(at("/fast")).hasSize(40);
            // every event of the hung route fetched, four of them posted and waiting for an answer, no more
            await().atMost(WAIT).until(() -> MeshTests.consumerInfo(nc, STREAM, "hook-hang").getNumPending() == 0
                    && hanging.get() == 4);
            assertThat(at("/hang")).hasSize(4);
            release.countDown();
            MeshTests.awaitDrained(nc, STREAM, "hook-hang", 40);
            assertThat(at("/hang")).hasSize(40);
        }
    }

    @Test
    void failingWithoutASuccessForPauseAfterPausesTheRoute() throws Exception {
        receiver.respond(r -> r.path().equals("/failing") ? Reply.of(503) : Reply.of(200));
        MeshTests.publishEvent(nc, "tool.failing", "{}", "failing-1");
        try (CamelContext ctx = start("hook-failing", "events.tool.failing", "/failing",
                Map.of("pauseAfter", "1s", "maxAttempts", "100"))) {
            await().atMost(WAIT).until(() -> nc.keyValue(ConnectorPause.BUCKET).get("hook-failing") != null);
            assertThat(nc.keyValue(ConnectorPause.BUCKET).get("hook-failing").getValueAsString())
                    .contains("no success for").contains("HTTP 503");
            int attempts = at("/failing").size();
            assertThat(attempts).isBetween(5, 99); // 200 ms apart for about a second
            assertThat(MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.hook-failing")).isEmpty();
        }
    }

    @Test
    void theRateLimitSpacesRequests() throws Exception {
        receiver.respond(r -> Reply.of(200));
        for (int i = 0; i < 21; i++) {
            MeshTests.publishEvent(nc, "tool.paced", "{}", "paced-" + i);
        }
        try (CamelContext ctx = start("hook-paced", "events.tool.paced", "/paced", Map.of("rateLimit", "20"))) {
            MeshTests.awaitDrained(nc, STREAM, "hook-paced", 21);
            List<Request> got = at("/paced");
            assertThat(got).hasSize(21);
            Duration span = Duration.ofNanos(got.get(20).receivedNanos() - got.get(0).receivedNanos());
            assertThat(span).isGreaterThanOrEqualTo(Duration.ofMillis(950)); // 20 intervals of 50 ms
        }
    }

    @Test
    void aNewRouteStartsAtNewEventsByDefault() throws Exception {
        receiver.respond(r -> Reply.of(200));
        MeshTests.publishEvent(nc, "tool.fresh", "{}", "fresh-old");
        try (CamelContext ctx = start("hook-fresh", "events.tool.fresh", "/fresh", Map.of("deliverPolicy", "new"))) {
            MeshTests.publishEvent(nc, "tool.fresh", "{}", "fresh-new");
            MeshTests.awaitDrained(nc, STREAM, "hook-fresh", 1);
            assertThat(at("/fresh")).extracting(Request::id).containsExactly("fresh-new");
        }
    }

    @Test
    void aRetryScheduleLongerThanTheStreamsMaxAgeFailsTheStart() throws Exception {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("EVENTS_SHORT")
                .subjects("short.>").maxAge(Duration.ofHours(1)).build());
        CamelContext ctx = MeshTests.context(nc, "EVENTS_SHORT");
        PluginHelper.getRoutesLoader(ctx).loadRoutes(
                ResourceHelper.resolveMandatoryResource(ctx, "classpath:templates/mesh-webhook.yaml"));
        MeshTests.loadYaml(ctx, """
                - templatedRoute:
                    routeTemplateRef: mesh-webhook
                    routeId: hook-short
                    parameters:
                      - name: filter
                        value: short.>
                      - name: url
                        value: "%s"
                """.formatted(receiver.url("/short")));
        try (ctx) {
            assertThatThrownBy(ctx::start).hasStackTraceContaining("backoff=5s,30s,2m,10m,30m,1h,1h,1h,1h,1h")
                    .hasStackTraceContaining("max age PT1H");
        }
    }
}
