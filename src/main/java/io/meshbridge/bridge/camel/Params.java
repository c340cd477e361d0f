package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.MeshOrigin;

import io.meshbridge.events.Secret;
import io.meshbridge.events.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.util.TimeUtils;

/**
 * Parses the text values of a bridge template's parameters, naming the parameter at fault in every error (and
 * never showing a secret's value). Stateless.
 */
final class Params {

    private Params() {
    }

    static Duration duration(String name, String value, Duration min) {
        String v = value == null ? "" : value.trim();
        Duration d;
        try {
            d = v.startsWith("P") || v.startsWith("p") ? Duration.parse(v) : TimeUtils.toDuration(v);
        } catch (RuntimeException e) {
            d = null;
        }
        if (d == null || d.compareTo(min) < 0) {
            throw new IllegalArgumentException("bridge parameter " + name + " must be a duration of at least "
                    + min.toMillis() + " ms such as 500ms, 5s, 2m or 1h, was '" + value + "'");
        }
        return d;
    }

    static int integer(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bridge parameter " + name + " must be a whole number from " + min
                    + " to " + max + ", was '" + value + "'");
        }
    }

    static boolean bool(String name, String value) {
        String v = value == null ? "" : value.trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("bridge parameter " + name + " must be true or false, was '" + value + "'");
    }

    /** A text value, {@code null} when empty. */
    static String text(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * The {@code meshId} parameter: {@code null} when empty (the id is then derived from the stream).
     *
     * @throws IllegalArgumentException naming the parameter when it is not a valid mesh id
     */
    static String meshId(String value) {
        String id = text(value);
        String problem = id == null ? null : MeshOrigin.problem(id);
        if (problem != null) {
            throw new IllegalArgumentException("bridge parameter meshId " + problem);
        }
        return id;
    }

    /** A secret value (not trimmed: spaces may belong to it), {@code null} when empty. */
    static Secret secret(String value) {
        return value == null || value.isEmpty() ? null : new Secret(value);
    }

    static Path path(String value) {
        String v = text(value);
        return v == null ? null : Path.of(v);
    }

    /** TLS from PEM files ({@code caFile}, {@code certFile} + {@code keyFile}) and TLS-first; none when all empty. */
    static TlsConfig tls(String caFile, String certFile, String keyFile, boolean handshakeFirst) {
        Path ca = path(caFile);
        Path cert = path(certFile);
        Path key = path(keyFile);
        if (ca == null && cert == null && key == null && !handshakeFirst) {
            return TlsConfig.NONE;
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("bridge parameters tlsCert and tlsKey go together (mutual TLS)");
        }
        return new TlsConfig(true, ca, cert, key, null, null, null, null, handshakeFirst);
    }
}
