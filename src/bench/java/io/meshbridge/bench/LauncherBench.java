package io.meshbridge.bench;

import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up of a short command, whole process: {@code events list} (the last 50 of 50 events) against a private
 * nats-server, timed from the process's start to its exit, through {@code bin/mesh-bridge} with and without its
 * AppCDS archive, next to {@code java -jar mesh-bridge.jar} without the launcher (the baseline), and the archive
 * with {@code MESH_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"} (what a short command can add). The
 * launcher and the jar ({@code -Dbench.jar}) are copied into a checkout layout in a temporary directory; the
 * first run there, which makes the archive, is timed once. One warm-up round, then {@code bench.rounds} (5)
 * rounds of every side in turn; each run must exit 0 and print exactly 50 lines.
 */
public final class LauncherBench {

    private static final int EVENTS = 50;

    private final Path home;
    private final Path launcher;
    private final Path jar;
    private final String url;
    private final List<String> problems = new ArrayList<>();

    private LauncherBench(Path home, Path launcher, Path jar, String url) {
        this.home = home;
        this.launcher = launcher;
        this.jar = jar;
        this.url = url;
    }

    public static void main(String[] args) throws Exception {
        CoreBench.quietLogging();
        int rounds = Rounds.count();
        Path home = Files.createTempDirectory("launcher-bench-");
        Path launcher = Files.copy(Path.of("bin/mesh-bridge"), Files.createDirectories(home.resolve("bin"))
                .resolve("mesh-bridge"));
        Path jar = Files.copy(WorkerDrains.jar(), Files.createDirectories(home.resolve("target"))
                .resolve("mesh-bridge.jar"));
        try (NatsServer server = NatsServer.startDefault(); Connection nc = server.connect()) {
            CoreBench.printEnvironment(server);
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("MESH_EVENTS")
                    .subjects("events.>").build());
            publish(nc);
            LauncherBench bench = new LauncherBench(home, launcher, jar, server.url());
            System.out.printf(Locale.ROOT, "command: events list --server %s (%d events stored)%n%n", server.url(),
                    EVENTS);
            double first = bench.run("first run (makes the archive)", Map.of());
            Map<String, List<Double>> sides = new LinkedHashMap<>();
            Map<String, Map<String, String>> env = new LinkedHashMap<>();
            env.put("java -jar (no launcher)", null);
            env.put("bin/mesh-bridge, MESH_CDS=off", Map.of("MESH_CDS", "off"));
            env.put("bin/mesh-bridge, AppCDS", Map.of());
            env.put("bin/mesh-bridge, AppCDS + C1 + SerialGC",
                    Map.of("MESH_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
            env.keySet().forEach(k -> sides.put(k, new ArrayList<>()));
            for (int round = 0; round <= rounds; round++) {
                StringBuilder line = new StringBuilder(round == 0 ? "  warm-up:" : "  round " + round + ":");
                for (Map.Entry<String, Map<String, String>> side : env.entrySet()) {
                    double ms = bench.run(side.getKey(), side.getValue());
                    line.append(String.format(Locale.ROOT, " %.0f ms", ms));
                    if (round > 0) {
                        sides.get(side.getKey()).add(ms);
                    }
                }
                System.out.println(line + " (load " + CoreBench.loadAverage() + ")");
            }
            System.out.println();
            System.out.println("load average at end: " + CoreBench.loadAverage());
            System.out.println();
            System.out.println("| events list, whole process | median (min–max) | ÷ java -jar |");
            System.out.println("|---|---:|---:|");
            double base = Stats.of(sides.get("java -jar (no launcher)")).median();
            for (Map.Entry<String, List<Double>> side : sides.entrySet()) {
                Stats s = Stats.of(side.getValue());
                System.out.printf(Locale.ROOT, "| %s | %s | %.2f |%n", side.getKey(), s.format(Stats.Unit.MILLIS),
                        s.median() / base);
            }
            System.out.printf(Locale.ROOT, "| first run (training + command), once | %.0f ms | |%n", first);
            try (Stream<Path> files = Files.list(home.resolve("target"))) {
                for (Path archive : files.filter(p -> p.toString().endsWith(".jsa")).toList()) {
                    System.out.printf(Locale.ROOT, "%narchive: %s, %.1f MB%n", archive.getFileName(),
                            Files.size(archive) / 1e6);
                }
            }
            System.out.println(bench.problems.isEmpty() ? "no problems in any run"
                    : "!!!!! " + bench.problems.size() + " PROBLEM(S):\n  " + String.join("\n  ", bench.problems));
        } finally {
            try (Stream<Path> all = Files.walk(home)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void publish(Connection nc) throws Exception {
        JetStream js = nc.jetStream();
        for (int i = 0; i < EVENTS; i++) {
            String json = "{\"type\":\"tool.started\",\"node\":\"bench\",\"timestamp\":\"" + Instant.now()
                    + "\",\"data\":{\"tool\":\"t" + i + "\"}}";
            js.publish(NatsMessage.builder().subject("events.tool.started")
                    .headers(new Headers().put("Nats-Msg-Id", "launcher-bench-" + i))
                    .data(json.getBytes(StandardCharsets.UTF_8)).build());
        }
    }

    /** One whole process, in milliseconds; {@code env == null} runs {@code java -jar} directly. */
    private double run(String side, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (env == null) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-jar");
            command.add(jar.toString());
        } else {
            command.add(launcher.toString());
        }
        command.addAll(List.of("events", "list", "--server", url));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(home.resolve("out").toFile())
                .redirectError(home.resolve("err").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MESH_") || k.startsWith("NATS_")
                || k.startsWith("JAVA"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
        if (env != null) {
            builder.environment().putAll(env);
        }
        long start = System.nanoTime();
        Process p = builder.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            problems.add(side + ": did not end within 120 s");
        }
        double ms = (System.nanoTime() - start) / 1e6;
        long lines = Files.readAllLines(home.resolve("out")).size();
        if (p.exitValue() != 0 || lines != EVENTS) {
            problems.add(side + ": exit " + p.exitValue() + ", " + lines + " lines, stderr "
                    + Files.readString(home.resolve("err")).strip());
        }
        return ms;
    }
}
