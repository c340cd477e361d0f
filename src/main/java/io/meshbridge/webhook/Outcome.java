package io.meshbridge.webhook;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * What one delivery attempt came to, and what to do next.
 *
 * <ul>
 *   <li>{@link Kind#SUCCESS}: any 2xx.</li>
 *   <li>{@link Kind#RETRY}: 408, 429 and 5xx (with the {@code Retry-After} delay when the response gave one), and
 *   every failure without a response: connection refused or reset, connect and request timeouts, TLS failures
 *   (an expired or not yet trusted certificate may be fixed on the other side), other I/O errors.</li>
 *   <li>{@link Kind#GONE}: 410, the endpoint says it is gone for good; the route pauses.</li>
 *   <li>{@link Kind#PERMANENT}: every other status (other 4xx, and 1xx/3xx: redirects are never followed, as a
 *   signed delivery must not go to a place the configuration did not name) and failures that a retry cannot
 *   change, such as an invalid request; the event goes to the dead letters.</li>
 * </ul>
 *
 * @param kind       what to do next
 * @param status     the HTTP status, {@code 0} when there was no response
 * @param latency    from sending the request to the end of its response (or the failure)
 * @param retryAfter the delay the response asked for ({@code Retry-After}, already capped), or {@code null}
 * @param excerpt    at most {@link #MAX_EXCERPT} printable characters of the response body (control characters
 *                   escaped as {@code \n}, {@code \t}, <code>&#92;uXXXX</code>), {@code ""} for none
 * @param reason     a short printable explanation ({@code "HTTP 503"}, {@code "connection refused"}), fit for a
 *                   log line, a dead letter or a pause event; it never contains a secret
 */
public record Outcome(Kind kind, int status, Duration latency, Duration retryAfter, String excerpt, String reason) {

    /** The longest {@link #excerpt()}, in characters. */
    public static final int MAX_EXCERPT = 256;

    /** What to do after an attempt. */
    public enum Kind {
        /** Delivered. */
        SUCCESS,
        /** Try again later. */
        RETRY,
        /** The endpoint is gone (410): pause the route. */
        GONE,
        /** Retrying cannot help: dead-letter the event. */
        PERMANENT
    }

    /** Checks the members. */
    public Outcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(excerpt, "excerpt");
        Objects.requireNonNull(reason, "reason");
        if (status != 0 && (status < 100 || status > 999)) {
            throw new IllegalArgumentException("status must be 0 or 100..999, was " + status);
        }
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
        if (excerpt.length() > MAX_EXCERPT) {
            throw new IllegalArgumentException("excerpt is longer than " + MAX_EXCERPT + " characters");
        }
    }

    /**
     * Classifies a response.
     *
     * @param status     the status code
     * @param latency    the attempt's duration
     * @param retryAfter the delay from {@link RetryAfter#parse}, or {@code null}; kept for RETRY outcomes only
     * @param body       the start of the response body (any length; only the excerpt is kept), or {@code null}
     */
    public static Outcome ofResponse(int status, Duration latency, Duration retryAfter, byte[] body) {
        Kind kind = kindOf(status);
        String reason = "HTTP " + status;
        if (status >= 300 && status < 400) {
            reason += ": redirects are not followed";
        } else if (status < 200) {
            reason += ": an informational status is not a final answer";
        }
        return new Outcome(kind, status, latency, kind == Kind.RETRY ? retryAfter : null, excerpt(body), reason);
    }

    /** Classifies a failure without a response (the exception of {@code HttpClient.sendAsync}, unwrapped here). */
    public static Outcome ofFailure(Throwable error, Duration latency) {
        Throwable e = unwrap(Objects.requireNonNull(error, "error"));
        Kind kind;
        String reason;
        if (e instanceof HttpConnectTimeoutException) {
            kind = Kind.RETRY;
            reason = "connect timed out";
        } else if (e instanceof HttpTimeoutException) {
            kind = Kind.RETRY;
            reason = "timed out waiting for the response";
        } else if (e instanceof ConnectException) {
            kind = Kind.RETRY;
            reason = "cannot connect" + detail(e);
        } else if (e instanceof SSLException) {
            kind = Kind.RETRY;
            reason = "TLS failed" + detail(e);
        } else if (e instanceof IOException) {
            kind = Kind.RETRY;
            reason = "I/O error " + e.getClass().getSimpleName() + detail(e);
        } else if (e instanceof CancellationException) {
            kind = Kind.RETRY;
            reason = "cancelled";
        } else {
            kind = Kind.PERMANENT;
            reason = "request failed: " + e.getClass().getSimpleName() + detail(e);
        }
        return new Outcome(kind, 0, latency, null, "", printable(reason, MAX_EXCERPT));
    }

    /** Whether the attempt delivered the event. */
    public boolean success() {
        return kind == Kind.SUCCESS;
    }

    /** Whether a later attempt may succeed. */
    public boolean retryable() {
        return kind == Kind.RETRY;
    }

    /** The kind of a status code. */
    static Kind kindOf(int status) {
        if (status >= 200 && status < 300) {
            return Kind.SUCCESS;
        }
        if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
            return Kind.RETRY;
        }
        return status == 410 ? Kind.GONE : Kind.PERMANENT;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** {@code ": <message>"} when the exception has one. */
    private static String detail(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "" : ": " + m;
    }

    /** At most {@link #MAX_EXCERPT} printable characters of a body's start, decoded as UTF-8 (lenient). */
    static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        // 4 bytes per character at most: decoding more than that cannot change the excerpt
        int n = Math.min(body.length, MAX_EXCERPT * 4);
        CharBuffer chars = CharBuffer.allocate(n);
        decoder.decode(ByteBuffer.wrap(body, 0, n), chars, n == body.length);
        chars.flip();
        return printable(chars, MAX_EXCERPT);
    }

    /**
     * {@code text} with control characters (C0, DEL, C1, the line and paragraph separators) escaped, cut to at
     * most {@code max} characters without splitting an escape or a surrogate pair.
     */
    static String printable(CharSequence text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String piece;
            if (c == '\n') {
                piece = "\\n";
            } else if (c == '\r') {
                piece = "\\r";
            } else if (c == '\t') {
                piece = "\\t";
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                piece = String.format("\\u%04x", (int) c);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                piece = text.subSequence(i, i + 2).toString();
                i++;
            } else if (Character.isSurrogate(c)) {
                piece = "\ufffd";
            } else {
                piece = String.valueOf(c);
            }
            if (out.length() + piece.length() > max) {
                break;
            }
            out.append(piece);
        }
        return out.toString();
    }
}
