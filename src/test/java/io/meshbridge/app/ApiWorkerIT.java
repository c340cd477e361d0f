package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.events.TlsConfig;
import io.meshbridge.testing.NatsServerExtension;
import io.meshbridge.testing.TestPki;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's access over real HTTP(S) on a worker process: the bearer token (right, wrong, none), locked by
 * default, opened by {@code mesh.api.auth=none}; {@code /observe/*} behind the API's tokens; JSON 404 and 405; no
 * developer endpoint of Camel; HTTPS from PEM files; and the dead-letter stream's limits applied to an older
 * stream without them.
 */
class ApiWorkerIT {

    private static final String TOKEN = "api-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTES = """
            - route:
                id: quiet
                from:
                  uri: "mesh:events.quiet"
                  steps:
                    - log: "${body}"
            """;

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    @Test
    void overHttpsOnlyTheTokenOpensTheApiAndTheDeadLetterStreamGetsItsLimits() throws Exception {
        Connection nc = NATS.connect();
        JetStreamManagement jsm = nc.jetStreamManagement();
        deleteDeadLetterStream(jsm);
        // as an earlier version created it: no limits
        jsm.addStream(StreamConfiguration.builder().name(MeshConstants.DLQ_STREAM)
                .subjects(MeshConstants.DLQ_SUBJECT_PREFIX + ">").storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(2)).build());
        TestPki pki = TestPki.create(dir);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("mesh.api.tokens", TOKEN);
        config.put("mesh.http.host", "127.0.0.1");
        config.put("mesh.http.tls.cert", pki.serverCert.toString());
        config.put("mesh.http.tls.key", pki.serverKey.toString());
        config.put("mesh.dlq.max-age", "2d");
        config.put("mesh.dlq.max-bytes", "64MiB");
        config.put("mesh.observe.auth", "api");
        WorkDir.create(dir, NATS.url(), ROUTES, config);
        WorkerProcess w = workers.startWorker("https", dir);
        HttpClient https = HttpClient.newBuilder()
                .sslContext(new TlsConfig(true, pki.caCert, null, null, null, null, null, null, false).createContext())
                .build();
        String base = "https://127.0.0.1:" + w.httpPort();

        HttpResponse<String> doc = get(https, base + "/api/openapi.json", TOKEN);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(doc.body()).path("openapi").asText()).isEqualTo("3.0.3");

        HttpResponse<String> none = get(https, base + "/api/openapi.json", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mesh-bridge api\"");
        assertThat(reason(none)).contains("Authorization: Bearer");
        assertThat(get(https, base + "/api/openapi.json", TOKEN + "x").statusCode()).isEqualTo(401);

        HttpResponse<String> unknown = get(https, base + "/api/nothing", TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(reason(unknown)).contains("/api/nothing");
        HttpResponse<String> wrongMethod = https.send(HttpRequest.newBuilder(URI.create(base + "/api/openapi.json"))
                .DELETE().header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(get(https, base + "/observe/metrics", null).statusCode()).as("observe behind the API token")
                .isEqualTo(401);
        assertThat(get(https, base + "/observe/metrics", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(https, base + "/health", null).statusCode()).as("/health stays open").isEqualTo(200);
        for (String dev : new String[] {"/q/send", "/q/upload", "/q/dev", "/q/jolokia"}) {
            assertThat(get(https, base + dev, TOKEN).statusCode()).as(dev).isEqualTo(404);
        }
        assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + w.httpPort() + "/health",
                null)).as("plain HTTP is not spoken").isInstanceOf(IOException.class);

        StreamConfiguration dlq = jsm.getStreamInfo(MeshConstants.DLQ_STREAM).getConfiguration();
        assertThat(dlq.getMaxAge()).isEqualTo(Duration.ofDays(2));
        assertThat(dlq.getMaxBytes()).isEqualTo(64L << 20);
        assertThat(w.output()).contains("Dead-letter stream MESH_DLQ: limits updated").contains("with TLS")
                .doesNotContain(TOKEN);
    }

    @Test
    void withoutATokenTheApiIsLockedAndAuthNoneOpensIt() throws Exception {
        WorkDir.create(dir, NATS.url(), ROUTES, Map.of());
        WorkerProcess locked = workers.startWorker("locked", dir);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> refused = get(http, "http://127.0.0.1:" + locked.httpPort() + "/api/openapi.json",
                TOKEN);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(reason(refused)).contains("the API is locked").contains("mesh.api.auth=none");
        assertThat(locked.output()).contains("HTTP API is locked");
        locked.terminate();
        locked.awaitExit(Duration.ofSeconds(60));

        WorkDir.create(dir, NATS.url(), ROUTES, Map.of("mesh.api.auth", "none"));
        WorkerProcess open = workers.startWorker("open", dir);
        assertThat(get(http, "http://127.0.0.1:" + open.httpPort() + "/api/openapi.json", null).statusCode())
                .isEqualTo(200);
        assertThat(open.output()).contains("HTTP API is OPEN (mesh.api.auth=none)");
    }

    private static HttpResponse<String> get(HttpClient client, String url, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String reason(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(response.statusCode());
        return body.path("reason").asText();
    }

    private static void deleteDeadLetterStream(JetStreamManagement jsm) throws IOException {
        try {
            jsm.deleteStream(MeshConstants.DLQ_STREAM);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != 10059) { // stream not found
                throw new IllegalStateException(e);
            }
        }
    }
}
