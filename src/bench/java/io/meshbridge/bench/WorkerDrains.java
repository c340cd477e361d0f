package io.meshbridge.bench;

import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drains of the stored events by a child JVM, measured from outside with {@link AckFloorMeter}: the worker jar
 * ({@code java -jar mesh-bridge.jar run} with its defaults and one YAML route) or the raw program
 * ({@link RawDrain}). Each drain uses a new durable in its own directory below the run's root; after the ack
 * floor reached {@code n} the child is stopped (the worker with SIGTERM, as in production; the raw program
 * exits by itself), the final counts are read and the durable is deleted. A drain's directory is deleted
 * unless the drain stalled or was not clean, or {@code -Dbench.keep=true}.
 */
final class WorkerDrains {

    static final String STREAM = "MESH_EVENTS";
    private static final Duration ROUND_LIMIT = Duration.ofMinutes(4);
    private static final long STOP_SECONDS = 90;

    /** What a benchmark does with the drains of one session. */
    @FunctionalInterface
    interface Body {
        void run(WorkerDrains drains, Table table) throws Exception;
    }

    /** Checks a drain's output directory before it is deleted; returns a problem, or null. */
    @FunctionalInterface
    interface OutputCheck {
        String check(Path dir) throws IOException;
    }

    private final NatsServer server;
    private final JetStreamManagement jsm;
    private final int n;
    private final Path jar;
    private final Path root;
    private final AckFloorMeter meter;
    private final List<String> problems = new ArrayList<>();

    WorkerDrains(NatsServer server, Connection connection, int n, Path jar, Path root) throws IOException {
        this.server = server;
        this.jsm = connection.jetStreamManagement();
        this.n = n;
        this.jar = jar;
        this.root = root;
        this.meter = new AckFloorMeter(jsm, STREAM, n, ROUND_LIMIT, server::pid);
    }

    /**
     * One benchmark session: a private nats-server, {@code bench.n} (200,000) stored events in
     * {@link #STREAM}, a root directory below {@code bench.dir} (default the temporary directory, which must be on
     * the disk being measured); prints the environment, runs {@code body}, then the load, the problems and the
     * table.
     */
    static void session(String title, Body body) throws Exception {
        CoreBench.quietLogging();
        int n = Integer.getInteger("bench.n", 200_000);
        Path jar = jar();
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.dir",
                System.getProperty("java.io.tmpdir"))), "worker-bench-");
        Table table = new Table();
        List<String> problems;
        try (NatsServer server = NatsServer.startDefault(); Connection connection = server.connect()) {
            CoreBench.printEnvironment(server);
            System.out.println("worker:  " + jarDescription(jar));
            StreamFill.fill(connection, STREAM, n);
            System.out.printf(java.util.Locale.ROOT, "stream:  %s, %,d stored events of %.0f bytes on average"
                    + " (ten types, round robin), no limits%n%n%s%n", STREAM, n, StreamFill.meanPayload(connection),
                    title);
            WorkerDrains drains = new WorkerDrains(server, connection, n, jar, root);
            body.run(drains, table);
            problems = drains.problems();
        } finally {
            deleteUnlessKept(root);
        }
        System.out.println();
        System.out.println("load average at end: " + CoreBench.loadAverage());
        table.print();
        System.out.println(problems.isEmpty() ? "no problems in any drain"
                : "!!!!! " + problems.size() + " PROBLEM(S):\n  " + String.join("\n  ", problems));
    }

    /** Deletes the drains' root unless a drain left something there for inspection. */
    private static void deleteUnlessKept(Path root) throws IOException {
        try (var entries = Files.list(root)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(root);
            }
        }
    }

    /** The jar's build time, and a warning when the sources are newer (a stale jar measures old code). */
    private static String jarDescription(Path jar) throws IOException {
        java.nio.file.attribute.FileTime built = Files.getLastModifiedTime(jar);
        Path sources = Path.of("src/main");
        long newer = 0;
        if (Files.isDirectory(sources)) {
            try (var walk = Files.walk(sources)) {
                newer = walk.filter(Files::isRegularFile).filter(p -> {
                    try {
                        return Files.getLastModifiedTime(p).compareTo(built) > 0;
                    } catch (IOException e) {
                        return true;
                    }
                }).count();
            }
        }
        return jar.getFileName() + " built " + built.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + (workerJvmArgs().isEmpty() ? ", default JVM options" : ", !!! JVM options " + workerJvmArgs()
                + " (not the defaults: a profiling run)") + (rawJvmArgs().isEmpty() ? "" : ", !!! raw JVM options "
                + rawJvmArgs()) + (newer == 0 ? "" : "; !!! " + newer + " file(s) in src/main are newer"
                + " than the jar: rebuild it (mvn -B -q package -DskipTests)");
    }

    /**
     * Extra JVM options for the worker from {@code bench.worker.jvmArgs} (space-separated, default none), e.g.
     * {@code -XX:StartFlightRecording=filename=worker.jfr} with {@code -Dbench.keep=true} to profile a drain.
     */
    static List<String> workerJvmArgs() {
        return jvmArgs("bench.worker.jvmArgs");
    }

    /** Extra JVM options for the raw programs from {@code bench.raw.jvmArgs}, as {@link #workerJvmArgs}. */
    static List<String> rawJvmArgs() {
        return jvmArgs("bench.raw.jvmArgs");
    }

    private static List<String> jvmArgs(String property) {
        String args = System.getProperty(property, "").trim();
        return args.isEmpty() ? List.of() : List.of(args.split("\\s+"));
    }

    /**
     * A second worker jar to measure in the same rounds, from {@code -Dbench.jar.compare} (e.g. the build of an
     * earlier commit): what a change of the code does, with the machine's drift shared by both. Empty when unset.
     */
    static java.util.Optional<Path> compareJar() {
        String path = System.getProperty("bench.jar.compare", "").trim();
        if (path.isEmpty()) {
            return java.util.Optional.empty();
        }
        Path jar = Path.of(path).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("bench.jar.compare: no jar at " + jar);
        }
        return java.util.Optional.of(jar);
    }

    /** The worker jar from {@code -Dbench.jar} (default {@code target/mesh-bridge.jar}); it must exist. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("bench.jar", "target/mesh-bridge.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no worker jar at " + jar + ": build it first (mvn -B -q package"
                    + " -DskipTests) or name it with -Dbench.jar");
        }
        return jar;
    }

    /** The directory of drain {@code durable}: where its child runs and writes. */
    Path dir(String durable) {
        return root.resolve(durable);
    }

    /** The worker with {@code routeYaml} as its only route file; the route's durable is {@code durable}. */
    AckFloorMeter.Drain product(String durable, String routeYaml, OutputCheck check) throws Exception {
        return product(durable, routeYaml, check, jar);
    }

    /** {@link #product(String, String, OutputCheck)} with another build of the worker, {@code workerJar}. */
    AckFloorMeter.Drain product(String durable, String routeYaml, OutputCheck check, Path workerJar)
            throws Exception {
        Path dir = Files.createDirectories(dir(durable));
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(dir.resolve("routes/bench.yaml"), routeYaml, StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("MESH_NATS_URL", server.url(), "MESH_NATS_EMBEDDED", "never",
                "MESH_HTTP_PORT", "0");
        try (ChildJvm worker = ChildJvm.worker(workerJar, dir, env, workerJvmArgs())) {
            AckFloorMeter.Drain drain = meter.measure(durable, worker, dir);
            int exit = worker.terminate(STOP_SECONDS);
            if (exit != 0 && exit != 143) {
                problem(durable + ": the worker exited with " + exit);
            }
            return finish(durable, drain, check);
        }
    }

    /** The raw program with {@code args} (besides url, stream, durable and n). */
    AckFloorMeter.Drain raw(String durable, List<String> args, OutputCheck check) throws Exception {
        return program(RawDrain.class, durable, args, check);
    }

    /** The Camel floor ({@link CamelDrain}) with {@code args} (besides url, stream, durable and n). */
    AckFloorMeter.Drain camel(String durable, List<String> args) throws Exception {
        return program(CamelDrain.class, durable, args, null);
    }

    private AckFloorMeter.Drain program(Class<?> main, String durable, List<String> args, OutputCheck check)
            throws Exception {
        Path dir = Files.createDirectories(dir(durable));
        List<String> all = new ArrayList<>(List.of("url=" + server.url(), "stream=" + STREAM, "durable=" + durable,
                "n=" + n));
        all.addAll(args);
        if (Boolean.getBoolean("bench.threads")) {
            all.add("holdMillis=2000"); // still there when its threads are read at the end
        }
        try (ChildJvm raw = ChildJvm.main("raw", rawJvmArgs(), ChildJvm.benchClasspath(jar), main, dir,
                all)) {
            AckFloorMeter.Drain drain = meter.measure(durable, raw, dir);
            int exit = raw.awaitExit(STOP_SECONDS);
            if (exit != 0) {
                problem(durable + ": the raw program exited with " + exit + ":\n" + raw.tail(20));
            }
            return finish(durable, drain, check);
        }
    }

    private AckFloorMeter.Drain finish(String durable, AckFloorMeter.Drain measured, OutputCheck check)
            throws Exception {
        AckFloorMeter.Drain drain = meter.settle(durable, measured);
        jsm.deleteConsumer(STREAM, durable);
        boolean keep = !drain.stalls().isEmpty() || Boolean.getBoolean("bench.keep");
        if (!drain.clean(n)) {
            keep = true;
            problem(String.format("%s: delivered %,d times for %,d events, redelivered %d, ack pending %d",
                    durable, drain.delivered(), n, drain.redelivered(), drain.ackPending()));
        }
        long lastSeq = jsm.getStreamInfo(STREAM).getStreamState().getLastSequence();
        if (lastSeq != n) {
            problem(durable + ": the stream's last sequence is " + lastSeq + ", not " + n);
        }
        String output = check == null ? null : check.check(dir(durable));
        if (output != null) {
            keep = true;
            problem(durable + ": " + output);
        }
        if (keep) {
            System.out.println("    kept for inspection: " + dir(durable));
        } else {
            OutputFiles.delete(dir(durable));
        }
        return drain;
    }

    private void problem(String text) {
        System.out.println("    !!! " + text);
        problems.add(text);
    }

    /** Everything that went wrong in this run's drains, in order. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** The directory below which every drain of this session runs. */
    Path root() {
        return root;
    }

    int n() {
        return n;
    }
}
