package io.meshbridge.bench;

import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Webhooks out: the worker jar running one {@code mesh-webhook} route (the template's defaults: 16 in flight,
 * max ack pending 1,000, raw bodies; signed with a secret, {@code -Dbench.sign=false} for none) posting to
 * {@link HookReceiver}, a JDK HTTP server in this JVM, next to a bare JDK HttpClient ({@link BareHttp}: HTTP/1.1,
 * as the product uses for {@code http:}) in this JVM posting the same bodies to the same receiver. In one run,
 * each part in alternating rounds after a warm-up round of each side ({@link Rounds}):
 * <ol>
 *   <li><b>Throughput, 16 in flight.</b> {@code bench.n} (20,000) events stored in the stream; each product
 *       round a new worker with a new route (also its durable) from the start of the stream
 *       ({@code deliverPolicy: all}), each raw round the same bodies (read from the stream once) posted by 16
 *       threads each looping over blocking {@code send} ({@code -Dbench.raw.http=loops}, default), or by
 *       {@code sendAsync} held to 16 by a semaphore ({@code async}). The rate of both is read from outside,
 *       from the receiver's receipt times: the requests between the 10% mark and the last one over the time
 *       between them, so neither side's start-up is counted. Every product drain is checked by
 *       {@link WorkerDrains} (exactly {@code n} deliveries, nothing redelivered), and each side must have posted
 *       every body (a request the receiver counts twice, {@link HookReceiver#resent}, is shown on the round's
 *       line). This is a cold figure: each side is a JVM that started seconds before, and
 *       at this length both still spend much of their CPU compiling (the product, with Camel and jnats, more).</li>
 *   <li><b>Throughput, 16 in flight, warm</b> ({@link WarmWebhookRounds}): the same drains in steady state,
 *       one worker and one bare-client JVM for all rounds; the worker's route is rewound to the start of the
 *       stream through its API before each round. This is the maximum throughput a running worker has.</li>
 *   <li><b>Latency at {@code bench.rate} (500) events/s</b> for {@code bench.seconds} (10) per round: events
 *       carrying their send time ({@code "sent":<nanoTime>} in their data) published with {@code publishAsync}
 *       on a fixed schedule into the stream, where one worker (started once for all rounds, so its JIT is warm
 *       after the warm-up round) posts them through a route with every default (it starts at new events);
 *       the raw side posts the same bodies at the same schedule with {@code sendAsync}. The receiver notes each
 *       body's emit-to-receipt time; each round gives a p50 and a p99 (nearest rank).</li>
 * </ol>
 * The throughput part runs first: its drains check that the stream still ends at {@code n}.
 *
 * <p>Run (the jar must be built first): {@code NATS_SERVER_BIN=$(.ci/nats-server-current) mvn -B -q
 * -DskipTests package org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.meshbridge.bench.WebhookBench}; options {@code -Dbench.rounds=5 -Dbench.n=20000
 * -Dbench.rate=500 -Dbench.seconds=10 -Dbench.only=throughput,warm,latency -Dbench.receiver.threads=32}.
 */
public final class WebhookBench {

    private static final String STREAM = WorkerDrains.STREAM;
    private static final int IN_FLIGHT = 16;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** A throughput round: requests per second at the receiver, and what else was seen. */
    record Posted(double rate, String detail) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f/s (%s)", rate, detail);
        }
    }

    /** A latency round: the emit-to-receipt times in ms. */
    record Latency(Stats stats) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p50 %.2f p99 %.2f max %.1f ms", stats.median(), stats.percentile(99),
                    stats.max());
        }
    }

    private final Connection nc;
    private final HookReceiver receiver;
    private final BareHttp bare;
    private final String secret;
    private final List<String> problems = new ArrayList<>();

    private WebhookBench(Connection nc, HookReceiver receiver, String secret) {
        this.nc = nc;
        this.receiver = receiver;
        this.secret = secret;
        this.bare = new BareHttp(receiver.url());
    }

    public static void main(String[] args) throws Exception {
        CoreBench.quietLogging();
        int n = Integer.getInteger("bench.n", 20_000);
        String only = System.getProperty("bench.only", "throughput,warm,latency");
        Path jar = WorkerDrains.jar();
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.dir",
                System.getProperty("java.io.tmpdir"))), "webhook-bench-");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = Boolean.parseBoolean(System.getProperty("bench.sign", "true"))
                ? "whsec_" + Base64.getEncoder().encodeToString(key) : "";
        Table table = new Table();
        List<String> problems = new ArrayList<>();
        try (NatsServer server = NatsServer.startDefault(); Connection nc = server.connect();
             HookReceiver receiver = new HookReceiver()) {
            CoreBench.printEnvironment(server);
            System.out.println("worker:  " + jar.getFileName() + " built " + Files.getLastModifiedTime(jar)
                    + (WorkerDrains.workerJvmArgs().isEmpty() ? ", default JVM options"
                    : ", !!! JVM options " + WorkerDrains.workerJvmArgs() + " (not the defaults)"));
            StreamFill.fill(nc, STREAM, n);
            System.out.printf(Locale.ROOT, "stream:  %s, %,d stored events of %.0f bytes on average%n", STREAM, n,
                    StreamFill.meanPayload(nc));
            System.out.printf(Locale.ROOT, "receiver: JDK HttpServer, %d threads, TCP_NODELAY, 200 without a body;"
                    + " product requests %s%n", receiver.threads(), secret.isEmpty() ? "unsigned" : "signed");
            WebhookBench bench = new WebhookBench(nc, receiver, secret);
            WorkerDrains drains = new WorkerDrains(server, nc, n, jar, root);
            Path bodiesFile = root.resolve("bodies.bin");
            if (only.contains("throughput") || only.contains("warm")) {
                BareHttp.writeBodies(bodiesFile, bench.storedBodies(n));
            }
            if (only.contains("throughput")) {
                bench.throughput(drains, n, table, jar, bodiesFile);
            }
            if (only.contains("warm")) {
                bench.warm(server, n, table, jar, root, bodiesFile);
            }
            Files.deleteIfExists(bodiesFile);
            if (only.contains("latency")) {
                bench.latency(server, jar, root, table);
            }
            problems.addAll(drains.problems());
            problems.addAll(bench.problems);
        } finally {
            try (var entries = Files.list(root)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(root);
                }
            }
        }
        System.out.println();
        System.out.println("load average at end: " + CoreBench.loadAverage());
        table.note("raw here: a bare JDK HttpClient (HTTP/1.1), unsigned, posting the same bodies to the same receiver:"
                + " for cold throughput in a new JVM per round, as the product's worker jar; for warm throughput in one"
                + " JVM for all rounds, as the product's one worker; for latency in the benchmark's JVM.");
        table.print();
        System.out.println(problems.isEmpty() ? "no problems in any round"
                : "!!!!! " + problems.size() + " PROBLEM(S):\n  " + String.join("\n  ", problems));
    }

    /** A routes file with one mesh-webhook route {@code id} on {@code filter}; {@code deliverPolicy} null: default. */
    private String route(String id, String filter, String deliverPolicy) {
        StringBuilder yaml = new StringBuilder("""
                - templatedRoute:
                    routeTemplateRef: mesh-webhook
                    routeId: %s
                    parameters:
                """.formatted(id));
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("filter", filter);
        params.put("url", receiver.url());
        params.put("secret", secret);
        if (deliverPolicy != null) {
            params.put("deliverPolicy", deliverPolicy);
        }
        params.forEach((k, v) -> yaml.append("      - name: ").append(k).append("\n        value: \"").append(v)
                .append("\"\n"));
        return yaml.toString();
    }

    private void throughput(WorkerDrains drains, int n, Table table, Path jar, Path bodiesFile) throws Exception {
        String way = System.getProperty("bench.raw.http", "loops");
        System.out.printf(Locale.ROOT, "%nthroughput, %d in flight: %,d stored events posted (events/s at the"
                + " receiver, 10%% to 100%%)%nproduct: worker jar, mesh-webhook from the start of the stream, its"
                + " defaults otherwise%nraw:     HttpClient, %s%n", IN_FLIGHT, n, way.equals("async")
                ? "sendAsync held to 16 by a semaphore" : "16 threads looping over send");
        int[] round = {0};
        Rounds.Result<Posted> r = Rounds.alternate("16 in flight", Rounds.count(), () -> {
            String id = "bench_hook_" + ++round[0];
            receiver.arm(n);
            AckFloorMeter.Drain d = drains.product(id, route(id, "events.>", "all"),
                    dir -> receiver.count() >= n ? null : receiver.count() + " requests for " + n + " events");
            return new Posted(receiver.rate(n), "ack floor " + d + receiver.resent(n));
        }, () -> {
            receiver.arm(n);
            Path dir = Files.createDirectories(bodiesFile.resolveSibling("bare-" + round[0]));
            int failed;
            String cpu;
            try (ChildJvm bareJvm = ChildJvm.main("bare-http", ChildJvm.benchClasspath(jar), BareHttp.class, dir,
                    List.of("url=" + receiver.url(), "bodies=" + bodiesFile, "inFlight=" + IN_FLIGHT, "way=" + way))) {
                int exit = bareJvm.awaitExit(600);
                String out = bareJvm.tail(5);
                cpu = out;
                int at = out.lastIndexOf("failed=");
                failed = exit == 0 && at >= 0 ? Integer.parseInt(out.substring(at + 7).split("\\D", 2)[0]) : n;
                if (exit != 0 || at < 0) {
                    problem("bare drain " + round[0] + " exited with " + exit + ":\n" + out);
                }
            }
            check("bare drain " + round[0], n, failed);
            int cpuAt = cpu.lastIndexOf("cpu=");
            return new Posted(receiver.rate(n), receiver.count() + " requests" + receiver.resent(n) + ", own JVM"
                    + (cpuAt >= 0 ? ", CPU " + cpu.substring(cpuAt + 4, cpu.indexOf(" (", cpuAt)) : ""));
        });
        table.rate("mesh-webhook, 16 in flight, cold: a new JVM per drain (events/s)", rates(r.product()),
                rates(r.baseline()), 0.60);
    }

    private void warm(NatsServer server, int n, Table table, Path jar, Path root, Path bodiesFile) throws Exception {
        System.out.printf(Locale.ROOT, "%nthroughput, %d in flight, warm: %,d stored events posted per round (events/s"
                + " at the receiver, 10%% to 100%%)%nproduct: one worker for all rounds, mesh-webhook from the start of"
                + " the stream, rewound to sequence 1 through its API before each round%nraw:     one JVM for all"
                + " rounds, HttpClient, 16 threads looping over send%n", IN_FLIGHT, n);
        Rounds.Result<Posted> r = new WarmWebhookRounds(receiver, nc.jetStreamManagement(), n, this::problem)
                .run(server.url(), route(WarmWebhookRounds.ROUTE, "events.>", "all"), jar, root, bodiesFile);
        table.rate("mesh-webhook, 16 in flight, warm: one JVM for all rounds (events/s)", rates(r.product()),
                rates(r.baseline()), 0.60);
    }

    private void latency(NatsServer server, Path jar, Path root, Table table) throws Exception {
        int rate = Integer.getInteger("bench.rate", 500);
        int seconds = Integer.getInteger("bench.seconds", 10);
        String durable = "bench_hook_latency";
        Path dir = Files.createDirectories(root.resolve(durable).resolve("routes")).getParent();
        Files.writeString(dir.resolve("routes/bench.yaml"), route(durable, "events.tool.crashed", null),
                StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "%nemit-to-receipt latency at %d events/s for %d s per round (ms)%nproduct:"
                + " one worker for all rounds, mesh-webhook with every default (from new events)%nraw:     HttpClient"
                + " sendAsync at the same schedule%n", rate, seconds);
        Map<String, String> env = Map.of("MESH_NATS_URL", server.url(), "MESH_NATS_EMBEDDED", "never",
                "MESH_HTTP_PORT", "0");
        try (ChildJvm worker = ChildJvm.worker(jar, dir, env, WorkerDrains.workerJvmArgs())) {
            awaitDurable(durable, worker);
            JetStream js = nc.jetStream();
            Rounds.Result<Latency> r = Rounds.alternate("latency", Rounds.count(),
                    () -> schedule(rate, seconds, "product", body -> js.publishAsync("events.tool.crashed", body)),
                    () -> schedule(rate, seconds, "raw", bare::send));
            int exit = worker.terminate(90);
            if (exit != 0 && exit != 143) {
                problem("the latency worker exited with " + exit + ":\n" + worker.tail(20));
            }
            nc.jetStreamManagement().deleteConsumer(STREAM, durable);
            table.latency("mesh-webhook: emit to receipt at " + rate + "/s, p50", p(r.product(), 50),
                    p(r.baseline(), 50), 0);
            table.latency("mesh-webhook: emit to receipt at " + rate + "/s, p99", p(r.product(), 99),
                    p(r.baseline(), 99), 25);
        }
        OutputFiles.delete(dir);
    }

    /** What a latency side does with each body. */
    private interface Send {
        void send(byte[] body) throws Exception;
    }

    /** Sends {@code rate × seconds} bodies on a fixed schedule, each with its send time; the latencies once all arrived. */
    private Latency schedule(int rate, int seconds, String side, Send send) throws Exception {
        int n = rate * seconds;
        receiver.arm(n);
        FixedRate.run(rate, n, Duration.ofMillis(200), (i, due) -> {
            String payload = "{\"type\":\"tool.crashed\",\"node\":\"bench\",\"timestamp\":\"2026-11-29T10:45:28.123Z\","
                    + "\"data\":{\"sent\":" + System.nanoTime() + ",\"tool\":\"whisper\",\"n\":" + i + "}}";
            send.send(payload.getBytes(StandardCharsets.UTF_8));
        });
        receiver.awaitCount(n, WAIT, null, side);
        if (receiver.count() != n) {
            problem(side + " latency round: " + receiver.count() + " requests for " + n + " events");
        }
        return new Latency(receiver.latencies());
    }

    /** The payloads of the stream's first {@code n} messages, in order, read with an ordered consumer. */
    private List<byte[]> storedBodies(int n) throws Exception {
        JetStream js = nc.jetStream();
        List<byte[]> bodies = new ArrayList<>(n);
        try (FetchConsumer fetch = js.getStreamContext(STREAM).createOrderedConsumer(
                new OrderedConsumerConfiguration().filterSubject("events.>")).fetchMessages(n)) {
            for (Message m = fetch.nextMessage(); m != null; m = fetch.nextMessage()) {
                bodies.add(m.getData());
            }
        }
        if (bodies.size() != n) {
            throw new IllegalStateException("read " + bodies.size() + " stored bodies of " + n);
        }
        return bodies;
    }

    private void awaitDurable(String durable, ChildJvm worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                nc.jetStreamManagement().getConsumerInfo(STREAM, durable);
                return;
            } catch (JetStreamApiException e) {
                if (!worker.alive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the latency worker did not create " + durable + "; its log:\n"
                            + worker.tail(30), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private void check(String what, int n, int failed) throws InterruptedException {
        receiver.awaitCount(n, WAIT, null, what);
        if (failed != 0 || receiver.count() < n) {
            problem(what + ": " + receiver.count() + " requests for " + n + " bodies, " + failed + " failed (the first: "
                    + bare.takeFirstFailure() + ")");
        }
    }

    private void problem(String text) {
        System.out.println("    !!! " + text);
        problems.add(text);
    }

    private static Stats rates(List<Posted> rounds) {
        return Stats.of(rounds.stream().map(Posted::rate).toList());
    }

    private static Stats p(List<Latency> rounds, double percentile) {
        return Stats.of(rounds.stream().map(l -> l.stats().percentile(percentile)).toList());
    }
}
