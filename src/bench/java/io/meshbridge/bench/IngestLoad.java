package io.meshbridge.bench;

import java.io.IOException;
import java.net.URI;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load on the worker's {@code POST /ingest/<topic>}: closed loop at a fixed concurrency (wrk, and a Java client
 * with as many threads), and open loop at a fixed rate (Java), each request the same JSON body with a bearer
 * token. Latencies of the open loop count from the time a request was due, not from when it was sent, so a
 * stall of the server shows (no coordinated omission).
 */
final class IngestLoad {

    /** A closed-loop result: answered 2xx, answered otherwise or failed, and the 2xx rate. */
    record Closed(long ok, long other, double rate) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f/s (%,d 2xx, %d other)", rate, ok, other);
        }
    }

    /** An open-loop result: per-request latencies in ms from the due time, and answers other than 2xx. */
    record Open(double p50, double p99, long ok, long other) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms (%,d 2xx, %d other)", p50, p99, ok, other);
        }
    }

    private static final Pattern WRK_REQUESTS = Pattern.compile("(\\d+) requests in ([0-9.]+)(ms|s|m)");
    private static final Pattern WRK_NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern WRK_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final URI uri;
    private final String token;
    private final String body;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    IngestLoad(int port, String topic, String token, String body) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/ingest/" + topic);
        this.token = token;
        this.body = body;
    }

    /** Whether wrk is on the PATH. */
    static boolean wrkAvailable() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() <= 1;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** wrk with {@code connections} connections on 2 threads for {@code seconds}; its own counts. */
    Closed wrk(int connections, int seconds, Path dir) throws Exception {
        Path script = dir.resolve("ingest.lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '" + body + "'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n", StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "-s", script.toString(), uri.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        Matcher m = WRK_REQUESTS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("cannot read wrk's output:\n" + out);
        }
        long requests = Long.parseLong(m.group(1));
        double secs = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
            case "ms" -> 0.001;
            case "m" -> 60;
            default -> 1;
        };
        Matcher n = WRK_NON2XX.matcher(out);
        long non2xx = n.find() ? Long.parseLong(n.group(1)) : 0;
        Matcher e = WRK_ERRORS.matcher(out);
        long errors = 0;
        if (e.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(e.group(i));
            }
        }
        return new Closed(requests - non2xx, non2xx + errors, (requests - non2xx) / secs);
    }

    /** {@code threads} Java clients, each sending the next request when the last was answered. */
    Closed closedLoop(int threads, int seconds) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        HttpRequest request = request();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            all.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    try {
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        (status / 100 == 2 ? ok : other).incrementAndGet();
                    } catch (IOException e) {
                        other.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Closed(ok.get(), other.get(), ok.get() / elapsed);
    }

    /** Requests due every 1/{@code rate} s for {@code seconds}, sent asynchronously at their due time. */
    Open openLoop(int rate, int seconds) throws Exception {
        int n = rate * seconds;
        double[] latencies = new double[n];
        AtomicLong other = new AtomicLong();
        HttpRequest request = request();
        CompletableFuture<?>[] answers = new CompletableFuture<?>[n];
        FixedRate.run(rate, n, Duration.ofMillis(10), (k, due) ->
            answers[k] = client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
                latencies[k] = (System.nanoTime() - due) / 1e6;
                if (e != null || r.statusCode() / 100 != 2) {
                    other.incrementAndGet();
                }
                return null;
            }));
        CompletableFuture.allOf(answers).get();
        Stats s = new Stats(latencies);
        return new Open(s.percentile(50), s.percentile(99), n - other.get(), other.get());
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
