package io.meshbridge.events;

import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the event stream and of acknowledged emits. The defaults are the reference's:
 * stream {@code MESH_EVENTS} on {@code events.>}, 24 h, 10,000 messages, file storage; plus one replica and
 * a two-minute duplicate window.
 *
 * @param streamName      the stream's name
 * @param maxAge          oldest age kept; {@link Duration#ZERO} means unlimited
 * @param maxMsgs         most messages kept; 0 means unlimited
 * @param storage         file or memory
 * @param replicas        stream replicas in a cluster (1 to 5)
 * @param duplicateWindow how long the server remembers event ids to drop retried publishes
 * @param updateExisting  whether an existing stream whose settings differ is changed to these settings; by
 *                        default it is left as the operator configured it, with a warning
 * @param emitTimeout     how long an acknowledged emit keeps retrying (same id) before it fails
 * @param maxInFlight     most asynchronous emits awaiting their acknowledgement at once
 */
public record PersistConfig(String streamName, Duration maxAge, long maxMsgs, StorageType storage, int replicas,
                            Duration duplicateWindow, boolean updateExisting, Duration emitTimeout,
                            int maxInFlight) {

    /** The reference's stream name. */
    public static final String DEFAULT_STREAM = "MESH_EVENTS";

    /** The subjects of the event stream. */
    public static final String SUBJECTS = "events.>";

    /** Validates every member, naming the one at fault. */
    public PersistConfig {
        Objects.requireNonNull(streamName, "streamName");
        if (streamName.isEmpty() || !streamName.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new IllegalArgumentException("streamName '" + streamName
                    + "' must be 1 to 255 letters, digits, '_' or '-'");
        }
        requireNonNegative("maxAge", maxAge);
        if (maxMsgs < 0) {
            throw new IllegalArgumentException("maxMsgs must be 0 (unlimited) or more, was " + maxMsgs);
        }
        Objects.requireNonNull(storage, "storage");
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("replicas must be 1 to 5, was " + replicas);
        }
        requireNonNegative("duplicateWindow", duplicateWindow);
        if (duplicateWindow.isZero()) {
            throw new IllegalArgumentException("duplicateWindow must be positive: retried emits rely on it");
        }
        if (!maxAge.isZero() && duplicateWindow.compareTo(maxAge) > 0) {
            throw new IllegalArgumentException("duplicateWindow (" + duplicateWindow
                    + ") must not exceed maxAge (" + maxAge + ")");
        }
        requireNonNegative("emitTimeout", emitTimeout);
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
    }

    /** The reference's defaults. */
    public static PersistConfig defaults() {
        return new PersistConfig(DEFAULT_STREAM, Duration.ofHours(24), 10_000, StorageType.File, 1,
                Duration.ofMinutes(2), false, Duration.ofSeconds(30), 1_000);
    }

    /** A copy with another stream name. */
    public PersistConfig withStreamName(String name) {
        return new PersistConfig(name, maxAge, maxMsgs, storage, replicas, duplicateWindow, updateExisting,
                emitTimeout, maxInFlight);
    }

    /** A copy with other retention limits. */
    public PersistConfig withLimits(Duration age, long msgs) {
        return new PersistConfig(streamName, age, msgs, storage, replicas, duplicateWindow, updateExisting,
                emitTimeout, maxInFlight);
    }

    /** A copy with another replica count. */
    public PersistConfig withReplicas(int count) {
        return new PersistConfig(streamName, maxAge, maxMsgs, storage, count, duplicateWindow, updateExisting,
                emitTimeout, maxInFlight);
    }

    /** A copy that changes an existing stream's settings to these. */
    public PersistConfig withUpdateExisting(boolean update) {
        return new PersistConfig(streamName, maxAge, maxMsgs, storage, replicas, duplicateWindow, update,
                emitTimeout, maxInFlight);
    }

    /** A copy with another emit retry budget and in-flight window. */
    public PersistConfig withEmit(Duration timeout, int inFlight) {
        return new PersistConfig(streamName, maxAge, maxMsgs, storage, replicas, duplicateWindow, updateExisting,
                timeout, inFlight);
    }

    private static void requireNonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}
