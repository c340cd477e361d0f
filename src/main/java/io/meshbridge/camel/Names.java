package io.meshbridge.camel;

/**
 * Turns route ids and error texts into valid consumer names, subject tokens and NATS header values; also used
 * by the bridges' dead letters ({@code io.meshbridge.bridge.camel}). Stateless.
 */
public final class Names {

    private static final int MAX_CONSUMER_NAME = 200;

    private Names() {
    }

    /**
     * A valid JetStream consumer name and subject token: letters, digits, {@code _} and {@code -}; anything
     * else becomes {@code _}.
     */
    public static String token(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a consumer name needs a route id or the durable option");
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CONSUMER_NAME));
        for (int i = 0; i < text.length() && out.length() < MAX_CONSUMER_NAME; i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            out.append(ok ? c : '_');
        }
        return out.toString();
    }

    /**
     * Checks a durable name given by the user.
     *
     * @throws IllegalArgumentException when it holds characters a consumer name cannot have
     */
    static String requireValidDurable(String durable) {
        if (durable.isEmpty() || !durable.equals(token(durable))) {
            throw new IllegalArgumentException("durable '" + durable + "' must be 1 to " + MAX_CONSUMER_NAME
                    + " letters, digits, '_' or '-'");
        }
        return durable;
    }

    /**
     * A NATS header value: US-ASCII without control characters (those become spaces, other characters
     * {@code ?}), cut to {@code max} characters.
     */
    public static String headerValue(String text, int max) {
        String s = text == null ? "" : text;
        StringBuilder out = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            if (c < 32 || c == 127) {
                out.append(' ');
            } else if (c > 127) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        if (s.length() > max && max > 1) {
            out.setCharAt(max - 1, '~');
        }
        return out.toString();
    }
}
