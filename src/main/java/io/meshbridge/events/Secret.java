package io.meshbridge.events;

import java.util.Objects;

/**
 * A secret value (password, token) that never prints: {@link #toString()} is {@code ****}, so a secret
 * inside a configuration record cannot leak into a log line or an exception message.
 *
 * @param value the secret text
 */
public record Secret(String value) {

    /** Requires a value. */
    public Secret {
        Objects.requireNonNull(value, "secret value");
    }

    /** A secret, or {@code null} for a {@code null} or empty text. */
    public static Secret ofNullable(String value) {
        return value == null || value.isEmpty() ? null : new Secret(value);
    }

    /** The value as a fresh char array, as jnats takes it. */
    public char[] chars() {
        return value.toCharArray();
    }

    @Override
    public String toString() {
        return "****";
    }
}
