package io.meshbridge.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The baseline of {@link WebhookBench}: a bare JDK {@link HttpClient} (HTTP/1.1, as the product uses for
 * {@code http:} URLs) posting bodies with {@code Content-Type: application/json} and nothing else: no signature,
 * no retries, no timeouts beyond the client's defaults. Its executor runs each task in place
 * ({@code Runnable::run}): the strongest plain way found, about half the CPU per request of the JDK's default
 * pool on two cores, where every answer read by the selector thread was handed to a pool thread.
 *
 * <p>Two ways of keeping {@code inFlight} requests outstanding: {@link #postLoops} ({@code inFlight} threads each
 * looping over the blocking {@code send}) and {@link #postAsync} ({@code sendAsync}, a semaphore holding it to
 * {@code inFlight}). On a machine with 2 cores the second is the weaker one: the common fork-join pool then has a
 * parallelism of 1, and {@code CompletableFuture} runs the dependent stage that {@code sendAsync} adds to every
 * response on a new thread per task, so the loops are the default baseline.
 *
 * <p>For the throughput rounds it runs as its own JVM ({@link #main}), a new one per round like the product's
 * worker, so that both sides pay the same JIT warm-up for the JDK's HTTP client; the latency rounds use an
 * instance in the benchmark's JVM.
 *
 * <p>Threading: one client, shared by the rounds; each method blocks until every body was answered.
 */
final class BareHttp {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Runnable::run).build();
    private final URI uri;
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    BareHttp(String url) {
        this.uri = URI.create(url);
    }

    /**
     * {@code url=... bodies=FILE inFlight=16 way=loops|async [rounds=K]}: posts every body of {@code FILE}
     * (written by {@link #writeBodies}) and prints its CPU, {@code failed=<n>} and the first failure. With
     * {@code rounds}, stays up for K postings, each started by a file {@code go-<k>} in the working directory
     * and answered in a file {@code done-<k>}, so that its JIT is warm after the first.
     */
    public static void main(String[] args) throws Exception {
        // as the product's client does (WebhookClient): a POST on a keep-alive connection the receiver closed at
        // that moment goes out once more on a new one, instead of failing the request
        System.setProperty("jdk.httpclient.enableAllMethodRetry", "true");
        BenchArgs a = BenchArgs.parse(args);
        List<byte[]> bodies = readBodies(Path.of(a.required("bodies")));
        BareHttp bare = new BareHttp(a.required("url"));
        int inFlight = a.integer("inFlight", 16);
        boolean async = a.text("way", "loops").equals("async");
        int rounds = a.integer("rounds", 0);
        if (rounds == 0) {
            System.out.print(bare.post(bodies, inFlight, async));
            return;
        }
        // warm rounds: round k starts when the file go-k appears in the working directory; its result goes to done-k
        for (int k = 1; k <= rounds; k++) {
            Path go = Path.of("go-" + k);
            while (!Files.exists(go)) {
                Thread.sleep(2);
            }
            String result = bare.post(bodies, inFlight, async);
            Path tmp = Path.of("done-" + k + ".tmp");
            Files.writeString(tmp, result);
            Files.move(tmp, Path.of("done-" + k), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Posts every body once; its CPU per 1,000 bodies and {@code failed=<n>} (with the first failure), as text. */
    private String post(List<byte[]> bodies, int inFlight, boolean async) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        int failed = async ? postAsync(bodies, inFlight) : postLoops(bodies, inFlight);
        double cpuPerThousand = (os.getProcessCpuTime() - cpuBefore) / 1e6 / bodies.size() * 1000;
        return String.format(java.util.Locale.ROOT, "cpu=%.1f ms/1000 (the whole posting, JIT included)%n", cpuPerThousand)
                + "failed=" + failed + (failed > 0 ? " first: " + takeFirstFailure() : "") + "\n";
    }

    /** Writes {@code bodies} to {@code file}, each with its length first. */
    static void writeBodies(Path file, List<byte[]> bodies) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); DataOutputStream data = new DataOutputStream(
                new java.io.BufferedOutputStream(out))) {
            data.writeInt(bodies.size());
            for (byte[] b : bodies) {
                data.writeInt(b.length);
                data.write(b);
            }
        }
    }

    private static List<byte[]> readBodies(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(
                new java.io.BufferedInputStream(in))) {
            int n = data.readInt();
            List<byte[]> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[data.readInt()];
                data.readFully(b);
                out.add(b);
            }
            return out;
        }
    }

    /** Posts every body with {@code inFlight} threads looping over {@code send}; returns how many were not 2xx. */
    int postLoops(List<byte[]> bodies, int inFlight) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < inFlight; t++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    try {
                        int status = http.send(request(bodies.get(i)), HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        if (status / 100 != 2) {
                            failed(failed, "HTTP " + status);
                        }
                    } catch (Exception e) {
                        failed(failed, e.toString());
                    }
                }
            }, "bare-http-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        return failed.get();
    }

    /** Posts every body with {@code sendAsync}, at most {@code inFlight} outstanding; returns how many were not 2xx. */
    int postAsync(List<byte[]> bodies, int inFlight) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(bodies.size());
        AtomicInteger failed = new AtomicInteger();
        for (byte[] body : bodies) {
            permits.acquire();
            send(body).whenComplete((response, error) -> {
                if (error != null || response.statusCode() / 100 != 2) {
                    failed(failed, error != null ? error.toString() : "HTTP " + response.statusCode());
                }
                permits.release();
                done.countDown();
            });
        }
        done.await();
        return failed.get();
    }

    private void failed(AtomicInteger failed, String what) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, what);
    }

    /** The first failure seen since the last call, or null; forgets it. */
    String takeFirstFailure() {
        return firstFailure.getAndSet(null);
    }

    /** One {@code sendAsync} of {@code body}, without waiting. */
    CompletableFuture<HttpResponse<Void>> send(byte[] body) {
        return http.sendAsync(request(body), HttpResponse.BodyHandlers.discarding());
    }

    private HttpRequest request(byte[] body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }
}
