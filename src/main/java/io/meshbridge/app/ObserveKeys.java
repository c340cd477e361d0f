package io.meshbridge.app;

import static io.meshbridge.app.ConfigKeys.*;

import io.meshbridge.events.Secret;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The keys {@code mesh.health.*}, {@code mesh.observe.*} and {@code mesh.log.*} turned into an
 * {@link ObserveConfig}, each checked and named when invalid; no message names the token.
 */
final class ObserveKeys {

    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    private static final int MIN_TOKEN = 16;

    private ObserveKeys() {
    }

    /** Parses the keys read through {@code text} (the value, or its default). */
    static ObserveConfig parse(Function<String, String> text) {
        Duration stallAfter = duration(HEALTH_STALL_AFTER, text.apply(HEALTH_STALL_AFTER), Duration.ofSeconds(1));
        Duration poll = duration(HEALTH_POLL_INTERVAL, text.apply(HEALTH_POLL_INTERVAL), Duration.ofMillis(100));
        if (poll.compareTo(stallAfter) > 0) {
            throw new ConfigException(HEALTH_POLL_INTERVAL, "must not exceed " + HEALTH_STALL_AFTER + " ("
                    + text.apply(HEALTH_STALL_AFTER) + "), was " + text.apply(HEALTH_POLL_INTERVAL));
        }
        String token = text.apply(OBSERVE_TOKEN);
        String file = text.apply(OBSERVE_TOKEN_FILE);
        if (!token.isEmpty() && !file.isEmpty()) {
            throw new ConfigException(OBSERVE_TOKEN_FILE, "give only one of " + OBSERVE_TOKEN + " and "
                    + OBSERVE_TOKEN_FILE);
        }
        String key = OBSERVE_TOKEN;
        if (!file.isEmpty()) {
            key = OBSERVE_TOKEN_FILE;
            token = SecretFiles.read(OBSERVE_TOKEN_FILE, file).trim();
            if (token.isEmpty()) {
                throw new ConfigException(OBSERVE_TOKEN_FILE, file + " is empty");
            }
        }
        if (!token.isEmpty() && (token.length() < MIN_TOKEN || !token.chars().allMatch(c -> c > 32 && c < 127))) {
            throw new ConfigException(key, "the token must be at least " + MIN_TOKEN
                    + " printable ASCII characters without spaces (e.g. openssl rand -hex 32)");
        }
        String level = text.apply(LOG_LEVEL).toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigException(LOG_LEVEL, "must be one of [trace, debug, info, warn, error], was '"
                    + text.apply(LOG_LEVEL) + "'");
        }
        boolean json = switch (text.apply(LOG_FORMAT).toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new ConfigException(LOG_FORMAT, "must be one of [text, json], was '"
                    + text.apply(LOG_FORMAT) + "'");
        };
        boolean behindApi = switch (text.apply(OBSERVE_AUTH).toLowerCase(Locale.ROOT)) {
            case "open" -> false;
            case "api" -> true;
            default -> throw new ConfigException(OBSERVE_AUTH, "must be one of [open, api], was '"
                    + text.apply(OBSERVE_AUTH) + "'");
        };
        return new ObserveConfig(stallAfter, poll, token.isEmpty() ? null : new Secret(token), level, json,
                behindApi);
    }

    private static Duration duration(String key, String value, Duration min) {
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage(), e);
        }
        if (d.compareTo(min) < 0) {
            throw new ConfigException(key, "must be at least " + (min.toMillis() >= 1000 ? min.toSeconds() + "s"
                    : min.toMillis() + "ms") + ", was " + value);
        }
        return d;
    }
}
