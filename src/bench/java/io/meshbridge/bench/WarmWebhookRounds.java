package io.meshbridge.bench;

import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The throughput part of {@link WebhookBench} in steady state: both sides warm. One worker started once, with one
 * {@code mesh-webhook} route from the start of the stream (its defaults otherwise); it drains the stored events
 * once at start (not counted), then each product round moves its durable back to sequence 1 through the worker's
 * own API ({@code PUT /api/connectors/{id}/position}, as an operator replays) and the route posts all of them
 * again. One bare-client JVM ({@link BareHttp} with {@code rounds}) stays up as well and posts the same bodies
 * once per round. Rounds alternate after a warm-up round of each side, as everywhere.
 *
 * <p>The rate is read at the receiver (10% to 100%), as for the cold drains; each side's CPU per 1,000 events is
 * read from {@code /proc} over the round. A product round must post exactly {@code n} requests and leave the
 * durable with its ack floor at {@code n}, nothing redelivered and nothing pending; a raw round exactly
 * {@code n} without a failure. Otherwise the run lists a problem.
 */
final class WarmWebhookRounds {

    /** The route's id, also its durable. */
    static final String ROUTE = "bench_hook_warm";
    private static final Duration WAIT = Duration.ofMinutes(3);

    private final HookReceiver receiver;
    private final JetStreamManagement jsm;
    private final int n;
    private final Consumer<String> problems;
    private final HttpClient api = HttpClient.newHttpClient();

    WarmWebhookRounds(HookReceiver receiver, JetStreamManagement jsm, int n, Consumer<String> problems) {
        this.receiver = receiver;
        this.jsm = jsm;
        this.n = n;
        this.problems = problems;
    }

    /** Runs the rounds: {@code routeYaml} is the worker's route file (route {@link #ROUTE}, from the start). */
    Rounds.Result<WebhookBench.Posted> run(String natsUrl, String routeYaml, Path jar, Path root, Path bodiesFile)
            throws Exception {
        Path dir = Files.createDirectories(root.resolve(ROUTE));
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(dir.resolve("routes/bench.yaml"), routeYaml, StandardCharsets.UTF_8);
        Path bareDir = Files.createDirectories(root.resolve("bare-warm"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        byte[] tokenBytes = new byte[24];
        new SecureRandom().nextBytes(tokenBytes);
        String token = HexFormat.of().formatHex(tokenBytes);
        Map<String, String> env = Map.of("MESH_NATS_URL", natsUrl, "MESH_NATS_EMBEDDED", "never",
                "MESH_HTTP_PORT", Integer.toString(port), "MESH_API_TOKENS", token);
        int rounds = Rounds.count();
        receiver.arm(n);
        try (ChildJvm worker = ChildJvm.worker(jar, dir, env, WorkerDrains.workerJvmArgs());
             ChildJvm bare = ChildJvm.main("bare-http", ChildJvm.benchClasspath(jar), BareHttp.class, bareDir,
                     List.of("url=" + receiver.url(), "bodies=" + bodiesFile, "inFlight=16", "way=loops",
                             "rounds=" + (rounds + 1)))) {
            receiver.awaitCount(n, WAIT, worker, "the worker's first drain");
            System.out.printf(Locale.ROOT, "  the worker's first drain (not counted): %,.0f/s%n", receiver.rate(n));
            int[] round = {0};
            Rounds.Result<WebhookBench.Posted> r = Rounds.alternate("16 in flight, warm", rounds,
                    () -> product(worker, port, token), () -> raw(bare, bareDir, ++round[0]));
            int exit = worker.terminate(90);
            if (exit != 0 && exit != 143) {
                problems.accept("the warm worker exited with " + exit + ":\n" + worker.tail(20));
            }
            jsm.deleteConsumer(WorkerDrains.STREAM, ROUTE);
            return r;
        } finally {
            OutputFiles.delete(dir);
            OutputFiles.delete(bareDir);
        }
    }

    private WebhookBench.Posted product(ChildJvm worker, int port, String token) throws Exception {
        receiver.arm(n);
        long cpu = worker.cpuMillis();
        HttpResponse<String> moved = api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/connectors/" + ROUTE + "/position"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"sequence\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (moved.statusCode() != 200) {
            throw new IllegalStateException("PUT position answered " + moved.statusCode() + ": " + moved.body());
        }
        receiver.awaitCount(n, WAIT, worker, "a warm product round");
        double rate = receiver.rate(n);
        ConsumerInfo info = awaitSettled();
        long used = worker.cpuMillis() - cpu;
        String detail = String.format(Locale.ROOT, "CPU %.1f ms/1000, ack floor %,d, redelivered %d, ack pending %d%s",
                used * 1000.0 / n, info.getAckFloor().getStreamSequence(), info.getRedelivered(),
                info.getNumAckPending(), receiver.resent(n));
        if (info.getAckFloor().getStreamSequence() != n || info.getRedelivered() != 0 || info.getNumAckPending() != 0) {
            problems.accept("warm product round: " + receiver.count() + " requests for " + n + " events, " + detail);
        }
        return new WebhookBench.Posted(rate, detail);
    }

    private WebhookBench.Posted raw(ChildJvm bare, Path bareDir, int k) throws Exception {
        receiver.arm(n);
        long cpu = bare.cpuMillis();
        Files.createFile(bareDir.resolve("go-" + k));
        Path done = bareDir.resolve("done-" + k);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(done)) {
            if (!bare.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the warm bare client did not finish round " + k + ":\n" + bare.tail(20));
            }
            Thread.sleep(5);
        }
        long used = bare.cpuMillis() - cpu;
        String out = Files.readString(done);
        receiver.awaitCount(n, WAIT, bare, "a warm raw round");
        if (!out.contains("failed=0")) {
            problems.accept("warm raw round " + k + ": " + receiver.count() + " requests for " + n + " bodies; "
                    + out.trim());
        }
        return new WebhookBench.Posted(receiver.rate(n), String.format(Locale.ROOT, "CPU %.1f ms/1000%s",
                used * 1000.0 / n, receiver.resent(n)));
    }

    /** The durable's info once its ack floor reached {@code n} (or after 30 s). */
    private ConsumerInfo awaitSettled() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ConsumerInfo info = jsm.getConsumerInfo(WorkerDrains.STREAM, ROUTE);
            if (info.getAckFloor().getStreamSequence() >= n || System.nanoTime() > deadline) {
                return info;
            }
            Thread.sleep(5);
        }
    }
}
