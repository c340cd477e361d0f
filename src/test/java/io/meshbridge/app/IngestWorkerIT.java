package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP ingest as the worker process serves it: wiring, transport, limits, and the locked default. */
@Workers.SharedWorkers
class IngestWorkerIT {

    static final String SECRET = "it-0123456789abcdef0123";
    static final String FILE_SECRET = "file-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    static final Workers WORKERS = new Workers();

    @TempDir
    static Path dir;

    static WorkerProcess worker;
    static IngestHttp http;
    static PersistentBus bus;

    @BeforeAll
    static void startWorker() throws Exception {
        Connection nc = NATS.connect();
        Path tokens = Files.writeString(dir.resolve("ingest-tokens"), "# from a secret\nfiled:" + FILE_SECRET
                + ";topics=filed\n");
        WorkDir.create(dir, NATS.url(), "[]\n", Map.of(
                "mesh.ingest.tokens", "it:" + SECRET,
                "mesh.ingest.tokens-file", tokens.toString(),
                "mesh.ingest.max-body", "2KiB"));
        worker = WORKERS.startWorker("ingest", dir);
        http = new IngestHttp(worker.httpPort());
        bus = PersistentBus.attach(nc, "test", PersistConfig.defaults());
    }

    static List<ReceivedEvent> stored(String topic) throws Exception {
        return bus.history("events.user." + topic, 1000).events();
    }

    static void refused(HttpResponse<String> r, int status, String reason) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("reason").asText()).isEqualTo(reason);
    }

    @Test
    void theStartLogNamesTheTokensAndNeverASecret() {
        assertThat(worker.output()).contains("HTTP ingest accepts 2 token(s): [it, filed]")
                .doesNotContain(SECRET).doesNotContain(FILE_SECRET);
    }

    @Test
    void aPostIsAnswered202WithTheStoredEventAndNoRequestHeaderComesBack() throws Exception {
        HttpResponse<String> r = http.post("/ingest/deploy.done", "{\"service\":\"api\",\"version\":7}",
                "Authorization", "Bearer " + SECRET, "Content-Type", "application/json",
                "Idempotency-Key", "deploy-7", "X-Mesh-Node", "ci-9");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization")
                || h.equalsIgnoreCase("Idempotency-Key") || h.equalsIgnoreCase("X-Mesh-Node"));
        JsonNode body = JSON.readTree(r.body());
        List<ReceivedEvent> events = stored("deploy.done");
        assertThat(events).hasSize(1);
        assertThat(body.get("id").asText()).isEqualTo("ingest:deploy.done:deploy-7").isEqualTo(events.get(0).id());
        assertThat(body.get("subject").asText()).isEqualTo("events.user.deploy.done");
        assertThat(body.get("seq").asLong()).isEqualTo(events.get(0).position().sequence());
        assertThat(events.get(0).event().node()).isEqualTo("ci-9");
        assertThat(events.get(0).event().data()).isEqualTo(Map.of("service", "api", "version", 7));

        HttpResponse<String> again = http.post("/ingest/deploy.done", "{\"service\":\"api\",\"version\":7}",
                "Authorization", "Bearer " + SECRET, "Idempotency-Key", "deploy-7", "X-Mesh-Node", "ci-9");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).get("seq").asLong()).isEqualTo(body.get("seq").asLong());
        assertThat(stored("deploy.done")).as("a retried request is stored once").hasSize(1);
    }

    @Test
    void theFilesTokenIsScoped() throws Exception {
        assertThat(http.post("/ingest/filed.x", "{}", "Authorization", "Bearer " + FILE_SECRET).statusCode())
                .isEqualTo(202);
        refused(http.post("/ingest/other", "{}", "Authorization", "Bearer " + FILE_SECRET), 403,
                "token filed may not emit to topic 'other' (its topics: filed)");
        assertThat(stored("filed.x")).hasSize(1);
        assertThat(stored("other")).isEmpty();
    }

    @Test
    void theTransportsOwnRefusalsAreJsonToo() throws Exception {
        refused(http.post("/ingest/big", "{\"a\":\"" + "x".repeat(3000) + "\"}", "Authorization", "Bearer " + SECRET),
                413, "body larger than the HTTP server's limit of 2048 bytes");
        refused(http.post("/ingest/a/b", "{}", "Authorization", "Bearer " + SECRET), 404,
                "expected POST /ingest/<topic> or POST /ingest/alertmanager");
        refused(http.post("/ingest/", "{}", "Authorization", "Bearer " + SECRET), 404,
                "expected POST /ingest/<topic> or POST /ingest/alertmanager");
        refused(http.send("GET", "/ingest/x", null, "Authorization", "Bearer " + SECRET), 405, "use POST");
        refused(http.post("/ingest/a%2A", "{}", "Authorization", "Bearer " + SECRET), 400,
                "topic 'a*' contains the wildcard '*'");
        refused(http.post("/ingest/a%20b", "{}", "Authorization", "Bearer " + SECRET), 400,
                "topic 'a b' contains whitespace or a control character");
        refused(http.post("/ingest/form", "a=1&b=2", "Authorization", "Bearer " + SECRET, "Content-Type",
                "application/x-www-form-urlencoded"), 415,
                "Content-Type must be application/json, was application/x-www-form-urlencoded");
        HttpResponse<String> unauthorised = http.post("/ingest/x", "{}");
        refused(unauthorised, 401, "missing Authorization: Bearer <token>");
        assertThat(unauthorised.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mesh-bridge ingest\"");
        assertThat(stored("big")).isEmpty();
        assertThat(http.send("GET", "/health", null).statusCode()).as("health is untouched").isEqualTo(200);
        assertThat(worker.output()).as("refusals are answers, not errors").doesNotContain(" ERROR ");
    }

    @Test
    void theAlertmanagerSampleOverHttp() throws Exception {
        String sample = new String(IngestWorkerIT.class.getResourceAsStream("/reference/alertmanager-webhook.json")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> r = http.post("/ingest/alertmanager", sample, "Authorization", "Bearer " + SECRET,
                "Content-Type", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("events")).hasSize(2);
        assertThat(stored("alert.ToolDown")).hasSize(2);
    }
}
