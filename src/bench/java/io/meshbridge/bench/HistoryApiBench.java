package io.meshbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Paging through stored history over the worker's HTTP API ({@code GET /api/history?limit=L&cursor=...}, bearer
 * token, the worker jar in its own JVM with its defaults) next to the strongest plain jnats ways of reading the
 * same range in the benchmark's JVM, in one run, alternating rounds:
 * <ul>
 *   <li>{@code ordered-push}: an ordered push consumer ({@code js.subscribe(..., ordered)}), {@code nextMessage}
 *       until the range is read;</li>
 *   <li>{@code iterate}: the simplified API's ordered consumer, {@code iterate()} (pull requests kept ahead);</li>
 *   <li>{@code fetch:N}: the same ordered consumer fetching batches of N ({@code fetch(maxMessages N)}).</li>
 * </ul>
 * The stream {@code MESH_EVENTS} holds {@code bench.n} (100,000) events of about 150 bytes; each round reads
 * all of them, from the first: the product in pages of {@code bench.history.limit} (1,000), parsing each page
 * as JSON and following its {@code next} to the end, the raw ways counting messages. Every round must read
 * exactly {@code n} events (the product in exactly ⌈n / limit⌉ pages); anything else is a problem. Also printed:
 * the worker's CPU per 1,000 events (from {@code /proc}). Rounds: {@code bench.rounds} (5) after a warm-up.
 */
public final class HistoryApiBench {

    static final String STREAM = "MESH_EVENTS";
    static final String TOKEN = "bench-api-0123456789abcdef0123";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final int n;
    private final int limit;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> problems = new ArrayList<>();

    private HistoryApiBench(Connection connection, int n, int limit, int port) {
        this.connection = connection;
        this.n = n;
        this.limit = limit;
        this.port = port;
    }

    /** One way of reading the range; returns the events it read. */
    private interface Way {
        long read() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        CoreBench.quietLogging();
        int n = Integer.getInteger("bench.n", 100_000);
        int limit = Integer.getInteger("bench.history.limit", 1_000);
        int rounds = Rounds.count();
        List<String> raws = List.of(System.getProperty("bench.history.raw", "ordered-push,iterate,fetch:1000")
                .split(","));
        Path jar = WorkerDrains.jar();
        Path dir = Files.createTempDirectory("history-api-bench-");
        Table table = new Table();
        List<String> problems;
        try (NatsServer server = NatsServer.startDefault(); Connection connection = server.connect()) {
            CoreBench.printEnvironment(server);
            StreamFill.fill(connection, STREAM, n);
            Files.createDirectories(dir.resolve("routes"));
            Files.writeString(dir.resolve("routes/none.yaml"), "[]\n");
            Map<String, String> env = Map.of("MESH_NATS_URL", server.url(), "MESH_NATS_EMBEDDED", "never",
                    "MESH_HTTP_PORT", "0", "MESH_NODE_NAME", "bench", "MESH_API_TOKENS", TOKEN);
            try (ChildJvm worker = ChildJvm.worker(jar, dir, env, WorkerDrains.workerJvmArgs())) {
                int port = IngestBench.awaitPort(worker, dir.resolve("worker.log"));
                System.out.printf(Locale.ROOT, "worker:  %s, HTTP port %d, default options%nstream:  %s, %,d stored"
                        + " events of %.0f bytes on average, no limits%nread:    all of them from the first,"
                        + " product GET /api/history?limit=%d following next; raw %s%n%n", jar.getFileName(), port,
                        STREAM, n, StreamFill.meanPayload(connection), limit, raws);
                HistoryApiBench bench = new HistoryApiBench(connection, n, limit, port);
                bench.rounds(worker, raws, rounds, table);
                worker.terminate(60);
                problems = bench.problems;
            }
        } finally {
            OutputFiles.delete(dir);
        }
        System.out.println();
        System.out.println("load average at end: " + CoreBench.loadAverage());
        table.print();
        System.out.println(problems.isEmpty() ? "no problems in any round: every read got exactly every event"
                : "!!!!! " + problems.size() + " PROBLEM(S):\n  " + String.join("\n  ", problems));
    }

    private void rounds(ChildJvm worker, List<String> raws, int rounds, Table table) throws Exception {
        List<Double> product = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<List<Double>> raw = new ArrayList<>();
        raws.forEach(r -> raw.add(new ArrayList<>()));
        for (int round = 0; round <= rounds; round++) {
            StringBuilder line = new StringBuilder(round == 0 ? "  warm-up:" : "  round " + round + ":");
            long cpuBefore = worker.cpuMillis();
            double rate = measure("product", this::pages);
            double cpuPerThousand = (worker.cpuMillis() - cpuBefore) * 1000.0 / n;
            line.append(String.format(Locale.ROOT, " product %s/s (worker CPU %.1f ms per 1,000)",
                    Stats.Unit.RATE.format(rate), cpuPerThousand));
            for (int k = 0; k < raws.size(); k++) {
                String way = raws.get(k);
                double r = measure(way, rawWay(way));
                line.append(", ").append(way).append(' ').append(Stats.Unit.RATE.format(r)).append("/s");
                if (round > 0) {
                    raw.get(k).add(r);
                }
            }
            if (round > 0) {
                product.add(rate);
                cpu.add(cpuPerThousand);
            }
            System.out.println(line.append(" (load ").append(CoreBench.loadAverage()).append(')'));
        }
        int strongest = 0;
        for (int k = 0; k < raws.size(); k++) {
            table.rate(String.format(Locale.ROOT, "history over HTTP, limit %,d, against raw %s (events/s)", limit,
                    raws.get(k)), Stats.of(product), Stats.of(raw.get(k)), 0);
            if (Stats.of(raw.get(k)).median() > Stats.of(raw.get(strongest)).median()) {
                strongest = k;
            }
        }
        table.note(String.format(Locale.ROOT, "strongest raw way: %s; worker CPU per 1,000 events paged: %s",
                raws.get(strongest), Stats.of(cpu).format(Stats.Unit.MILLIS)));
    }

    /** Runs {@code way} once; returns its events per second, noting a problem when it did not read exactly n. */
    private double measure(String name, Way way) throws Exception {
        long start = System.nanoTime();
        long read = way.read();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (read != n) {
            problems.add(String.format(Locale.ROOT, "%s read %,d events, not %,d", name, read, n));
        }
        return read / seconds;
    }

    /** The product: every page of GET /api/history from the first, following next; the events counted. */
    private long pages() throws Exception {
        long events = 0;
        int pages = 0;
        String cursor = null;
        do {
            String path = "/api/history?limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": "
                        + new String(r.body(), StandardCharsets.UTF_8));
            }
            JsonNode page = JSON.readTree(r.body());
            events += page.get("events").size();
            if (!page.get("undecodable").isEmpty()) {
                problems.add("page " + pages + " lists undecodable messages: " + page.get("undecodable"));
            }
            pages++;
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        int expected = (n + limit - 1) / limit;
        if (pages != expected) {
            problems.add(String.format(Locale.ROOT, "the product read %d pages, not %d", pages, expected));
        }
        return events;
    }

    private Way rawWay(String way) {
        if (way.equals("ordered-push")) {
            return this::orderedPush;
        }
        if (way.equals("iterate")) {
            return this::iterate;
        }
        if (way.startsWith("fetch:")) {
            int batch = Integer.parseInt(way.substring("fetch:".length()));
            return () -> fetch(batch);
        }
        throw new IllegalArgumentException("bench.history.raw: unknown way " + way
                + " (ordered-push, iterate, fetch:N)");
    }

    private long orderedPush() throws Exception {
        JetStreamSubscription sub = connection.jetStream().subscribe("events.>",
                PushSubscribeOptions.builder().stream(STREAM).ordered(true).build());
        long read = 0;
        try {
            while (read < n && sub.nextMessage(WAIT) != null) {
                read++;
            }
        } finally {
            sub.unsubscribe();
        }
        return read;
    }

    private OrderedConsumerContext ordered() throws Exception {
        return connection.getStreamContext(STREAM).createOrderedConsumer(
                new OrderedConsumerConfiguration().filterSubject("events.>"));
    }

    private long iterate() throws Exception {
        long read = 0;
        try (IterableConsumer consumer = ordered().iterate()) {
            while (read < n && consumer.nextMessage(WAIT) != null) {
                read++;
            }
        }
        return read;
    }

    private long fetch(int batch) throws Exception {
        OrderedConsumerContext consumer = ordered();
        long read = 0;
        while (read < n) {
            long before = read;
            try (FetchConsumer fc = consumer.fetch(FetchConsumeOptions.builder().maxMessages(batch)
                    .expiresIn(WAIT.toMillis()).build())) {
                for (Message m = fc.nextMessage(); m != null && read < n; m = fc.nextMessage()) {
                    read++;
                }
            }
            if (read == before) {
                break; // nothing came within the wait
            }
        }
        return read;
    }
}
