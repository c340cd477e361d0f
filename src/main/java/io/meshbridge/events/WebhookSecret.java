package io.meshbridge.events;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A signing key of the Standard Webhooks scheme (see {@link StandardWebhooks}): the bytes a secret written
 * {@code whsec_<base64>} decodes to. It never prints: {@link #toString()} is {@code whsec_****}, and no error
 * of {@link #parse} or {@link #parseAll} quotes the text it was given.
 *
 * <p>The key is copied on the way in and on the way out ({@link #key()}), so an instance is immutable and
 * thread-safe. Two secrets are equal when their keys are (compared in constant time).
 *
 * @param key the decoded key bytes, not empty
 */
public record WebhookSecret(byte[] key) {

    /** The prefix of a secret's text form. */
    public static final String PREFIX = "whsec_";

    /** Requires a key of at least one byte and keeps a copy of it. */
    public WebhookSecret {
        Objects.requireNonNull(key, "webhook secret key");
        if (key.length == 0) {
            throw new IllegalArgumentException("webhook secret key is empty");
        }
        key = key.clone();
    }

    /**
     * Reads one secret written {@code whsec_<base64>} (standard Base64 alphabet, padding optional as in the
     * reference libraries' secrets).
     *
     * @throws IllegalArgumentException when the prefix is missing, the rest is not Base64 or decodes to nothing;
     *                                  the message never contains the text
     */
    public static WebhookSecret parse(String text) {
        return parse(text, "webhook secret");
    }

    /**
     * Reads one or more secrets separated by spaces and/or commas ({@code "whsec_a whsec_b"},
     * {@code "whsec_a,whsec_b"}), for key rotation: a receiver accepts a signature by any of them, a sender signs
     * with each. Order is kept; a repeated secret is kept once.
     *
     * @throws IllegalArgumentException when there is no secret at all or one of them is invalid; the message
     *                                  names the secret by its position (1-based), never by its text
     */
    public static List<WebhookSecret> parseAll(String text) {
        Objects.requireNonNull(text, "webhook secrets");
        String[] parts = text.trim().split("[\\s,]+");
        List<WebhookSecret> out = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            WebhookSecret s = parse(parts[i], parts.length == 1 ? "webhook secret" : "webhook secret " + (i + 1)
                    + " of " + parts.length);
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no webhook secret given: expected whsec_<base64>, several separated"
                    + " by spaces or commas");
        }
        return List.copyOf(out);
    }

    private static WebhookSecret parse(String text, String what) {
        Objects.requireNonNull(text, what);
        String t = text.trim();
        if (!t.startsWith(PREFIX)) {
            throw new IllegalArgumentException(what + " must be written " + PREFIX + "<base64>: the prefix "
                    + PREFIX + " is missing");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(t.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // the decoder's message quotes the offending character: leave it out
            throw new IllegalArgumentException(what + " is not valid Base64 after " + PREFIX
                    + " (standard alphabet A-Z a-z 0-9 + /, optional = padding)");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException(what + " is empty after " + PREFIX);
        }
        return new WebhookSecret(key);
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    /** The key itself, not copied, for signing inside this package. */
    byte[] keyUnsafe() {
        return key;
    }

    /** The text form {@code whsec_<base64>}, for a configuration the user writes; never log it. */
    public String toText() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookSecret other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        // the length only: a hash of the key bytes would tell something about them
        return key.length;
    }

    /** {@code whsec_****}: the key never prints. */
    @Override
    public String toString() {
        return PREFIX + "****";
    }
}
