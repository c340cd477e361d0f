package io.meshbridge.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies HTTP messages by the <a href="https://www.standardwebhooks.com">Standard Webhooks</a>
 * scheme, symmetric signatures ({@code v1}) only.
 *
 * <p>A message carries three headers: {@value #ID_HEADER} (a unique message id, the same on every retry),
 * {@value #TIMESTAMP_HEADER} (the attempt's time in Unix seconds) and {@value #SIGNATURE_HEADER}: one or more
 * space-separated {@code v1,<base64 HMAC-SHA256>} entries, one per secret (several during a key rotation), each
 * over the UTF-8 bytes of {@code <id>.<timestamp>.} followed by the body bytes exactly as sent. The key is the
 * decoded bytes of a {@code whsec_<base64>} secret ({@link WebhookSecret}).
 *
 * <p>{@link #verify} accepts a message when any {@code v1} entry matches any of the given secrets (compared in
 * constant time, {@link MessageDigest#isEqual}) and its timestamp is within the tolerance of {@code now}
 * (default {@link #DEFAULT_TOLERANCE}, 5 minutes, as the specification recommends against replays); entries
 * of other versions ({@code v1a} and later) are skipped. It never throws for bad input from the wire: it
 * answers with a {@link Verification} saying what is wrong.
 *
 * <p>Stateless and thread-safe.
 */
public final class StandardWebhooks {

    /** The header of the message id. */
    public static final String ID_HEADER = "webhook-id";
    /** The header of the timestamp, Unix seconds. */
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    /** The header of the signatures. */
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** How far a timestamp may be from now, either way, by default. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String HMAC = "HmacSHA256";
    /** One Mac per thread, initialised with the key of each use (a Mac is not thread-safe). */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(HMAC);
        } catch (GeneralSecurityException e) {
            // every Java SE runtime has HmacSHA256
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getClass().getName(), e);
        }
    });
    private static final String VERSION = "v1";
    /** Length of a {@code v1} signature: HMAC-SHA256. */
    private static final int MAC_LENGTH = 32;

    /** The outcome of {@link #verify}: valid, or why not. */
    public enum Verification {
        /** A signature matched and the timestamp is within the tolerance. */
        VALID("valid"),
        /** The id, timestamp or signature header is absent or blank. */
        MISSING_HEADER("a webhook-id, webhook-timestamp or webhook-signature header is missing"),
        /** The timestamp is not a number of Unix seconds. */
        INVALID_TIMESTAMP("webhook-timestamp is not a number of Unix seconds"),
        /** The timestamp is older than the tolerance allows. */
        TIMESTAMP_TOO_OLD("webhook-timestamp is too old"),
        /** The timestamp is further in the future than the tolerance allows. */
        TIMESTAMP_TOO_NEW("webhook-timestamp is too far in the future"),
        /** The signature header holds no {@code v1} entry. */
        NO_V1_SIGNATURE("webhook-signature holds no v1 signature"),
        /** No {@code v1} entry matches any of the secrets. */
        SIGNATURE_MISMATCH("no signature matches");

        private final String reason;

        Verification(String reason) {
            this.reason = reason;
        }

        /** {@code true} for {@link #VALID}. */
        public boolean valid() {
            return this == VALID;
        }

        /** A short English explanation, fit for a log line or a 401 response (it contains no secret). */
        public String reason() {
            return reason;
        }
    }

    private StandardWebhooks() {
    }

    /**
     * The value of the {@value #SIGNATURE_HEADER} header: {@code v1,<base64>} for each secret, in the order
     * given, separated by single spaces.
     *
     * @param id               the message id (non-empty)
     * @param timestampSeconds the attempt's time, Unix seconds (not negative)
     * @param body             the body bytes exactly as they are sent
     * @param secrets          at least one secret
     * @throws IllegalArgumentException when the id is empty, the timestamp negative or no secret is given
     */
    public static String sign(String id, long timestampSeconds, byte[] body, List<WebhookSecret> secrets) {
        requireId(id);
        if (timestampSeconds < 0) {
            throw new IllegalArgumentException("webhook timestamp must not be negative, was " + timestampSeconds);
        }
        Objects.requireNonNull(body, "body");
        requireSecrets(secrets);
        byte[] prefix = signedPrefix(id, Long.toString(timestampSeconds));
        StringBuilder out = new StringBuilder(secrets.size() * 48);
        Base64.Encoder b64 = Base64.getEncoder();
        for (WebhookSecret secret : secrets) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(VERSION).append(',').append(b64.encodeToString(mac(secret, prefix, body)));
        }
        return out.toString();
    }

    /** {@link #verify(String, String, String, byte[], List, Instant, Duration)} with the default tolerance. */
    public static Verification verify(String id, String timestamp, String signatureHeader, byte[] body,
                                      List<WebhookSecret> secrets, Instant now) {
        return verify(id, timestamp, signatureHeader, body, secrets, now, DEFAULT_TOLERANCE);
    }

    /**
     * Verifies a received message.
     *
     * @param id              the {@value #ID_HEADER} header, or {@code null} when absent
     * @param timestamp       the {@value #TIMESTAMP_HEADER} header, or {@code null} when absent
     * @param signatureHeader the {@value #SIGNATURE_HEADER} header, or {@code null} when absent
     * @param body            the body bytes exactly as received
     * @param secrets         the secrets to accept, at least one
     * @param now             the receiver's clock
     * @param tolerance       how far the timestamp may be from {@code now}, either way (not negative)
     * @return {@link Verification#VALID} or the first problem found: headers, then timestamp, then signature
     * @throws IllegalArgumentException for arguments of the caller (no secret, negative tolerance), never for
     *                                  the message's own content
     */
    public static Verification verify(String id, String timestamp, String signatureHeader, byte[] body,
                                      List<WebhookSecret> secrets, Instant now, Duration tolerance) {
        requireSecrets(secrets);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(now, "now");
        if (Objects.requireNonNull(tolerance, "tolerance").isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative, was " + tolerance);
        }
        if (isBlank(id) || isBlank(timestamp) || isBlank(signatureHeader)) {
            return Verification.MISSING_HEADER;
        }
        String ts = timestamp.trim();
        long seconds = parseSeconds(ts);
        if (seconds < 0) {
            return Verification.INVALID_TIMESTAMP;
        }
        long nowSeconds = now.getEpochSecond();
        long slack = tolerance.getSeconds();
        if (seconds < nowSeconds - slack) {
            return Verification.TIMESTAMP_TOO_OLD;
        }
        if (seconds > nowSeconds + slack) {
            return Verification.TIMESTAMP_TOO_NEW;
        }
        List<byte[]> presented = v1Signatures(signatureHeader);
        if (presented.isEmpty()) {
            return Verification.NO_V1_SIGNATURE;
        }
        byte[] prefix = signedPrefix(id, Long.toString(seconds));
        boolean match = false;
        for (WebhookSecret secret : secrets) {
            byte[] expected = mac(secret, prefix, body);
            for (byte[] candidate : presented) {
                // no early exit: the time taken does not tell which entry or secret matched
                match |= MessageDigest.isEqual(expected, candidate);
            }
        }
        return match ? Verification.VALID : Verification.SIGNATURE_MISMATCH;
    }

    /** The decoded {@code v1} entries of a signature header; malformed entries are skipped. */
    private static List<byte[]> v1Signatures(String header) {
        List<byte[]> out = new ArrayList<>(2);
        for (String entry : header.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !VERSION.equals(entry.substring(0, comma))) {
                continue;
            }
            try {
                byte[] sig = Base64.getDecoder().decode(entry.substring(comma + 1));
                if (sig.length == MAC_LENGTH) {
                    out.add(sig);
                }
            } catch (IllegalArgumentException notBase64) {
                // a malformed entry matches nothing
            }
        }
        return out;
    }

    /** Unix seconds of a timestamp header: ASCII digits only, or -1. */
    private static long parseSeconds(String ts) {
        if (ts.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < ts.length(); i++) {
            char c = ts.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static byte[] signedPrefix(String id, String timestamp) {
        return (id + '.' + timestamp + '.').getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mac(WebhookSecret secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = MACS.get(); // finding the provider costs more than the HMAC of a small body
            mac.init(new SecretKeySpec(secret.keyUnsafe(), HMAC));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            // any non-empty key fits HmacSHA256
            throw new IllegalStateException("HmacSHA256 refused the key: " + e.getClass().getName(), e);
        }
    }

    private static void requireId(String id) {
        if (isBlank(id)) {
            throw new IllegalArgumentException("webhook id must not be empty");
        }
    }

    private static void requireSecrets(List<WebhookSecret> secrets) {
        if (Objects.requireNonNull(secrets, "secrets").isEmpty()) {
            throw new IllegalArgumentException("at least one webhook secret is needed");
        }
        for (WebhookSecret s : secrets) {
            Objects.requireNonNull(s, "webhook secret");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
