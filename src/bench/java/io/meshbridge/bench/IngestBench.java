package io.meshbridge.bench;

import io.meshbridge.events.Event;
import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's HTTP ingest ({@code POST /ingest/bench.build}, bearer token, one JSON object per request) next to
 * the same emits done directly with jnats ({@link IngestRaw}), in one run, alternating rounds:
 * <ol>
 *   <li>acknowledged requests per second at a fixed concurrency C ({@code bench.ingest.connections}, 64): wrk
 *       ({@code bench.ingest.client=wrk}, the default when it is installed), or a Java client with C threads
 *       ({@code java}), or both ({@code both}); raw: at most C publishes awaiting their acknowledgement;</li>
 *   <li>p50 and p99 latency at a fixed rate R ({@code bench.ingest.rate}, 1,000/s), open loop, from each
 *       request's due time; raw: publishes due at the same rate.</li>
 * </ol>
 * Each round lasts {@code bench.ingest.seconds} (10) on a stream purged before it; afterwards the stream must
 * hold exactly the answered 2xx (for wrk, which drops the requests in flight at its end, up to C more).
 * The worker is the jar ({@code -Dbench.jar}, default {@code target/mesh-bridge.jar}) in its own JVM with its
 * defaults. Targets: ≥ 5,000 acknowledged requests/s; p99 ≤ 20 ms at 1,000 requests/s.
 */
public final class IngestBench {

    static final String STREAM = "MESH_EVENTS";
    static final String TOPIC = "bench.build";
    static final String TOKEN = "bench-0123456789abcdef0123456789";
    static final String BODY = "{\"build\":1234,\"status\":\"passed\",\"duration_ms\":53211,\"commit\":\"4f2a9c1\"}";
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP port (\\d+) \\(GET /health\\)");

    private final JetStreamManagement jsm;
    private final List<String> problems = new ArrayList<>();

    private IngestBench(Connection connection) throws Exception {
        this.jsm = connection.jetStreamManagement();
    }

    public static void main(String[] args) throws Exception {
        CoreBench.quietLogging();
        int rounds = Rounds.count();
        int seconds = Integer.getInteger("bench.ingest.seconds", 10);
        int connections = Integer.getInteger("bench.ingest.connections", 64);
        int rate = Integer.getInteger("bench.ingest.rate", 1_000);
        String client = System.getProperty("bench.ingest.client", IngestLoad.wrkAvailable() ? "wrk" : "java");
        Path jar = WorkerDrains.jar();
        Path dir = Files.createTempDirectory("ingest-bench-");
        Table table = new Table();
        List<String> problems = new ArrayList<>();
        try (NatsServer server = NatsServer.startDefault(); Connection connection = server.connect()) {
            CoreBench.printEnvironment(server);
            connection.jetStreamManagement().addStream(StreamConfiguration.builder().name(STREAM)
                    .subjects("events.>").build());
            Files.createDirectories(dir.resolve("routes"));
            Files.writeString(dir.resolve("routes/none.yaml"), "[]\n");
            Map<String, String> env = Map.of("MESH_NATS_URL", server.url(), "MESH_NATS_EMBEDDED", "never",
                    "MESH_HTTP_PORT", "0", "MESH_NODE_NAME", "bench", "MESH_INGEST_TOKENS", "bench:" + TOKEN);
            try (ChildJvm worker = ChildJvm.worker(jar, dir, env, WorkerDrains.workerJvmArgs())) {
                int port = awaitPort(worker, dir.resolve("worker.log"));
                System.out.printf(Locale.ROOT, "worker:  %s, HTTP port %d%nload:    POST /ingest/%s, %d-byte body,"
                                + " %d s per round, %d connections (%s), open loop at %,d/s%n%n", jar.getFileName(),
                        port, TOPIC, BODY.length(), seconds, connections, client, rate);
                IngestBench bench = new IngestBench(connection);
                IngestLoad http = new IngestLoad(port, TOPIC, TOKEN, BODY);
                IngestRaw raw = new IngestRaw(connection, Event.user("bench", TOPIC, Map.of("build", 1234,
                        "status", "passed", "duration_ms", 53211, "commit", "4f2a9c1")));
                for (String c : client.equals("both") ? List.of("wrk", "java") : List.of(client)) {
                    Rounds.Result<IngestLoad.Closed> closed = Rounds.alternate("closed loop " + c, rounds,
                            () -> bench.checked(c.equals("wrk") ? connections : 0,
                                    () -> c.equals("wrk") ? http.wrk(connections, seconds, dir)
                                            : http.closedLoop(connections, seconds)),
                            () -> bench.checked(0, () -> raw.closedLoop(connections, seconds)));
                    table.rate(String.format(Locale.ROOT, "acknowledged requests/s, %d connections (%s)",
                            connections, c), stats(closed.product(), IngestLoad.Closed::rate),
                            stats(closed.baseline(), IngestLoad.Closed::rate), 0);
                    double median = stats(closed.product(), IngestLoad.Closed::rate).median();
                    table.note(String.format(Locale.ROOT, "target ≥ 5,000 acknowledged requests/s (%s): %s", c,
                            median >= 5_000 ? "met" : "**NOT MET**"));
                }
                Rounds.Result<IngestLoad.Open> open = Rounds.alternate("open loop", rounds,
                        () -> bench.checked(0, () -> http.openLoop(rate, seconds)),
                        () -> bench.checked(0, () -> raw.openLoop(rate, seconds)));
                String at = String.format(Locale.ROOT, " at %,d requests/s", rate);
                table.latency("p50" + at, stats(open.product(), IngestLoad.Open::p50),
                        stats(open.baseline(), IngestLoad.Open::p50), 0);
                table.latency("p99" + at, stats(open.product(), IngestLoad.Open::p99),
                        stats(open.baseline(), IngestLoad.Open::p99), 20);
                worker.terminate(60);
                problems = bench.problems;
            }
        }
        System.out.println();
        System.out.println("load average at end: " + CoreBench.loadAverage());
        table.print();
        System.out.println(problems.isEmpty() ? "no problems in any round"
                : "!!!!! " + problems.size() + " PROBLEM(S):\n  " + String.join("\n  ", problems));
    }

    /** A round on a purged stream; afterwards the stream holds the round's 2xx, plus up to {@code slack}. */
    private <T> T checked(int slack, Rounds.Round<T> round) throws Exception {
        jsm.purgeStream(STREAM);
        T result = round.run();
        long ok = result instanceof IngestLoad.Closed c ? c.ok() : ((IngestLoad.Open) result).ok();
        long other = result instanceof IngestLoad.Closed c ? c.other() : ((IngestLoad.Open) result).other();
        long stored = settledCount();
        if (stored < ok || stored > ok + slack) {
            problems.add(String.format(Locale.ROOT, "%s: %,d answered 2xx but %,d stored (allowed: up to %d more)",
                    result, ok, stored, slack));
        }
        if (other > 0) {
            problems.add(result + ": " + other + " requests not answered 2xx");
        }
        return result;
    }

    /** The stream's message count once it stopped changing (requests still in flight after wrk ended). */
    private long settledCount() throws Exception {
        long last = -1;
        long now = jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
        while (now != last) {
            Thread.sleep(300);
            last = now;
            now = jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
        }
        return now;
    }

    /** The worker's HTTP port, read from its start line in {@code log}; fails when it exits or takes 90 s. */
    static int awaitPort(ChildJvm worker, Path log) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = HTTP_PORT.matcher(text);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!worker.alive()) {
                throw new IllegalStateException("the worker exited:\n" + worker.tail(30));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the worker did not start within 90 s:\n" + worker.tail(30));
    }

    private static <T> Stats stats(List<T> rounds, ToDoubleFunction<T> pick) {
        List<Double> values = new ArrayList<>();
        rounds.forEach(r -> values.add(pick.applyAsDouble(r)));
        return Stats.of(values);
    }
}
