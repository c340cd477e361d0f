package io.meshbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.events.Event;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every rule of the ingest service against a real nats-server, without HTTP in between. */
class IngestServiceIT {

    static final String S_ALL = "all-0123456789abcdef";
    static final String S_CI = "ci-0123456789abcdef0";
    static final String S_AL = "alerts-0123456789abc";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    static Connection nc;
    static PersistentBus bus;
    static IngestService service;

    @BeforeAll
    static void setUp() throws Exception {
        nc = NATS.connect();
        bus = PersistentBus.open(nc, "worker-1", PersistConfig.defaults().withLimits(Duration.ZERO, 0)
                .withEmit(Duration.ofSeconds(3), 2_000));
        service = new IngestService(config(IngestConfig.Auth.TOKEN, "all:" + S_ALL + ", ci:" + S_CI
                + ";topics=build|deploy.prod;node=ci-runner, alerting:" + S_AL + ";topics=alert"), bus);
    }

    static IngestConfig config(IngestConfig.Auth auth, String tokens) {
        return IngestConfig.defaults(auth, IngestTokens.of(IngestTokens.parse(tokens)));
    }

    static IngestResponse post(IngestService s, String topic, String body, String... headers) throws Exception {
        return call(s, "POST", topic, body, headers);
    }

    static IngestResponse call(IngestService s, String method, String topic, String body, String... headers)
            throws Exception {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return s.handle(new IngestRequest(method, topic, h::get, body.getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    static String bearer(String secret) {
        return "Bearer " + secret;
    }

    static List<ReceivedEvent> stored(String topic) throws Exception {
        HistoryResult r = bus.history("events.user." + topic, 1000);
        assertThat(r.undecodable()).isEmpty();
        return r.events();
    }

    static JsonNode json(IngestResponse r) throws Exception {
        return JSON.readTree(r.json());
    }

    static void refused(IngestResponse r, int status, String reason) throws Exception {
        assertThat(r.status()).as(r.json()).isEqualTo(status);
        assertThat(json(r).get("status").asInt()).isEqualTo(status);
        assertThat(json(r).get("reason").asText()).isEqualTo(reason);
    }

    @Test
    void anObjectBecomesTheDataOfOneUserEventAnsweredAfterItsAcknowledgement() throws Exception {
        IngestResponse r = post(service, "training.complete",
                "{\"model\":\"m1\",\"loss\":0.0123456789012345678901,\"steps\":123456789012345678901234567890,"
                        + "\"tags\":[\"a\",null],\"nested\":{\"b\":2,\"a\":1}}",
                "Authorization", bearer(S_ALL), "Content-Type", "application/json; charset=utf-8");
        assertThat(r.status()).as(r.json()).isEqualTo(202);
        assertThat(r.retryAfter()).isZero();
        JsonNode answer = json(r);
        List<ReceivedEvent> events = stored("training.complete");
        assertThat(events).hasSize(1);
        ReceivedEvent e = events.get(0);
        assertThat(answer.get("id").asText()).isEqualTo(e.id()).hasSize(22);
        assertThat(answer.get("subject").asText()).isEqualTo("events.user.training.complete");
        assertThat(answer.get("seq").asLong()).isEqualTo(e.position().sequence());
        assertThat(answer.has("duplicate")).isFalse();
        assertThat(e.event().type()).isEqualTo("user.training.complete");
        assertThat(e.event().node()).isEqualTo("worker-1");
        Map<String, Object> data = e.event().data();
        assertThat(data.get("loss")).isEqualTo(new BigDecimal("0.0123456789012345678901"));
        assertThat(data.get("steps")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(data.get("tags")).isEqualTo(java.util.Arrays.asList("a", null));
        assertThat(new String(e.raw(), StandardCharsets.UTF_8)).contains("\"nested\":{\"a\":1,\"b\":2}");
    }

    @Test
    void aRepeatedIdempotencyKeyIsStoredOnceAndTheSameKeyOnAnotherTopicTwice() throws Exception {
        IngestResponse first = post(service, "idem.a", "{\"n\":1}", "Authorization", bearer(S_ALL),
                "Idempotency-Key", "k-42");
        IngestResponse again = post(service, "idem.a", "{\"n\":1}", "Authorization", bearer(S_ALL),
                "Idempotency-Key", "k-42");
        IngestResponse other = post(service, "idem.b", "{\"n\":1}", "Authorization", bearer(S_ALL),
                "Idempotency-Key", "k-42");
        assertThat(List.of(first.status(), again.status(), other.status())).containsExactly(202, 202, 202);
        assertThat(json(first).get("id").asText()).isEqualTo("ingest:idem.a:k-42");
        assertThat(json(again).get("id").asText()).isEqualTo("ingest:idem.a:k-42");
        assertThat(json(again).get("seq").asLong()).isEqualTo(json(first).get("seq").asLong());
        assertThat(json(again).get("duplicate").asBoolean()).isTrue();
        assertThat(json(other).get("id").asText()).isEqualTo("ingest:idem.b:k-42");
        assertThat(stored("idem.a")).hasSize(1);
        assertThat(stored("idem.b")).hasSize(1);
        IngestResponse noKey1 = post(service, "idem.c", "{}", "Authorization", bearer(S_ALL));
        IngestResponse noKey2 = post(service, "idem.c", "{}", "Authorization", bearer(S_ALL));
        assertThat(json(noKey1).get("id").asText()).isNotEqualTo(json(noKey2).get("id").asText());
        assertThat(stored("idem.c")).as("without a key every request is its own event").hasSize(2);
    }

    @Test
    void invalidIdempotencyKeysAreRefused() throws Exception {
        refused(post(service, "k", "{}", "Authorization", bearer(S_ALL), "Idempotency-Key", "a b"), 400,
                "Idempotency-Key must be printable ASCII without spaces");
        refused(post(service, "k", "{}", "Authorization", bearer(S_ALL), "Idempotency-Key", "x".repeat(129)), 400,
                "Idempotency-Key must be 1 to 128 characters");
        assertThat(stored("k")).isEmpty();
    }

    @Test
    void withoutAValidBearerTokenNothingIsEmitted() throws Exception {
        refused(post(service, "auth", "{}"), 401, "missing Authorization: Bearer <token>");
        refused(post(service, "auth", "{}", "Authorization", "Bearer" + S_ALL), 401,
                "Authorization must use the Bearer scheme");
        refused(post(service, "auth", "{}", "Authorization", "Basic " + S_ALL), 401,
                "Authorization must use the Bearer scheme");
        refused(post(service, "auth", "{}", "Authorization", bearer(S_ALL + "x")), 401, "unknown token");
        refused(post(service, "auth", "{}", "Authorization", bearer("")), 401, "unknown token");
        assertThat(post(service, "auth", "{}", "Authorization", "bearer  " + S_ALL).status())
                .as("the scheme is case-insensitive").isEqualTo(202);
        assertThat(stored("auth")).hasSize(1);
    }

    @Test
    void withNoTokenConfiguredTheIngestIsLockedAndSaysHowToOpenIt() throws Exception {
        IngestService locked = new IngestService(config(IngestConfig.Auth.TOKEN, ""), bus);
        IngestResponse r = post(locked, "locked", "{}", "Authorization", bearer(S_ALL));
        assertThat(r.status()).isEqualTo(401);
        assertThat(json(r).get("reason").asText()).contains("mesh.ingest.tokens").contains("mesh.ingest.auth=none");
        assertThat(stored("locked")).isEmpty();
    }

    @Test
    void authNoneOpensTheIngest() throws Exception {
        IngestService open = new IngestService(config(IngestConfig.Auth.NONE, ""), bus);
        assertThat(post(open, "open", "{}").status()).isEqualTo(202);
        assertThat(post(open, "open", "{}", "X-Mesh-Node", "edge-7").status()).isEqualTo(202);
        assertThat(stored("open")).extracting(e -> e.event().node()).containsExactly("worker-1", "edge-7");
        refused(post(open, "alert.Forged", "{}"), 400,
                "topic 'alert.Forged' is reserved for the Alertmanager ingest (POST /ingest/alertmanager)");
    }

    @Test
    void aScopedTokenEmitsOnlyBelowItsPrefixesAndOnlyAsItsNode() throws Exception {
        assertThat(post(service, "build", "{}", "Authorization", bearer(S_CI)).status()).isEqualTo(202);
        assertThat(post(service, "build.done", "{}", "Authorization", bearer(S_CI), "X-Mesh-Node", "ci-runner")
                .status()).isEqualTo(202);
        refused(post(service, "builds", "{}", "Authorization", bearer(S_CI)), 403,
                "token ci may not emit to topic 'builds' (its topics: build, deploy.prod)");
        refused(post(service, "deploy", "{}", "Authorization", bearer(S_CI)), 403,
                "token ci may not emit to topic 'deploy' (its topics: build, deploy.prod)");
        refused(post(service, "build.x", "{}", "Authorization", bearer(S_CI), "X-Mesh-Node", "other"), 403,
                "token ci is bound to node ci-runner; X-Mesh-Node may not claim another");
        assertThat(stored("build")).extracting(e -> e.event().node()).containsExactly("ci-runner");
        assertThat(stored("build.done")).extracting(e -> e.event().node()).containsExactly("ci-runner");
        assertThat(stored("build.x")).isEmpty();
        assertThat(stored("builds")).isEmpty();
    }

    @Test
    void anUnboundTokenMayNameAValidNode() throws Exception {
        assertThat(post(service, "nodes", "{}", "Authorization", bearer(S_ALL), "X-Mesh-Node", "gpu-3").status())
                .isEqualTo(202);
        refused(post(service, "nodes", "{}", "Authorization", bearer(S_ALL), "X-Mesh-Node", "a b"), 400,
                "X-Mesh-Node: node name contains whitespace or a control character");
        refused(post(service, "nodes", "{}", "Authorization", bearer(S_ALL), "X-Mesh-Node", ""), 400,
                "X-Mesh-Node: node name must not be empty");
        assertThat(stored("nodes")).extracting(e -> e.event().node()).containsExactly("gpu-3");
    }

    @Test
    void invalidAndReservedTopicsAreRefusedSoNoSubjectLeavesEventsUser() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("a..b", "topic 'a..b' has an empty token");
        cases.put("*", "topic '*' contains the wildcard '*'");
        cases.put(">", "topic '>' contains the wildcard '>'");
        cases.put("x.>", "topic 'x.>' contains the wildcard '>'");
        cases.put("a b", "topic 'a b' contains whitespace or a control character");
        cases.put("a\rb", "topic 'a\\u000db' contains whitespace or a control character");
        cases.put("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q", "topic has 17 tokens, more than 16");
        cases.put("alert.Forged", "topic 'alert.Forged' is reserved for the Alertmanager ingest"
                + " (POST /ingest/alertmanager)");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            refused(post(service, c.getKey(), "{}", "Authorization", bearer(S_ALL)), 400, c.getValue());
        }
        refused(post(service, null, "{}", "Authorization", bearer(S_ALL)), 404,
                "expected POST /ingest/<topic> or POST /ingest/alertmanager");
        assertThat(bus.history("events.>", 10_000).events()).noneMatch(e -> e.subject().contains("alert.Forged")
                || e.subject().contains("..") || e.subject().contains(" "));
    }

    @Test
    void bodiesAndMethodsOutsideTheRulesAreRefused() throws Exception {
        IngestService small = new IngestService(config(IngestConfig.Auth.NONE, "").withLimits(64, 3), bus);
        refused(call(small, "GET", "body", ""), 405, "use POST");
        refused(post(small, "body", "{\"a\":\"" + "x".repeat(60) + "\"}"), 413,
                "body of 68 bytes is larger than the limit of 64 bytes");
        refused(post(small, "body", "{\"a\":{\"b\":{\"c\":{}}}}"), 400, "body is nested deeper than 3 levels");
        refused(post(small, "body", "[1,2]"), 400, "body must be a JSON object, was an array");
        refused(post(small, "body", ""), 400, "body is empty: expected a JSON object");
        IngestResponse broken = post(small, "body", "{\"a\":tru}");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(json(broken).get("reason").asText()).startsWith("invalid JSON: Unrecognized token 'tru'");
        refused(post(small, "body", "{}", "Content-Type", "text/plain"), 415,
                "Content-Type must be application/json, was text/plain");
        assertThat(post(small, "body", "{\"a\":{\"b\":{}}}", "Content-Type", "application/cloudevents+json")
                .status()).isEqualTo(202);
        assertThat(stored("body")).hasSize(1);
    }

    @Test
    void beyondTheRateATokenIsAnswered429WithRetryAfter() throws Exception {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        IngestService limited = new IngestService(config(IngestConfig.Auth.TOKEN, "all:" + S_ALL + ",ci:" + S_CI)
                .withRateLimit(2), bus, clock::get);
        assertThat(post(limited, "rate", "{}", "Authorization", bearer(S_ALL)).status()).isEqualTo(202);
        assertThat(post(limited, "rate", "{}", "Authorization", bearer(S_ALL)).status()).isEqualTo(202);
        IngestResponse refused = post(limited, "rate", "{}", "Authorization", bearer(S_ALL));
        refused(refused, 429, "more than 2 requests per second for token all");
        assertThat(refused.retryAfter()).isEqualTo(2);
        assertThat(post(limited, "rate", "{}", "Authorization", bearer(S_CI)).status())
                .as("another token has its own budget").isEqualTo(202);
        clock.addAndGet(500_000_000L);
        assertThat(post(limited, "rate", "{}", "Authorization", bearer(S_ALL)).status()).isEqualTo(202);
        assertThat(stored("rate")).hasSize(4);
    }

    @Test
    void theAlertmanagerSampleProducesExactlyTheExpectedEventsOnceEach() throws Exception {
        String sample = new String(IngestServiceIT.class.getResourceAsStream("/reference/alertmanager-webhook.json")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        IngestResponse r = post(service, "alertmanager", sample, "Authorization", bearer(S_AL),
                "Content-Type", "application/json");
        assertThat(r.status()).as(r.json()).isEqualTo(202);
        List<ReceivedEvent> events = stored("alert.>");
        assertThat(events).hasSize(2);
        JsonNode listed = json(r).get("events");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("id").asText()).isEqualTo("alertmanager:c6a1f0b8e3d2a4f1:firing:2026-11-29T10:40:00.123Z");
        assertThat(listed.get(1).get("id").asText()).isEqualTo("alertmanager:0b7e2c9d41aa5f03:resolved:2026-11-29T09:00:00Z");
        for (int i = 0; i < 2; i++) {
            assertThat(listed.get(i).get("subject").asText()).isEqualTo("events.user.alert.ToolDown");
            assertThat(listed.get(i).get("seq").asLong()).isEqualTo(events.get(i).position().sequence());
            assertThat(events.get(i).id()).isEqualTo(listed.get(i).get("id").asText());
        }
        Event firing = events.get(0).event();
        assertThat(firing.type()).isEqualTo("user.alert.ToolDown");
        assertThat(firing.node()).isEqualTo("worker-1");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("status", "firing");
        expected.put("labels", Map.of("alertname", "ToolDown", "severity", "critical", "job", "jb-mesh",
                "instance", "node-a:9100", "tool", "whisper"));
        expected.put("annotations", Map.of("summary", "whisper on node-a is down",
                "runbook_url", "https://runbooks.example/tool-down"));
        expected.put("startsAt", "2026-11-29T10:40:00.123Z");
        expected.put("endsAt", "0001-01-01T00:00:00Z");
        expected.put("generatorURL", "http://prometheus.example:9090/graph?g0.expr=up%3D%3D0");
        expected.put("fingerprint", "c6a1f0b8e3d2a4f1");
        expected.put("receiver", "mesh-bridge");
        expected.put("groupKey", "{}:{alertname=\"ToolDown\"}");
        expected.put("externalURL", "http://alertmanager.example:9093");
        expected.put("truncatedAlerts", 0);
        assertThat(firing.data()).isEqualTo(expected);
        Map<String, Object> resolved = events.get(1).event().data();
        assertThat(resolved).containsEntry("status", "resolved").containsEntry("endsAt", "2026-11-29T10:41:12.5Z")
                .containsEntry("fingerprint", "0b7e2c9d41aa5f03").containsEntry("startsAt", "2026-11-29T09:00:00Z")
                .containsEntry("annotations", Map.of("summary", "embed on node-b is down"));
        assertThat(resolved.keySet()).isEqualTo(expected.keySet());

        IngestResponse again = post(service, "alertmanager", sample, "Authorization", bearer(S_AL));
        assertThat(again.status()).isEqualTo(202);
        assertThat(json(again).get("events").get(0).get("duplicate").asBoolean()).isTrue();
        assertThat(json(again).get("events").get(1).get("duplicate").asBoolean()).isTrue();
        assertThat(stored("alert.>")).as("a repeated notification stores nothing new").hasSize(2);

        refused(post(service, "alertmanager", sample, "Authorization", bearer(S_CI)), 403,
                "token ci may not emit to topic 'alert.ToolDown' (its topics: build, deploy.prod)");
        refused(post(service, "alertmanager", "{\"alerts\":{}}", "Authorization", bearer(S_AL)), 400,
                "not an Alertmanager webhook: 'alerts' must be an array");
        refused(post(service, "alertmanager", "{\"alerts\":[{\"labels\":{},\"status\":\"firing\","
                + "\"startsAt\":\"t\"}]}", "Authorization", bearer(S_AL)), 400,
                "alerts[0].fingerprint must be a non-empty string");
        assertThat(stored("alert.>")).hasSize(2);
    }

    @Test
    void alertNamesAreSanitisedIntoOneToken() throws Exception {
        String body = "{\"receiver\":\"r\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":"
                + "\"Disk > 90%.sda\"},\"startsAt\":\"2026-11-29T10:40:00Z\",\"fingerprint\":\"f1\"},"
                + "{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"2026-11-29T10:40:00Z\",\"fingerprint\":\"f2\"}]}";
        IngestResponse r = post(service, "alertmanager", body, "Authorization", bearer(S_ALL));
        assertThat(r.status()).as(r.json()).isEqualTo(202);
        assertThat(json(r).get("events").get(0).get("subject").asText()).isEqualTo("events.user.alert.Disk___90__sda");
        assertThat(json(r).get("events").get(1).get("subject").asText()).isEqualTo("events.user.alert._");
        assertThat(stored("alert.Disk___90__sda")).hasSize(1);
        assertThat(stored("alert._").get(0).event().data()).containsEntry("receiver", "r")
                .containsEntry("annotations", null).containsEntry("groupKey", null);
    }

    @Test
    void withSignatureSecretsOnlyCorrectlySignedRecentRequestsAreStoredKeyedByTheirWebhookId() throws Exception {
        io.meshbridge.events.WebhookSecret secret = io.meshbridge.events.WebhookSecret.parse("whsec_"
                + java.util.Base64.getEncoder().encodeToString("ingest-signing-key-0123456789".getBytes()));
        io.meshbridge.events.WebhookSecret other = io.meshbridge.events.WebhookSecret.parse("whsec_"
                + java.util.Base64.getEncoder().encodeToString("another-key-0123456789abcdef".getBytes()));
        IngestService signed = new IngestService(config(IngestConfig.Auth.TOKEN, "all:" + S_ALL)
                .withSignatureSecrets(List.of(secret)), bus);
        String body = "{\"deploy\":\"api\"}";
        long now = java.time.Instant.now().getEpochSecond();
        String good = io.meshbridge.events.StandardWebhooks.sign("msg_1", now, body.getBytes(StandardCharsets.UTF_8),
                List.of(secret));
        IngestResponse ok = post(signed, "signed", body, "Authorization", bearer(S_ALL), "webhook-id", "msg_1",
                "webhook-timestamp", Long.toString(now), "webhook-signature", good);
        assertThat(ok.status()).as(ok.json()).isEqualTo(202);
        assertThat(json(ok).get("id").asText()).isEqualTo("ingest:signed:msg_1");
        IngestResponse retried = post(signed, "signed", body, "Authorization", bearer(S_ALL), "webhook-id", "msg_1",
                "webhook-timestamp", Long.toString(now), "webhook-signature", good);
        assertThat(json(retried).get("duplicate").asBoolean()).as("the sender's retry is stored once").isTrue();

        refused(post(signed, "signed", body, "Authorization", bearer(S_ALL)), 401,
                "signature: a webhook-id, webhook-timestamp or webhook-signature header is missing");
        IngestResponse tampered = post(signed, "signed", "{\"deploy\":\"db\"}", "Authorization", bearer(S_ALL),
                "webhook-id", "msg_2", "webhook-timestamp", Long.toString(now), "webhook-signature", good);
        refused(tampered, 401, "signature: no signature matches");
        String byOther = io.meshbridge.events.StandardWebhooks.sign("msg_3", now, body.getBytes(StandardCharsets.UTF_8),
                List.of(other));
        assertThat(post(signed, "signed", body, "Authorization", bearer(S_ALL), "webhook-id", "msg_3",
                "webhook-timestamp", Long.toString(now), "webhook-signature", byOther).status()).isEqualTo(401);
        refused(post(signed, "signed", body, "Authorization", bearer(S_ALL), "webhook-id", "msg_3",
                "webhook-timestamp", Long.toString(now), "webhook-signature", byOther), 401,
                "signature: no signature matches");
        long stale = now - 600;
        String old = io.meshbridge.events.StandardWebhooks.sign("msg_4", stale, body.getBytes(StandardCharsets.UTF_8),
                List.of(secret));
        IngestResponse replay = post(signed, "signed", body, "Authorization", bearer(S_ALL), "webhook-id", "msg_4",
                "webhook-timestamp", Long.toString(stale), "webhook-signature", old);
        refused(replay, 401, "signature: webhook-timestamp is too old");
        refused(post(signed, "signed", body, "webhook-id", "msg_1", "webhook-timestamp", Long.toString(now),
                "webhook-signature", good), 401, "missing Authorization: Bearer <token>");
        assertThat(stored("signed")).hasSize(1);
    }
}
