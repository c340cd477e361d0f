package io.meshbridge.webhook;

import io.meshbridge.events.StandardWebhooks;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers webhook requests to one {@link WebhookTarget}, one attempt per {@link #send} call, over one
 * {@link HttpClient} of its own (so a slow endpoint holds only its own connections and threads).
 *
 * <p><b>The request</b>: {@code POST} of the body as given, {@code Content-Type} of the target's content mode,
 * {@value StandardWebhooks#ID_HEADER} and {@value StandardWebhooks#TIMESTAMP_HEADER} always, and
 * {@value StandardWebhooks#SIGNATURE_HEADER} when the target has secrets; {@code User-Agent:
 * mesh-bridge/<version>}; then the target's extra headers (which may replace the {@code User-Agent}). HTTP/2 is
 * offered on {@code https} (ALPN, else HTTP/1.1); plain {@code http} uses HTTP/1.1 (no {@code h2c} upgrade,
 * which some servers mishandle). Redirects are never followed ({@link HttpClient.Redirect#NEVER}): a 3xx is a
 * permanent outcome. Connect timeout, proxy and TLS context come from the target.
 *
 * <p><b>Timeouts</b>: the connection must be made within the target's connect timeout (the HttpClient's), and
 * the whole attempt, connection included, is limited to the target's read timeout: without a status by then it
 * is cancelled (a retry, "no response within ..."); with one, the status decides and the rest of the body is
 * given up. (No request timeout is set on the HttpClient: it costs its selector thread a wake-up per request,
 * and this deadline covers the body too, which the request timeout does not.) Of the response body at most
 * {@link #MAX_BODY_READ} bytes are read and the first {@link #KEPT_BODY} kept for the outcome's excerpt; a longer
 * body is cut off.
 *
 * <p><b>The future</b> never completes exceptionally: every failure is an {@link Outcome} (see there for the
 * classification). It completes on one of the client's {@code senders} threads
 * ({@code mesh-webhook-<host>-<n>-send-<m>}, each running one attempt's blocking send at a time; more attempts
 * wait in a queue), or on the calling thread when the request cannot be built. Dependent stages must not block:
 * hand slow work to another executor.
 *
 * <p><b>Threads</b>: the HttpClient's executor runs each task on the thread that hands it over, the sending thread
 * or the client's selector thread, which writes the requests, reads and parses the answers and wakes the sending
 * threads. The JDK's default, a pool thread per hand-over, cost nearly twice the CPU per request on two cores
 * ({@code BENCHMARKS.md}, "Webhooks"). Nothing of this class blocks on the selector thread: the response body is
 * read by a bounded, non-blocking subscriber. A TLS handshake's tasks run there too, so a new HTTPS connection
 * delays this client's other answers by its handshake.
 *
 * <p><b>Lifecycle</b>: thread-safe; {@link #send} may be called from any thread, concurrently. {@link #close()}
 * cancels the attempts in flight (they complete as {@link Outcome.Kind#RETRY} "client closed"), makes later
 * sends complete the same way at once, closes the HttpClient on a JDK that can (21 and later) and stops the
 * client's threads.
 */
public final class WebhookClient implements AutoCloseable {

    /** Response body bytes read at most; a longer body is cut off (and its connection closed). */
    public static final int MAX_BODY_READ = 64 * 1024;
    /** Response body bytes kept for {@link Outcome#excerpt()}: enough for its 256 characters in UTF-8. */
    public static final int KEPT_BODY = Outcome.MAX_EXCERPT * 4;
    /** The longest {@code Retry-After} delay taken, by default. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofHours(1);
    /** The {@link Outcome#reason()} of an attempt ended by {@link #close()}: it may not have been sent. */
    public static final String CLOSED = "client closed";
    /** Sending threads of a client made without saying how many: the webhook route's default in-flight bound. */
    public static final int DEFAULT_SENDERS = 16;
    /** The {@code User-Agent}: {@code mesh-bridge/<version of the jar>}, {@code mesh-bridge/dev} outside one. */
    public static final String USER_AGENT = "mesh-bridge/" + version();

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final String RETRY_ALL_METHODS = "jdk.httpclient.enableAllMethodRetry";

    static {
        // A POST sent on a pooled keep-alive connection that the server closed at that moment comes back as
        // "received no bytes": nothing reached the receiver. The JDK client sends such a request once more on a
        // new connection only for idempotent methods, unless this is set (before its first use, for the JVM);
        // without it the event waits for its first retry delay. Receivers deduplicate by webhook-id anyway.
        if (System.getProperty(RETRY_ALL_METHODS) == null) {
            System.setProperty(RETRY_ALL_METHODS, "true");
        }
    }

    private final WebhookTarget target;
    private final Duration maxRetryAfter;
    private final ThreadPoolExecutor senders;
    private final ScheduledThreadPoolExecutor deadlines;
    private final HttpClient http;
    private final Duration attemptLimit;
    private final Set<Runnable> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A client for {@code target}, {@code Retry-After} capped at {@link #DEFAULT_MAX_RETRY_AFTER}. */
    public WebhookClient(WebhookTarget target) throws IOException {
        this(target, DEFAULT_MAX_RETRY_AFTER, DEFAULT_SENDERS);
    }

    /**
     * A client for {@code target}.
     *
     * @param maxRetryAfter the longest {@code Retry-After} delay an outcome carries (a longer one is cut to it)
     * @param senders       threads sending at once: give the caller's bound on attempts in flight; more attempts
     *                      wait for a free thread
     * @throws IOException when the target's TLS files cannot be read or used (the message names the file)
     */
    public WebhookClient(WebhookTarget target, Duration maxRetryAfter, int senders) throws IOException {
        this.target = Objects.requireNonNull(target, "target");
        if (Objects.requireNonNull(maxRetryAfter, "maxRetryAfter").isNegative()) {
            throw new IllegalArgumentException("maxRetryAfter must not be negative, was " + maxRetryAfter);
        }
        this.maxRetryAfter = maxRetryAfter;
        this.attemptLimit = target.readTimeout();
        HttpClient.Builder b = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(target.connectTimeout())
                .version("https".equals(target.url().getScheme()) ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1);
        if (target.proxy() != null) {
            b.proxy(ProxySelector.of(target.proxy()));
        }
        if (target.tls().enabled()) {
            b.sslContext(target.tls().createContext());
        }
        String name = "mesh-webhook-" + target.url().getHost() + "-" + CLIENTS.incrementAndGet();
        if (senders < 1) {
            throw new IllegalArgumentException("senders must be at least 1, was " + senders);
        }
        // as many sending threads as attempts in flight: under load a thread that finishes an attempt takes
        // the next one from the queue itself, with no hand-off to another thread
        this.senders = new ThreadPoolExecutor(senders, senders, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads(name + "-send"));
        this.senders.allowCoreThreadTimeOut(true);
        this.deadlines = new ScheduledThreadPoolExecutor(1, threads(name + "-deadline"));
        this.deadlines.setRemoveOnCancelPolicy(true);
        this.http = b.executor(Runnable::run).build();
    }

    /** The target this client delivers to. */
    public WebhookTarget target() {
        return target;
    }

    /**
     * Makes one delivery attempt.
     *
     * @param id               the {@value StandardWebhooks#ID_HEADER}: the event's id, the same on every attempt
     * @param timestampSeconds the {@value StandardWebhooks#TIMESTAMP_HEADER}: this attempt's time, Unix seconds
     * @param body             the body, sent as is (not copied: do not change it until the future completes)
     * @return the outcome; never completes exceptionally
     */
    public CompletableFuture<Outcome> send(String id, long timestampSeconds, byte[] body) {
        long start = System.nanoTime();
        if (closed.get()) {
            return CompletableFuture.completedFuture(closedOutcome(start));
        }
        HttpRequest request;
        try {
            request = request(id, timestampSeconds, body);
        } catch (RuntimeException e) {
            // a request that cannot be built now cannot be built on a retry either
            return CompletableFuture.completedFuture(Outcome.ofFailure(e, since(start)));
        }
        AtomicReference<BoundedBody> responseBody = new AtomicReference<>();
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            BoundedBody b = new BoundedBody(KEPT_BODY, MAX_BODY_READ);
            responseBody.set(b);
            return b;
        };
        // The blocking send on a thread of our own, not sendAsync: sendAsync completes its future through
        // CompletableFuture's default executor, which starts a new thread per task when the common pool has
        // fewer than two threads (machines with one or two cores).
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        AtomicBoolean timedOut = new AtomicBoolean();
        Future<?> attempt;
        try {
            attempt = senders.submit(() -> {
                try {
                    result.complete(outcome(http.send(request, handler), since(start)));
                } catch (InterruptedException e) {
                    result.complete(timedOut.get() ? timedOutOutcome(start) : closedOutcome(start));
                } catch (IOException | RuntimeException e) {
                    result.complete(Outcome.ofFailure(e, since(start)));
                }
            });
        } catch (RejectedExecutionException closing) {
            return CompletableFuture.completedFuture(closedOutcome(start));
        }
        // a cancelled attempt may not have started its thread: complete its outcome here too (first one wins)
        Runnable cancel = () -> {
            attempt.cancel(true);
            result.complete(closedOutcome(start));
        };
        inFlight.add(cancel);
        ScheduledFuture<?> deadline = null;
        try {
            deadline = deadlines.schedule(() -> {
                BoundedBody started = responseBody.get();
                if (started != null) {
                    // the status has arrived and decides: only the rest of the body is given up
                    started.stop();
                } else {
                    timedOut.set(true);
                    attempt.cancel(true);
                    result.complete(timedOutOutcome(start));
                }
            }, attemptLimit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // close() ran since the check above: the check below cancels the attempt
        }
        if (closed.get()) {
            cancel.run();
        }
        ScheduledFuture<?> limit = deadline;
        return result.whenComplete((outcome, error) -> {
            if (limit != null) {
                limit.cancel(false);
            }
            inFlight.remove(cancel);
        });
    }

    /** Cancels the attempts in flight and releases the HttpClient and its threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Runnable cancel : inFlight) {
            cancel.run();
        }
        if (http instanceof AutoCloseable closeable) {
            // JDK 21 and later: waits for the (now cancelled) exchanges to end
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing to do: the client is being dropped
            }
        }
        deadlines.shutdownNow();
        senders.shutdown();
    }

    @Override
    public String toString() {
        return "WebhookClient[" + target.redactedUrl() + "]";
    }

    private HttpRequest request(String id, long timestampSeconds, byte[] body) {
        Objects.requireNonNull(body, "body");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("webhook id must not be empty");
        }
        HttpRequest.Builder r = HttpRequest.newBuilder(target.url())
                .header("Content-Type", target.contentMode().contentType())
                .header(StandardWebhooks.ID_HEADER, id)
                .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestampSeconds))
                .setHeader("User-Agent", USER_AGENT);
        if (target.signed()) {
            r.header(StandardWebhooks.SIGNATURE_HEADER,
                    StandardWebhooks.sign(id, timestampSeconds, body, target.secrets()));
        }
        for (Map.Entry<String, String> h : target.headers().entrySet()) {
            r.setHeader(h.getKey(), h.getValue());
        }
        return r.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private Outcome outcome(HttpResponse<byte[]> response, Duration latency) {
        int status = response.statusCode();
        Duration retryAfter = null;
        if (Outcome.kindOf(status) == Outcome.Kind.RETRY) {
            retryAfter = RetryAfter.parse(response.headers().firstValue(RetryAfter.HEADER).orElse(null),
                    Instant.now(), maxRetryAfter).orElse(null);
        }
        return Outcome.ofResponse(status, latency, retryAfter, response.body());
    }

    private Outcome timedOutOutcome(long start) {
        return new Outcome(Outcome.Kind.RETRY, 0, since(start), null, "", "no response within "
                + attemptLimit.toMillis() + " ms");
    }

    private static Outcome closedOutcome(long start) {
        return new Outcome(Outcome.Kind.RETRY, 0, since(start), null, "", CLOSED);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String version() {
        String v = WebhookClient.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }
}
