package io.meshbridge.app;

import io.meshbridge.events.Secret;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The worker's observation settings: health, metrics and logs ({@code mesh.health.*}, {@code mesh.observe.*},
 * {@code mesh.log.*}), parsed by {@link ObserveKeys}.
 *
 * @param stallAfter   a connector with events pending on its durable and nothing settled by this worker for
 *                     this long is stalled: not ready ({@code mesh.health.stall-after})
 * @param pollInterval how often the durables' state (pending, ack pending) and the stream are read from the
 *                     server, for the gauges and the checks ({@code mesh.health.poll-interval})
 * @param token        the bearer token {@code /observe/*} requires, or {@code null}: open
 *                     ({@code mesh.observe.token}, {@code mesh.observe.token-file}); never printed
 * @param logLevel     the level of the worker's loggers ({@code mesh.log.level})
 * @param jsonLogs     whether the log lines are JSON objects ({@code mesh.log.format=json})
 * @param behindApi    whether {@code /observe/*} also admits the API's tokens, and is closed without one
 *                     ({@code mesh.observe.auth=api})
 */
public record ObserveConfig(Duration stallAfter, Duration pollInterval, Secret token, String logLevel,
                            boolean jsonLogs, boolean behindApi) {

    /** The defaults: stalled after 2 minutes, polled every 5 seconds, open, INFO, text. */
    public static final ObserveConfig DEFAULTS = new ObserveConfig(Duration.ofMinutes(2), Duration.ofSeconds(5),
            null, "INFO", false, false);

    /** Validates every member. */
    public ObserveConfig {
        Objects.requireNonNull(stallAfter, "stallAfter");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (stallAfter.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("stallAfter must be at least 1s, was " + stallAfter);
        }
        if (pollInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("pollInterval must be at least 100ms, was " + pollInterval);
        }
        Objects.requireNonNull(logLevel, "logLevel");
        logLevel = logLevel.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ObserveConfig[stallAfter=" + stallAfter + ", pollInterval=" + pollInterval + ", token="
                + (token == null ? "none" : "***") + ", logLevel=" + logLevel + ", jsonLogs=" + jsonLogs + ", behindApi=" + behindApi + "]";
    }
}
