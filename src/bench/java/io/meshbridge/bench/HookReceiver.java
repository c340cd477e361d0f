package io.meshbridge.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook receiver of {@link WebhookBench}: a JDK {@link HttpServer} on a free loopback port with a fixed
 * pool of handler threads ({@code bench.receiver.threads}, default 32) and {@code TCP_NODELAY} on its sockets.
 * Every request is answered {@code 200} without a body; the receiver notes its receipt time
 * ({@link System#nanoTime()}) and, for latency rounds, the emit-to-receipt time from the body's
 * {@code "sent":<nanoTime>} member. It checks no signature (the tests do that) and keeps nothing else, so that
 * it costs as little as possible on either side.
 *
 * <p>Threading: {@link #arm} between rounds, from the benchmark's thread, while nothing is being posted; the
 * handler threads record into preallocated arrays through an atomic index.
 */
final class HookReceiver implements AutoCloseable {

    private static final byte[] SENT = "\"sent\":".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ExecutorService threads;
    private final int threadCount;
    private volatile long[] receipts = new long[0];
    private volatile double[] latencies = new double[0];
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger recorded = new AtomicInteger();

    HookReceiver() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // read when the server class loads
        threadCount = Integer.getInteger("bench.receiver.threads", 32);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        threads = Executors.newFixedThreadPool(threadCount);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL to post to. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/bench";
    }

    int threads() {
        return threadCount;
    }

    /** Forgets the last round and makes room for {@code expected} requests (more are counted, not kept). */
    void arm(int expected) {
        receipts = new long[expected];
        latencies = new double[expected];
        claimed.set(0);
        recorded.set(0);
    }

    /** Requests received (and recorded) since {@link #arm}. */
    int count() {
        return recorded.get();
    }

    /**
     * Waits until {@code n} requests arrived since {@link #arm}; throws when {@code within} passed first, or when
     * {@code sender} (the child JVM posting, or {@code null}) exited, with its log's tail.
     */
    void awaitCount(int n, java.time.Duration within, ChildJvm sender, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (count() < n) {
            boolean died = sender != null && !sender.alive();
            if (died || System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": the receiver got " + count() + " of " + n + " requests"
                        + (died ? "; the sender exited" : " within " + within)
                        + (sender == null ? "" : "; its log:\n" + sender.tail(20)));
            }
            Thread.sleep(5);
        }
    }

    /**
     * Requests beyond {@code n} since {@link #arm}, as text for a round's line ({@code ""} when none). Both clients
     * of the webhook benchmark send a POST once more on a new connection when this server closed its keep-alive
     * connection as the POST arrived ({@code jdk.httpclient.enableAllMethodRetry}, set by the product's client and
     * by {@link BareHttp}); when the server had read it, it counts it twice. At least once, as documented.
     */
    String resent(int n) {
        int extra = count() - n;
        return extra <= 0 ? "" : ", " + extra + " request(s) sent twice";
    }

    /**
     * Requests per second between the receipt of the first 10% of {@code n} requests and the last one: the
     * sender's start-up is not counted, as in {@link AckFloorMeter}.
     */
    double rate(int n) {
        long[] sorted = Arrays.copyOf(receipts, Math.min(n, count()));
        Arrays.sort(sorted);
        int from = n / 10;
        return (sorted.length - from) / ((sorted[sorted.length - 1] - sorted[from - 1]) / 1e9);
    }

    /** The emit-to-receipt times (ms) of the requests since {@link #arm}. */
    Stats latencies() {
        int n = Math.min(count(), latencies.length);
        List<Double> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(latencies[i]);
        }
        return Stats.of(values);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        long now = System.nanoTime();
        long[] r = receipts;
        double[] l = latencies;
        int i = claimed.getAndIncrement();
        if (i < r.length) {
            r[i] = now;
            long sent = sent(body);
            l[i] = sent < 0 ? Double.NaN : (now - sent) / 1e6;
        }
        recorded.incrementAndGet(); // after the writes: a reader that sees the count sees them
        ex.sendResponseHeaders(200, -1);
        ex.close();
    }

    /** The number after {@code "sent":}, or -1. */
    private static long sent(byte[] body) {
        outer:
        for (int i = 0; i + SENT.length < body.length; i++) {
            for (int k = 0; k < SENT.length; k++) {
                if (body[i + k] != SENT[k]) {
                    continue outer;
                }
            }
            long v = 0;
            for (int j = i + SENT.length; j < body.length && body[j] >= '0' && body[j] <= '9'; j++) {
                v = v * 10 + (body[j] - '0');
            }
            return v;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
