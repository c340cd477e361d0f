package io.meshbridge.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP server receiving webhooks in tests: records every request, checks every signature with its own
 * implementation of the Standard Webhooks scheme (HMAC-SHA256 over {@code id.timestamp.body}, written here
 * independently of the product), and answers what the test's responder says. Stoppable and restartable on
 * the same port (a target that goes down and comes back).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Request(String path, String id, String timestamp, String signature, String contentType,
                          Map<String, List<String>> headers, byte[] body, long receivedNanos, int attempt,
                          boolean signatureValid) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What to answer: a status, optional headers and body. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public static Reply of(int status) {
            return new Reply(status, Map.of(), "");
        }
    }

    private final byte[] key;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> successesById = new ConcurrentHashMap<>();
    private volatile Function<Request, Reply> responder = r -> Reply.of(200);
    private final int port;
    private HttpServer server;
    private ExecutorService threads;

    /** A receiver on a free loopback port checking signatures with {@code secretKey} (null: unsigned). */
    public WebhookReceiver(byte[] secretKey) throws IOException {
        this.key = secretKey;
        listen(0);
        this.port = server.getAddress().getPort();
    }

    /** Starts again on the same port (waiting until the port is free after {@link #stop()}). */
    public synchronized void start() {
        org.awaitility.Awaitility.await("port " + port + " free again").atMost(java.time.Duration.ofSeconds(30))
                .ignoreExceptions().until(() -> {
                    listen(port);
                    return true;
                });
    }

    private void listen(int on) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 256);
        threads = Executors.newFixedThreadPool(32);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Stops listening: connections are refused until {@link #start()}. */
    public synchronized void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    public void respond(Function<Request, Reply> responder) {
        this.responder = responder;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** How many times each id was answered 2xx. */
    public Map<String, Integer> successes() {
        Map<String, Integer> out = new java.util.HashMap<>();
        successesById.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String id = ex.getRequestHeaders().getFirst("webhook-id");
        String ts = ex.getRequestHeaders().getFirst("webhook-timestamp");
        String sig = ex.getRequestHeaders().getFirst("webhook-signature");
        int attempt = attemptsById.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
        Request r = new Request(ex.getRequestURI().getPath(), id, ts, sig,
                ex.getRequestHeaders().getFirst("Content-Type"), Map.copyOf(ex.getRequestHeaders()), body,
                System.nanoTime(), attempt, key == null || verifies(id, ts, sig, body));
        requests.add(r);
        Reply reply;
        try {
            reply = responder.apply(r);
        } catch (RuntimeException e) {
            reply = new Reply(599, Map.of(), String.valueOf(e));
        }
        if (reply.status() / 100 == 2) {
            successesById.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
        }
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
        ex.close();
    }

    private boolean verifies(String id, String ts, String header, byte[] body) {
        if (id == null || ts == null || header == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = Base64.getEncoder().encode(mac.doFinal(body));
            for (String part : header.split(" ")) {
                if (part.startsWith("v1,") && MessageDigest.isEqual(expected,
                        part.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
