package io.meshbridge.app;

/**
 * An invalid worker configuration. The message names the key at fault and reads
 * {@code invalid configuration: <key>: <problem>}, e.g.
 * {@code invalid configuration: mesh.stream.max-msgs: must be 0 or more, was -5}.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /** A problem with the value of {@code key}. */
    public ConfigException(String key, String problem) {
        this(key, problem, null);
    }

    /** A problem with the value of {@code key}, found through {@code cause}. */
    public ConfigException(String key, String problem, Throwable cause) {
        super("invalid configuration: " + key + ": " + problem, cause);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
