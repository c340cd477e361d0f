package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.meshbridge.archive.ArchiveTesting;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /observe/metrics} and {@code /observe/health} of a worker process over real HTTP, against a private
 * nats-server: exact counters after a known workload, readiness while NATS is down and back, a stalled
 * connector, a paused one, and the token.
 */
class ObserveIT {

    private static final String STREAM = "MESH_EVENTS";
    private static final Duration DONE = Duration.ofSeconds(60);
    private static final String TOKEN = "observe-token-0123456789abcdef";

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void afterTenEventsTwoFailingOnceAndOneDeadLetteredTheCountersAreExact() throws Exception {
        Connection nc = NATS.connect();
        Path archive = dir.resolve("archive");
        AtomicInteger posts = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            countersAreExact(nc, archive, receiver, posts);
        } finally {
            receiver.stop(0);
        }
    }

    private void countersAreExact(Connection nc, Path archive, HttpServer receiver, AtomicInteger posts)
            throws Exception {
        WorkDir.create(dir, NATS.url(), """
                - route:
                    id: obs
                    from:
                      uri: "mesh:events.obs"
                      parameters:
                        maxDeliver: 2
                        backoff: "100ms"
                      steps:
                        - choice:
                            when:
                              - simple: "${header.CamelMeshEventId} regex 'obs-9-.*'"
                                steps:
                                  - throwException:
                                      exceptionType: "java.lang.IllegalStateException"
                                      message: "always failing"
                              - simple: "${header.CamelMeshDeliveries} == 1 && ${header.CamelMeshEventId} regex 'obs-[37]-.*'"
                                steps:
                                  - throwException:
                                      exceptionType: "java.lang.IllegalStateException"
                                      message: "failing once"
                        - setBody:
                            constant: "{\\"done\\":true}"
                        - to: "mesh:user/obs-done"
                - templatedRoute:
                    routeTemplateRef: mesh-webhook
                    routeId: hook
                    parameters:
                      - name: filter
                        value: events.obs
                      - name: url
                        value: "http://127.0.0.1:%d/hook"
                """.formatted(receiver.getAddress().getPort())
                + WorkDir.archiveRoute("arch", archive, Map.of("filter", "events.obs")),
                Map.of("mesh.health.poll-interval", "200ms"));
        WorkerProcess w = workers.startWorker("obs", dir);
        assertThat(PlainNats.publish(nc, "obs", 10)).hasSize(10);

        await().atMost(DONE).pollInterval(Duration.ofMillis(200)).failFast("worker exited", w::exited)
                .until(() -> PlainNats.drained(nc, STREAM, "obs") && PlainNats.drained(nc, STREAM, "arch")
                        && PlainNats.drained(nc, STREAM, "hook") && scrape(w).contains("status=\"204\"")
                        && metric(scrape(w), "mesh_connector_acknowledged_total", "route", "obs") == 9
                        && metric(scrape(w), "mesh_connector_dead_lettered_total", "route", "obs") == 1);
        // the gauges follow the server at the next reading
        await().atMost(DONE).until(() -> metric(scrape(w), "mesh_connector_ack_pending", "route", "obs") == 0
                && metric(scrape(w), "mesh_dlq_messages") == 1);

        String m = scrape(w);
        // 10 first deliveries, the second ones of obs-3, obs-7 and obs-9
        assertThat(metric(m, "mesh_connector_delivered_total", "route", "obs")).isEqualTo(13);
        assertThat(metric(m, "mesh_connector_acknowledged_total", "route", "obs")).isEqualTo(9);
        assertThat(metric(m, "mesh_connector_failed_total", "route", "obs")).isEqualTo(4);
        // obs-3, obs-7 and the first attempt of obs-9
        assertThat(metric(m, "mesh_connector_retried_total", "route", "obs")).isEqualTo(3);
        assertThat(metric(m, "mesh_connector_dead_lettered_total", "route", "obs")).isEqualTo(1);
        assertThat(metric(m, "mesh_connector_returned_total", "route", "obs")).isEqualTo(0);
        assertThat(metric(m, "mesh_connector_terminated_again_total", "route", "obs")).isEqualTo(0);
        assertThat(metric(m, "mesh_connector_processing_seconds_count", "route", "obs")).isEqualTo(13);
        assertThat(metric(m, "mesh_connector_lag", "route", "obs")).isEqualTo(0);
        assertThat(metric(m, "mesh_connector_in_flight", "route", "obs")).isEqualTo(0);
        assertThat(metric(m, "mesh_connector_stalled", "route", "obs")).isEqualTo(0);
        assertThat(metric(m, "mesh_emit_total", "route", "obs", "outcome", "stored")).isEqualTo(9);
        assertThat(metric(m, "mesh_emit_total", "route", "obs", "outcome", "duplicate")).isEqualTo(0);
        assertThat(metric(m, "mesh_emit_total", "route", "obs", "outcome", "failed")).isEqualTo(0);
        assertThat(metric(m, "mesh_nats_connected")).isEqualTo(1);
        assertThat(metric(m, "mesh_dlq_messages")).isEqualTo(1);
        assertThat(metric(m, "mesh_dlq_bytes")).isPositive();
        assertThat(metric(m, "mesh_connector_gaps_total", "route", "obs")).isEqualTo(0);
        assertThat(m).as("Camel's per-exchange route meters are off by default (hot path)")
                .doesNotContain("camel_exchanges_total");

        String directory = archive.toString();
        long payloadBytes = 0;
        Set<Instant> hours = new HashSet<>();
        long seq = 1;
        for (int i = 0; i < 10; i++) {
            var msg = nc.jetStreamManagement().getNextMessage(STREAM, seq, "events.obs");
            payloadBytes += msg.getData().length;
            hours.add(msg.getTime().toInstant().truncatedTo(ChronoUnit.HOURS));
            seq = msg.getSeq() + 1;
        }
        assertThat(metric(m, "mesh_archive_events_total", "directory", directory)).isEqualTo(10);
        assertThat(metric(m, "mesh_archive_skipped_total", "directory", directory)).isEqualTo(0);
        assertThat(metric(m, "mesh_archive_payload_bytes_total", "directory", directory)).isEqualTo(payloadBytes);
        // one file per directory of the default layout (UTC hour of the stream time, type): one, unless the
        // events straddle an hour; none finished (64MB, 1h)
        assertThat(ArchiveTesting.files(archive, ".jsonl.gz.part")).hasSize(hours.size());
        assertThat(ArchiveTesting.files(archive, ".jsonl.gz")).isEmpty();
        assertThat(metric(m, "mesh_archive_open_files", "directory", directory)).isEqualTo(hours.size());
        assertThat(metric(m, "mesh_archive_files_total", "directory", directory)).isEqualTo(0);
        assertThat(metric(m, "mesh_archive_written_bytes_total", "directory", directory))
                .as("the data files' sizes").isEqualTo(ArchiveTesting.dataBytes(archive));
        assertThat(metric(m, "mesh_archive_commit_seconds_count", "directory", directory))
                .as("one timing per batch").isEqualTo(metric(m, "mesh_archive_batches_total", "directory", directory));
        assertThat(metric(m, "mesh_connector_acknowledged_total", "route", "arch")).isEqualTo(10);

        assertThat(posts.get()).isEqualTo(10);
        assertThat(metric(m, "mesh_webhook_attempts_total", "route", "hook", "outcome", "success")).isEqualTo(10);
        assertThat(metric(m, "mesh_webhook_attempts_total", "route", "hook", "outcome", "retry")).isEqualTo(0);
        assertThat(metric(m, "mesh_webhook_responses_total", "route", "hook", "status", "204")).isEqualTo(10);
        assertThat(m).as("no other status").doesNotContain("mesh_webhook_responses_total{route=\"hook\",status=\"0\"");

        StreamInfo dlq = nc.jetStreamManagement().getStreamInfo("MESH_DLQ");
        assertThat(dlq.getStreamState().getSubjectCount()).isEqualTo(1);
        assertThat(nc.jetStreamManagement().getLastMessage("MESH_DLQ", "mesh.dlq.obs").getSeq()).isPositive();
        StreamInfo emitted = nc.jetStreamManagement().getStreamInfo(STREAM,
                StreamInfoOptions.filterSubjects("events.user.obs-done"));
        assertThat(emitted.getStreamState().getSubjects()).as("9 emitted").singleElement()
                .satisfies(s -> assertThat(s.getCount()).isEqualTo(9));

        HttpResponse<String> ready = get(w, "/observe/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"", "\"mesh-connectors\"", "\"mesh-nats\"");
        assertThat(get(w, "/observe/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void readinessIsFalseWhileNatsIsDownAndTrueOnceItIsBack() throws Exception {
        WorkDir.create(dir, NATS.url(), logRoute("down", "events.down"), Map.of("mesh.health.poll-interval", "200ms",
                "mesh.log.format", "json"));
        WorkerProcess w = workers.startWorker("down", dir);
        assertThat(w.output().lines().filter(l -> l.startsWith("{\"timestamp\":") && l.contains("\"level\":\"INFO\"")
                && l.contains("\"formattedMessage\":\"mesh-bridge worker it-worker started: ")).count())
                .as("JSON log lines").isEqualTo(1);
        assertThat(get(w, "/observe/health/ready", null).statusCode()).isEqualTo(200);

        NATS.server().kill();
        await().atMost(DONE).failFast("worker exited", w::exited)
                .until(() -> get(w, "/observe/health/ready", null).statusCode() == 503);
        HttpResponse<String> ready = get(w, "/observe/health/ready", null);
        assertThat(ready.body()).contains("\"status\":\"DOWN\"", "NATS connection");
        HttpResponse<String> alias = get(w, "/health", null);
        assertThat(alias.statusCode()).isEqualTo(503);
        assertThat(alias.body()).contains("NATS connection");
        assertThat(get(w, "/observe/health/live", null).statusCode()).as("alive all the same").isEqualTo(200);
        assertThat(metric(scrape(w), "mesh_nats_connected")).isEqualTo(0);

        NATS.server().restart();
        await().atMost(DONE).failFast("worker exited", w::exited)
                .until(() -> get(w, "/observe/health/ready", null).statusCode() == 200);
        assertThat(get(w, "/health", null).statusCode()).isEqualTo(200);
        String m = scrape(w);
        assertThat(metric(m, "mesh_nats_connected")).isEqualTo(1);
        assertThat(metric(m, "mesh_nats_reconnects_total")).isPositive();
    }

    @Test
    void readinessIsFalseWhileTheStreamIsMissingAndWhileAConnectorHasLostItsDurable() throws Exception {
        Connection nc = NATS.connect();
        JetStreamManagement jsm = nc.jetStreamManagement();
        WorkDir.create(dir, NATS.url(), logRoute("gone", "events.gone"), Map.of("mesh.health.poll-interval", "200ms"));
        WorkerProcess w = workers.startWorker("gone", dir);
        assertThat(get(w, "/observe/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(metric(scrape(w), "mesh_stream_missing")).isEqualTo(0);

        StreamConfiguration config = jsm.getStreamInfo(STREAM).getConfiguration();
        jsm.deleteStream(STREAM);
        await().atMost(DONE).failFast("worker exited", w::exited)
                .until(() -> get(w, "/observe/health/ready", null).statusCode() == 503);
        assertThat(get(w, "/observe/health/ready", null).body()).contains("stream MESH_EVENTS missing");
        // the connector's reading may tell first (a reading whose stream request timed out says "unknown")
        await().atMost(DONE).until(() -> metric(scrape(w), "mesh_stream_missing") == 1);

        // the stream is back, the route's durable is not (a restart creates it): still not ready, saying why
        jsm.addStream(config);
        await().atMost(DONE).until(() -> metric(scrape(w), "mesh_stream_missing") == 0);
        HttpResponse<String> ready = get(w, "/observe/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("connector gone: durable gone missing").doesNotContain("stream MESH_EVENTS missing");
    }

    @Test
    void aConnectorWhoseStepBlocksIsStalledUntilItMovesAgain() throws Exception {
        Connection nc = NATS.connect();
        Path gate = dir.resolve("out/gate");
        WorkDir.create(dir, NATS.url(), """
                - route:
                    id: stall
                    from:
                      uri: "mesh:events.stall"
                      steps:
                        - pollEnrich:
                            constant: "file:{{out.dir}}?fileName=gate&noop=true&idempotent=false"
                            timeout: -1
                """, Map.of("mesh.health.stall-after", "2s", "mesh.health.poll-interval", "200ms"));
        WorkerProcess w = workers.startWorker("stall", dir);
        assertThat(get(w, "/observe/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(PlainNats.publish(nc, "stall", 3)).hasSize(3);

        await().atMost(DONE).failFast("worker exited", w::exited)
                .until(() -> get(w, "/observe/health/ready", null).statusCode() == 503);
        HttpResponse<String> ready = get(w, "/observe/health/ready", null);
        assertThat(ready.body()).contains("connector stall stalled: 3 event(s) pending on durable stall");
        assertThat(get(w, "/health", null).body()).contains("connector stall stalled");
        String m = scrape(w);
        assertThat(metric(m, "mesh_connector_stalled", "route", "stall")).isEqualTo(1);
        assertThat(metric(m, "mesh_connector_acknowledged_total", "route", "stall")).isEqualTo(0);

        Files.writeString(gate, "open", StandardCharsets.UTF_8);
        await().atMost(DONE).failFast("worker exited", w::exited)
                .until(() -> get(w, "/observe/health/ready", null).statusCode() == 200);
        await().atMost(DONE).until(() -> PlainNats.drained(nc, STREAM, "stall"));
        m = scrape(w);
        assertThat(metric(m, "mesh_connector_acknowledged_total", "route", "stall")).isEqualTo(3);
        assertThat(metric(m, "mesh_connector_stalled", "route", "stall")).isEqualTo(0);
    }

    @Test
    void aPausedConnectorWithEventsWaitingStaysReadyAndTheTokenGuardsObserveOnly() throws Exception {
        Connection nc = NATS.connect();
        WorkDir.create(dir, NATS.url(), logRoute("paused", "events.paused"), Map.of(
                "mesh.health.stall-after", "2s", "mesh.health.poll-interval", "200ms", "mesh.observe.token", TOKEN));
        WorkerProcess w = workers.startWorker("paused", dir);
        assertThat(w.output()).doesNotContain(TOKEN);

        assertThat(get(w, "/observe/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get(w, "/observe/health/ready", "wrong-token-0123456789abcdef").statusCode()).isEqualTo(401);
        HttpResponse<String> unauthorized = get(w, "/observe/health", null);
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.body()).doesNotContain(TOKEN);
        assertThat(get(w, "/health", null).statusCode()).as("/health stays open").isEqualTo(200);

        nc.keyValue("mesh-pauses").put("paused", "{\"route\":\"paused\",\"reason\":\"test\"}");
        await().atMost(DONE).until(() -> metric(scrape(w, TOKEN), "mesh_connector_paused", "route", "paused") == 1);
        assertThat(PlainNats.publish(nc, "paused", 3)).hasSize(3);
        await().atMost(DONE).until(() -> metric(scrape(w, TOKEN), "mesh_connector_lag", "route", "paused") == 3);

        // longer than stall-after with 3 events pending and nothing settled: ready all along
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(w, "/observe/health/ready", TOKEN).statusCode() == 200);
        assertThat(metric(scrape(w, TOKEN), "mesh_connector_delivered_total", "route", "paused")).isEqualTo(0);

        nc.keyValue("mesh-pauses").delete("paused");
        await().atMost(DONE).until(() -> PlainNats.drained(nc, STREAM, "paused"));
        await().atMost(DONE).until(() ->
                metric(scrape(w, TOKEN), "mesh_connector_acknowledged_total", "route", "paused") == 3);
        assertThat(get(w, "/observe/health/ready", TOKEN).statusCode()).isEqualTo(200);
    }

    private static String logRoute(String id, String filter) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "mesh:%s"
                      steps:
                        - log: "got ${header.CamelMeshEventId}"
                """.formatted(id, filter);
    }

    private HttpResponse<String> get(WorkerProcess w, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(w) + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The HTTP port the worker logged, in a text or a JSON log line (where '/' may be escaped). */
    private static int port(WorkerProcess w) {
        Matcher m = Pattern.compile("HTTP port (\\d+) \\(GET \\\\?/health\\)").matcher(w.output());
        assertThat(m.find()).as("worker " + w.name() + " logged its HTTP port").isTrue();
        return Integer.parseInt(m.group(1));
    }

    private String scrape(WorkerProcess w) throws Exception {
        return scrape(w, null);
    }

    private String scrape(WorkerProcess w, String token) throws Exception {
        HttpResponse<String> r = get(w, "/observe/metrics", token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    /** The value of the one sample {@code name} with the labels {@code k1, v1, ...}; fails when absent. */
    static double metric(String text, String name, String... labels) {
        List<String> matches = text.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!l.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                }).toList();
        assertThat(matches).as(name + " " + List.of(labels)).hasSize(1);
        String line = matches.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
