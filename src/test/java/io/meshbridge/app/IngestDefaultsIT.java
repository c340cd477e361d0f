package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.testing.NatsServerExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Safe by default: a worker without tokens keeps the ingest locked and says so; auth=none opens it loudly. */
class IngestDefaultsIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    @Test
    void withoutTokensTheIngestIsLockedAndTheAnswerSaysHowToOpenIt() throws Exception {
        WorkDir.create(dir, NATS.url(), "[]\n", Map.of());
        WorkerProcess worker = workers.startWorker("locked", dir);
        assertThat(worker.output()).contains("HTTP ingest is locked: no token configured");
        HttpResponse<String> r = new IngestHttp(worker.httpPort()).post("/ingest/x", "{}",
                "Authorization", "Bearer whatever-0123456789abcdef");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("ingest is locked").contains("mesh.ingest.tokens")
                .contains("mesh.ingest.auth=none");
    }

    @Test
    void authNoneOpensTheIngestWithAWarning() throws Exception {
        WorkDir.create(dir, NATS.url(), "[]\n", Map.of("mesh.ingest.auth", "none"));
        WorkerProcess worker = workers.startWorker("open", dir);
        assertThat(worker.output()).contains("WARN").contains("HTTP ingest is OPEN (mesh.ingest.auth=none)");
        HttpResponse<String> r = new IngestHttp(worker.httpPort()).post("/ingest/open.door", "{\"a\":1}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.body()).contains("\"subject\":\"events.user.open.door\"");
    }

    @Test
    void aBadTokenEntryStopsTheStartNamingTheKeyButNotTheSecret() throws Exception {
        WorkDir.create(dir, NATS.url(), "[]\n", Map.of("mesh.ingest.tokens", "ci:short-secret"));
        WorkerProcess w = workers.track(WorkerProcess.start("bad", dir, Map.of(), java.util.List.of(), "run"));
        assertThat(w.awaitExit(java.time.Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(w.output()).contains("invalid configuration: mesh.ingest.tokens: token 1: token ci: the secret"
                + " must be at least 16 characters").doesNotContain("short-secret");
    }
}
