package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API token on every operation of the worker's {@code /api/openapi.json}, over real HTTP on one worker
 * process with one token and one connector ({@code tokens}, which has acknowledged one event and dead-lettered
 * another): without the token, with a wrong one or in another scheme each operation is a 401 with the JSON
 * reason and {@code WWW-Authenticate: Bearer} and changes nothing; with it each answers its exact status and
 * effect; a query parameter an operation does not take is a 400 naming it; neither token is ever in the log.
 *
 * <p>The operations come from the document the worker serves (ApiDocumentIT checks it against the router), so an
 * operation added later is checked for its 401 and its 400 at once, and the test with the token fails until its
 * request and exact answer are written in {@link #cases}. The state-changing operations are made harmless
 * (a pause is resumed, a position skips nothing, a redrive and a delete name an unknown dead letter), so the
 * tests hold in any order.
 */
@Workers.SharedWorkers
class ApiTokenIT {

    private static final String TOKEN = "api-token-it-0123456789abcdef";
    private static final String WRONG = "api-token-it-0123456789abcdeX";
    private static final String ROUTE = "tokens";
    private static final String NO_LETTER = "424242";
    private static final String REFUSAL = "the API needs Authorization: Bearer <token> with one of mesh.api.tokens";
    private static final Duration DONE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    static final Workers WORKERS = new Workers();

    @TempDir
    static Path dir;

    static Connection nc;
    static WorkerProcess worker;
    static HttpClient http;
    /** Each documented operation ("GET /api/dlq") with the names of its query parameters, in document order. */
    static Map<String, Set<String>> operations;
    /** The dead letter of {@code tokens.bad}: its id in {@code MESH_DLQ}. */
    static String deadLetter;

    /** One HTTP request: a method, a path below the worker's base URL (with its query), a JSON body or none. */
    private record Call(String method, String path, String body) {
        Call withQuery(String parameter) {
            return new Call(method, path + (path.contains("?") ? "&" : "?") + parameter, body);
        }
    }

    /** What an operation is sent with the token, the exact status it answers, and the check of its answer. */
    private record Case(Call call, int status, Check check) {
    }

    @FunctionalInterface
    private interface Check {
        void verify(JsonNode answer) throws Exception;
    }

    /** What the refused requests must leave as it was. */
    private record Snapshot(JsonNode connector, ZonedDateTime durableCreated, List<Long> deadLetters) {
    }

    @BeforeAll
    static void startTheWorkerAndLetItDeadLetterOneEventAndAcknowledgeAnother() throws Exception {
        nc = NATS.connect();
        http = HttpClient.newHttpClient();
        WorkDir.create(dir, NATS.url(), """
                - route:
                    id: tokens
                    from:
                      uri: "mesh:events.tokens.>"
                      steps:
                        - filter:
                            simple: "${header.CamelMeshSubject} == 'events.tokens.bad'"
                            steps:
                              - throwException:
                                  exceptionType: io.meshbridge.camel.MeshPermanentException
                                  message: refused on purpose
                        - log: "acknowledging ${header.CamelMeshEventId}"
                """, Map.of("mesh.api.tokens", TOKEN));
        worker = WORKERS.startWorker("tokens", dir);

        MeshTests.publishEvent(nc, "tokens.bad", "{\"n\":1}", "tokens-bad");
        await().atMost(DONE).failFast("worker exited", worker::exited).until(() -> deadLetters().size() == 1);
        deadLetter = Long.toString(deadLetters().get(0));
        // after the dead letter, so that the connector's last settlement is an acknowledgement: state running
        MeshTests.publishEvent(nc, "tokens.ok", "{\"n\":2}", "tokens-ok");
        await().atMost(DONE).failFast("worker exited", worker::exited)
                .until(() -> connector().path("counts").path("acknowledged").asLong() == 1);

        HttpResponse<String> doc = send(new Call("GET", "/api/openapi.json", null), bearer(TOKEN));
        assertThat(doc.statusCode()).isEqualTo(200);
        operations = documented(JSON.readTree(doc.body()));
    }

    @Test
    void withoutTheTokenWithAWrongOneOrInAnotherSchemeEveryOperationIs401AndChangesNothing() throws Exception {
        Snapshot before = snapshot();
        Map<String, Case> cases = cases();
        List<Call> calls = new ArrayList<>();
        for (String op : operations.keySet()) {
            calls.add(cases.containsKey(op) ? cases.get(op).call() : placeholder(op));
        }
        // the harmful requests too, that the test sends with the token only in their harmless form
        calls.add(new Call("DELETE", "/api/dlq/" + deadLetter, null));
        calls.add(new Call("POST", "/api/dlq/redrive", "{\"all\":true}"));
        calls.add(new Call("PUT", "/api/connectors/" + ROUTE + "/position", "{\"sequence\":1}"));
        calls.add(new Call("GET", "/api/no-such-operation", null));
        String basic = "Basic " + Base64.getEncoder().encodeToString(("mesh:" + TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        List<String> authorizations = new ArrayList<>();
        authorizations.add(null);
        authorizations.add(bearer(WRONG));
        authorizations.add(bearer(TOKEN.substring(0, TOKEN.length() - 1)));
        authorizations.add("Bearer ");
        authorizations.add(basic);
        authorizations.add(TOKEN);

        for (Call call : calls) {
            for (String authorization : authorizations) {
                String what = call.method() + " " + call.path() + " with Authorization: "
                        + (authorization == null ? "(none)" : authorization.replace(TOKEN, "<token>"));
                HttpResponse<String> r = send(call, authorization);
                assertThat(r.statusCode()).as(what).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).as(what)
                        .hasValue("Bearer realm=\"mesh-bridge api\"");
                assertThat(r.headers().firstValue("Content-Type")).as(what).hasValue("application/json");
                assertThat(JSON.readTree(r.body())).as(what).isEqualTo(JSON.createObjectNode().put("status", 401)
                        .put("reason", REFUSAL));
            }
        }
        assertThat(snapshot()).as("after %d refused requests", calls.size() * authorizations.size())
                .isEqualTo(before);
        assertNoTokenInTheLog();
    }

    @Test
    void withTheTokenEveryOperationAnswersItsExactStatusAndEffect() throws Exception {
        Map<String, Case> cases = cases();
        assertThat(cases.keySet()).as("every operation of /api/openapi.json has its request and answer in cases()")
                .containsExactlyInAnyOrderElementsOf(operations.keySet());
        for (String op : operations.keySet()) {
            Case c = cases.get(op);
            HttpResponse<String> r = send(c.call(), bearer(TOKEN));
            assertThat(r.statusCode()).as(op + ": " + r.body()).isEqualTo(c.status());
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(op).isEmpty();
            c.check().verify(JSON.readTree(r.body()));
        }
        assertThat(worker.output()).contains("Connector tokens (durable tokens) paused through the API")
                .contains("Connector tokens repositioned");
        assertNoTokenInTheLog();
    }

    @Test
    void everyOperationRefusesAQueryParameterItDoesNotTakeAndOneGivenTwiceWith400AndChangesNothing() throws Exception {
        Snapshot before = snapshot();
        Map<String, Case> cases = cases();
        for (Map.Entry<String, Set<String>> op : operations.entrySet()) {
            Call call = (cases.containsKey(op.getKey()) ? cases.get(op.getKey()).call() : placeholder(op.getKey()))
                    .withQuery("bogus=1");
            HttpResponse<String> r = send(call, bearer(TOKEN));
            String known = op.getValue().isEmpty() ? "this operation takes none"
                    : "known: " + String.join(", ", new TreeSet<>(op.getValue()));
            assertThat(r.statusCode()).as(op.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(r.body())).as(op.getKey()).isEqualTo(JSON.createObjectNode().put("status", 400)
                    .put("reason", "unknown parameter bogus (" + known + ")"));
        }
        HttpResponse<String> twice = send(new Call("GET", "/api/dlq?limit=1&route=" + ROUTE + "&limit=1000", null),
                bearer(TOKEN));
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(twice.body())).isEqualTo(JSON.createObjectNode().put("status", 400)
                .put("reason", "parameter limit is given more than once"));
        assertThat(snapshot()).isEqualTo(before);
        assertNoTokenInTheLog();
    }

    /**
     * The request of each documented operation with the token, its exact status and what its answer and its
     * effect must be. Each leaves the worker as it found it, or says how it changed it.
     */
    private static Map<String, Case> cases() throws Exception {
        String connector = "/api/connectors/" + ROUTE;
        long last = nc.jetStreamManagement().getStreamInfo(PersistConfig.DEFAULT_STREAM).getStreamState()
                .getLastSequence();
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("GET /api/openapi.json", new Case(new Call("GET", "/api/openapi.json", null), 200,
                a -> assertThat(documented(a)).isEqualTo(operations)));
        cases.put("GET /api/history", new Case(new Call("GET", "/api/history?filter=tokens.%3E", null), 200, a -> {
            assertThat(a.get("events")).extracting(e -> e.get("type").asText())
                    .containsExactly("tokens.bad", "tokens.ok");
            assertThat(a.get("undecodable")).isEmpty();
            assertThat(a.get("next").isNull()).isTrue();
        }));
        cases.put("GET /api/history/last", new Case(new Call("GET", "/api/history/last?filter=tokens.*", null), 200,
                a -> assertThat(a.get("events")).extracting(e -> e.get("data").get("n").asInt())
                        .containsExactly(1, 2)));
        cases.put("GET /api/connectors", new Case(new Call("GET", "/api/connectors", null), 200, a -> {
            assertThat(a.get("connectors")).extracting(c -> c.get("id").asText()).containsExactly(ROUTE);
            assertRunningWithItsCounts(a.get("connectors").get(0));
        }));
        cases.put("GET /api/connectors/{id}", new Case(new Call("GET", connector, null), 200,
                ApiTokenIT::assertRunningWithItsCounts));
        cases.put("POST /api/connectors/{id}/pause", new Case(new Call("POST", connector + "/pause",
                "{\"reason\":\"token check\"}"), 200, a -> {
                    HttpResponse<String> resumed;
                    try {
                        assertThat(a.get("state").asText()).isEqualTo("paused");
                        assertThat(a.get("pause").get("reason").asText()).isEqualTo("token check");
                    } finally {
                        // undone whatever the checks found, so the other tests of the class meet a running connector
                        resumed = send(new Call("POST", connector + "/resume", null), bearer(TOKEN));
                    }
                    assertThat(resumed.statusCode()).as("the pause undone").isEqualTo(200);
                    assertRunningWithItsCounts(JSON.readTree(resumed.body()));
                }));
        cases.put("POST /api/connectors/{id}/resume", new Case(new Call("POST", connector + "/resume", null), 200,
                ApiTokenIT::assertRunningWithItsCounts));
        cases.put("POST /api/connectors/{id}/restart", new Case(new Call("POST", connector + "/restart", null), 200,
                ApiTokenIT::assertRunningWithItsCounts));
        cases.put("PUT /api/connectors/{id}/position", new Case(new Call("PUT", connector + "/position",
                "{\"sequence\":" + (last + 1) + "}"), 200, a -> {
                    assertThat(a.get("position").get("nextSequence").asLong()).as("skips nothing").isEqualTo(last + 1);
                    assertRunningWithItsCounts(a);
                    ConsumerInfo durable = MeshTests.consumerInfo(nc, PersistConfig.DEFAULT_STREAM, ROUTE);
                    assertThat(durable.getDelivered().getStreamSequence()).isEqualTo(last);
                    assertThat(durable.getNumPending()).isZero();
                }));
        cases.put("GET /api/dlq", new Case(new Call("GET", "/api/dlq", null), 200, a -> {
            assertThat(a.get("deadLetters")).singleElement().satisfies(d -> {
                assertThat(d.get("id").asText()).isEqualTo(deadLetter);
                assertThat(d.get("route").asText()).isEqualTo(ROUTE);
                assertThat(d.get("eventId").asText()).isEqualTo("tokens-bad");
                assertThat(d.get("attempts").asInt()).isEqualTo(1);
            });
            assertThat(a.get("total").asLong()).isEqualTo(1);
            assertThat(a.get("next").isNull()).isTrue();
        }));
        cases.put("POST /api/dlq/redrive", new Case(new Call("POST", "/api/dlq/redrive",
                "{\"ids\":[\"" + NO_LETTER + "\"]}"), 200, a -> {
                    assertThat(a).isEqualTo(JSON.readTree("{\"redriven\":0,\"failed\":[],\"skipped\":[{\"id\":\""
                            + NO_LETTER + "\",\"reason\":\"no dead letter with this id (deleted, redriven or"
                            + " expired)\"}],\"more\":false}"));
                    assertThat(deadLetters()).containsExactly(Long.parseLong(deadLetter));
                }));
        cases.put("DELETE /api/dlq/{id}", new Case(new Call("DELETE", "/api/dlq/" + NO_LETTER, null), 404, a -> {
            assertThat(a).isEqualTo(JSON.createObjectNode().put("status", 404).put("reason", "no dead letter with id "
                    + NO_LETTER + " (deleted, redriven or expired)"));
            assertThat(deadLetters()).containsExactly(Long.parseLong(deadLetter));
        }));
        return cases;
    }

    /** The connector running, with what it did before the tests: two delivered, one acknowledged, one dead letter. */
    private static void assertRunningWithItsCounts(JsonNode connector) {
        assertThat(connector.get("id").asText()).isEqualTo(ROUTE);
        assertThat(connector.get("state").asText()).isEqualTo("running");
        assertThat(connector.get("pause").isNull()).isTrue();
        JsonNode counts = connector.get("counts");
        assertThat(counts.get("delivered").asLong()).isEqualTo(2);
        assertThat(counts.get("acknowledged").asLong()).isEqualTo(1);
        assertThat(counts.get("deadLettered").asLong()).isEqualTo(1);
        assertThat(counts.get("failuresSinceAck").asLong()).isZero();
        assertThat(counts.get("inFlight").asLong()).isZero();
    }

    /** A request for an operation {@link #cases} does not know yet: its template with {@code x} for each parameter. */
    private static Call placeholder(String operation) {
        String[] parts = operation.split(" ", 2);
        return new Call(parts[0], parts[1].replaceAll("\\{[^}/]+}", "x"), null);
    }

    /** Each operation of an OpenAPI document ("GET /api/dlq") with its query parameters, in document order. */
    private static Map<String, Set<String>> documented(JsonNode doc) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters")) {
                    continue;
                }
                Set<String> query = new TreeSet<>();
                for (JsonNode p : List.of(path.getValue().path("parameters"), op.getValue().path("parameters"))) {
                    p.forEach(param -> {
                        if (param.path("in").asText().equals("query")) {
                            query.add(param.path("name").asText());
                        }
                    });
                }
                out.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), query);
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private static Snapshot snapshot() throws Exception {
        JsonNode c = connector();
        ObjectNode kept = JSON.createObjectNode().put("state", c.get("state").asText());
        kept.set("pause", c.get("pause"));
        kept.set("counts", c.get("counts"));
        return new Snapshot(kept, MeshTests.consumerInfo(nc, PersistConfig.DEFAULT_STREAM, ROUTE).getCreationTime(),
                deadLetters());
    }

    private static JsonNode connector() throws Exception {
        HttpResponse<String> r = send(new Call("GET", "/api/connectors/" + ROUTE, null), bearer(TOKEN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The ids of the dead letters in {@code MESH_DLQ}, read from NATS. */
    private static List<Long> deadLetters() throws Exception {
        return MeshTests.messages(nc, MeshConstants.DLQ_STREAM, null).stream().map(MessageInfo::getSeq).toList();
    }

    private static void assertNoTokenInTheLog() {
        assertThat(worker.output()).contains("HTTP API accepts 1 token(s)").doesNotContain(TOKEN)
                .doesNotContain(WRONG).doesNotContain(TOKEN.substring(0, TOKEN.length() - 1));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static HttpResponse<String> send(Call call, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.httpPort()
                + call.path())).timeout(Duration.ofSeconds(60)).method(call.method(), call.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.body() != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
