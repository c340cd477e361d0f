package io.meshbridge.bench;

import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.slf4j.LoggerFactory;

/**
 * Event bus core against raw jnats, on a private nats-server: core emit, acknowledged asynchronous emit and
 * history. Every figure comes from alternating rounds (product, raw, product, raw, ... after one warm-up
 * round) and is printed as the median over rounds with its min–max. Sizes and parts: see
 * {@link BenchConfig}.
 *
 * <p>Run: {@code mvn -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.meshbridge.bench.CoreBench} (add {@code -Dbench.quick=true}
 * for a smoke run); the nats-server binary comes from {@code NATS_SERVER_BIN}, else the PATH.
 */
public final class CoreBench {

    private static final int[] WINDOWS = {1_000, 5_000};

    private CoreBench() {
    }

    @SuppressWarnings("try") // Connection.close() may throw InterruptedException: main throws anyway
    public static void main(String[] args) throws Exception {
        quietLogging();
        BenchConfig config = BenchConfig.fromSystemProperties();
        Table table = new Table();
        boolean answersAgree = true;
        try (NatsServer server = NatsServer.startDefault(); Connection connection = server.connect()) {
            printEnvironment(server);
            System.out.println("sizes:   " + config);
            if (config.runs("core")) {
                coreEmit(connection, config, table);
            }
            if (config.runs("async")) {
                asyncEmit(connection, config, table);
            }
            if (config.runs("history")) {
                answersAgree = history(connection, config, table);
            }
        }
        System.out.println();
        System.out.println("load average at end: " + loadAverage());
        table.print();
        if (!answersAgree) {
            System.out.println();
            System.out.println("!!!!! HISTORY ANSWERS DIFFER FROM THE REFERENCE ALGORITHM (see above) !!!!!");
        }
    }

    private static void coreEmit(Connection connection, BenchConfig config, Table table) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        if (!jsm.getStreamNames().isEmpty()) {
            throw new IllegalStateException("core emit needs a server without streams: " + jsm.getStreamNames());
        }
        CoreEmitBench core = new CoreEmitBench(connection, config.coreN());
        System.out.printf(Locale.ROOT, "%n1. core emit, %,d events per round, %.0f bytes each on average,"
                + " no stream on the server (events/s)%n", config.coreN(), core.meanSize());
        Rounds.Result<Double> r = Rounds.alternate("core emit", config.rounds(), core::product, core::baseline);
        table.rate("core emit (events/s)", Stats.of(r.product()), Stats.of(r.baseline()), 0.80);
    }

    private static void asyncEmit(Connection connection, BenchConfig config, Table table) throws Exception {
        System.out.printf(Locale.ROOT, "%n2. acknowledged async emit, %,d events per round into %s"
                + " (file storage, no limits), purged before each round (events/s)%n", config.asyncN(),
                AsyncEmitBench.config(1).streamName());
        for (int window : WINDOWS) {
            AsyncEmitBench async = new AsyncEmitBench(connection, config.asyncN(), window);
            Rounds.Result<Double> r = Rounds.alternate("W=" + window, config.rounds(), async::product,
                    async::baseline);
            table.rate(String.format(Locale.ROOT, "async emit, %,d in flight (events/s)", window),
                    Stats.of(r.product()), Stats.of(r.baseline()), 0.70);
        }
    }

    /** Returns whether the product's answers equal the reference algorithm's. */
    private static boolean history(Connection connection, BenchConfig config, Table table) throws Exception {
        System.out.printf(Locale.ROOT, "%n3. history: last %d of %s among %,d events over 10 subjects"
                + " (stream with the reference defaults), and %s; per round %d product queries and %d"
                + " reference queries of each%n", HistoryBench.LIMIT, HistoryBench.MATCH, config.historyEvents(),
                HistoryBench.NO_MATCH, config.queries(), config.refQueries());
        HistoryBench history = new HistoryBench(connection);
        boolean agree = true;
        for (HistoryBench.Mix mix : List.of(HistoryBench.skewed(1), HistoryBench.uniform(2),
                HistoryBench.oldBurst(3, config.historyEvents()))) {
            long matches = history.fill(mix, config.historyEvents());
            System.out.printf(Locale.ROOT, " %s: %,d matching events%n", mix.name(), matches);
            agree &= history.check();
            Rounds.Result<HistoryBench.Latencies> r = Rounds.alternate("history", config.rounds(),
                    () -> history.product(config.queries()), () -> history.baseline(config.refQueries()));
            latencyRow(table, mix.name() + ": last 100, p50", r, l -> l.match().percentile(50), 5);
            latencyRow(table, mix.name() + ": last 100, p99", r, l -> l.match().percentile(99), 20);
            latencyRow(table, mix.name() + ": no match, p50", r, l -> l.none().percentile(50), 2);
            latencyRow(table, mix.name() + ": no match, p99", r, l -> l.none().percentile(99), 2);
        }
        if (history.mismatches() > 0) {
            System.out.println("!!! " + history.mismatches() + " measured product answers differed from the reference");
            agree = false;
        }
        table.note("History: the raw column is the reference algorithm in its correct form (ordered consumer"
                + " from the start, last 100 kept, stops after 500 ms idle).");
        return agree;
    }

    private static void latencyRow(Table table, String what, Rounds.Result<HistoryBench.Latencies> r,
                                   ToDoubleFunction<HistoryBench.Latencies> pick, double targetMillis) {
        table.latency(what, stats(r.product(), pick), stats(r.baseline(), pick), targetMillis);
    }

    private static Stats stats(List<HistoryBench.Latencies> rounds, ToDoubleFunction<HistoryBench.Latencies> pick) {
        List<Double> values = new ArrayList<>();
        rounds.forEach(l -> values.add(pick.applyAsDouble(l)));
        return Stats.of(values);
    }

    /** Prints what a run's figures depend on: date, server, client, JVM, sources, machine and its load. */
    static void printEnvironment(NatsServer server) throws IOException {
        System.out.println("date:    " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.println("server:  nats-server " + server.version() + " (private, " + server.url() + ")");
        System.out.println("client:  jnats " + Nats.CLIENT_VERSION + ", " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + ", max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        System.out.println("source:  " + sourceVersion());
        System.out.println("machine: " + machine());
        System.out.println("load average at start: " + loadAverage());
    }

    private static String machine() throws IOException {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown CPU");
        return "nproc " + Runtime.getRuntime().availableProcessors() + ", " + model + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    /** The commit measured, and whether the library's sources differ from it. */
    private static String sourceVersion() {
        String commit = git("rev-parse", "--short", "HEAD");
        if (commit.isEmpty()) {
            return "unknown (not a git work tree)";
        }
        String changed = git("status", "--porcelain", "--", "src/main", "pom.xml");
        return "commit " + commit + (changed.isEmpty() ? ", library unchanged"
                : ", with uncommitted changes to: " + changed.lines().map(l -> l.substring(3))
                        .collect(java.util.stream.Collectors.joining(" ")));
    }

    private static String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out.stripTrailing() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Library debug lines (one per emit) would measure the console, not the bus. */
    static void quietLogging() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }
}
