package io.meshbridge.ingest;

import io.meshbridge.events.EventCodec;
import io.meshbridge.events.WebhookSecret;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the HTTP ingest ({@code mesh.ingest.*} in the worker's configuration).
 *
 * @param auth        {@link Auth#TOKEN}: a bearer token is required; {@link Auth#NONE}: anyone may emit
 * @param tokens      the accepted tokens; with {@link Auth#TOKEN} and none, every request is refused (401)
 * @param maxBody     largest request body in bytes (larger: 413)
 * @param maxDepth    deepest nesting of objects and arrays in a body, the body itself counting as 1
 *                    (deeper: 400); at most {@link EventCodec#MAX_DEPTH} - 1, as the event's envelope adds one
 * @param ackTimeout  how long a request waits for the stream's acknowledgement before it is answered 503
 * @param retryAfter  the {@code Retry-After} of a 503 (whole seconds, at least 1)
 * @param maxInFlight most events awaiting their acknowledgement at once, over all requests (more: 503)
 * @param rateLimit   most requests per second per token (per client address with {@link Auth#NONE}), with a
 *                    burst of as many; 0 for no limit (more: 429)
 * @param signatureSecrets when not empty, every request must also carry a valid Standard Webhooks signature by
 *                    one of these secrets ({@code webhook-id}, {@code webhook-timestamp} within 5 minutes,
 *                    {@code webhook-signature}), else 401; never printed
 */
public record IngestConfig(Auth auth, IngestTokens tokens, int maxBody, int maxDepth, Duration ackTimeout,
                           Duration retryAfter, int maxInFlight, int rateLimit,
                           List<WebhookSecret> signatureSecrets) {

    /** Whether requests must present a token. */
    public enum Auth {
        /** {@code Authorization: Bearer <token>} required. */
        TOKEN,
        /** No authentication: explicitly opened. */
        NONE
    }

    /** The default body limit, 256 KiB. */
    public static final int DEFAULT_MAX_BODY = 256 * 1024;

    /** Validates every member. */
    public IngestConfig {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tokens, "tokens");
        if (maxBody < 2 || maxBody > EventCodec.DEFAULT_MAX_PAYLOAD * 64) {
            throw new IllegalArgumentException("maxBody must be 2 to 64 MiB, was " + maxBody);
        }
        if (maxDepth < 1 || maxDepth > EventCodec.MAX_DEPTH - 1) {
            throw new IllegalArgumentException("maxDepth must be 1 to " + (EventCodec.MAX_DEPTH - 1) + ", was "
                    + maxDepth);
        }
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (ackTimeout.toMillis() < 100 || ackTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("ackTimeout must be 100ms to 1m, was " + ackTimeout);
        }
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.getSeconds() < 1) {
            throw new IllegalArgumentException("retryAfter must be at least 1s, was " + retryAfter);
        }
        if (maxInFlight < 1 || maxInFlight > 100_000) {
            throw new IllegalArgumentException("maxInFlight must be 1 to 100000, was " + maxInFlight);
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("rateLimit must be 0 (no limit) or more, was " + rateLimit);
        }
        signatureSecrets = List.copyOf(signatureSecrets == null ? List.of() : signatureSecrets);
    }

    /** The defaults with {@code auth} and {@code tokens}. */
    public static IngestConfig defaults(Auth auth, IngestTokens tokens) {
        return new IngestConfig(auth, tokens, DEFAULT_MAX_BODY, 32, Duration.ofSeconds(3), Duration.ofSeconds(2),
                1_000, 0, List.of());
    }

    /** A copy with other body limits. */
    public IngestConfig withLimits(int body, int depth) {
        return new IngestConfig(auth, tokens, body, depth, ackTimeout, retryAfter, maxInFlight, rateLimit,
                signatureSecrets);
    }

    /** A copy with another acknowledgement budget and in-flight window. */
    public IngestConfig withAck(Duration timeout, int inFlight) {
        return new IngestConfig(auth, tokens, maxBody, maxDepth, timeout, retryAfter, inFlight, rateLimit,
                signatureSecrets);
    }

    /** A copy with another rate limit. */
    public IngestConfig withRateLimit(int perSecond) {
        return new IngestConfig(auth, tokens, maxBody, maxDepth, ackTimeout, retryAfter, maxInFlight, perSecond,
                signatureSecrets);
    }

    /** A copy that requires requests signed by one of {@code secrets} (empty: no signature required). */
    public IngestConfig withSignatureSecrets(List<WebhookSecret> secrets) {
        return new IngestConfig(auth, tokens, maxBody, maxDepth, ackTimeout, retryAfter, maxInFlight, rateLimit,
                secrets);
    }

    @Override
    public String toString() {
        return "IngestConfig[auth=" + auth + ", tokens=" + tokens + ", maxBody=" + maxBody + ", maxDepth=" + maxDepth
                + ", ackTimeout=" + ackTimeout + ", retryAfter=" + retryAfter + ", maxInFlight=" + maxInFlight
                + ", rateLimit=" + rateLimit + ", signatureSecrets=" + signatureSecrets.size() + "]";
    }
}
