package io.meshbridge.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A jb-mesh event: the four members of the JSON envelope {@code {"type","node","timestamp","data"}}.
 *
 * <p>The type decides the subject: an event of type {@code tool.crashed} travels on
 * {@code events.tool.crashed}. Types are validated by {@link EventTypes#requireValidType(String)}.
 *
 * <p>{@code node} may be empty (the {@link Bus} fills in its own node name when it emits);
 * {@code timestamp} may be {@code null} for an event that has not been emitted yet (the bus stamps it
 * with the current time) or for a decoded event whose producer left it out; {@code data} may be
 * {@code null}, as the reference producers allow. The map is copied into an unmodifiable,
 * insertion-ordered map; its values are JSON values: {@code String}, {@code Boolean}, {@code Number}
 * ({@code Integer}, {@code Long}, {@code BigInteger}, {@code BigDecimal} or {@code Double}), {@code List},
 * {@code Map} or {@code null}.
 *
 * <p>The typed factories mirror the constructors of the reference Go package: same types, same data keys,
 * same value types. Instances are immutable and safe to share between threads (as long as nested lists and
 * maps handed in are not mutated afterwards).
 *
 * @param type      the event type, for example {@code tool.installed} or {@code user.training.complete}
 * @param node      the originating node, possibly empty, never {@code null}
 * @param timestamp when the event happened, or {@code null} when not yet stamped
 * @param data      the free-form payload, or {@code null}
 */
public record Event(String type, String node, Instant timestamp, Map<String, Object> data) {

    /** Longest node name accepted, in characters. */
    public static final int MAX_NODE_LENGTH = 256;

    /** Validates the type and node and freezes the data. */
    public Event {
        EventTypes.requireValidType(type);
        Objects.requireNonNull(node, "node must not be null (use \"\" to let the bus fill it in)");
        EventHead.requireValidNode(node);
        if (data != null) {
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }
    }

    /** The NATS subject this event is published on: {@code events.<type>}. */
    public String subject() {
        return EventTypes.SUBJECT_PREFIX + type;
    }

    /** A copy of this event with another node. */
    public Event withNode(String newNode) {
        return new Event(type, newNode, timestamp, data);
    }

    /** A copy of this event with another timestamp. */
    public Event withTimestamp(Instant newTimestamp) {
        return new Event(type, node, newTimestamp, data);
    }

    /** A tool was installed on a node. Data: {@code tool}, {@code version}. */
    public static Event toolInstalled(String node, String tool, String version) {
        return of("tool.installed", node, "tool", tool, "version", version);
    }

    /** A tool was configured. Data: {@code tool}, {@code config} (may be {@code null}). */
    public static Event toolConfigured(String node, String tool, Map<String, ?> config) {
        return of("tool.configured", node, "tool", tool, "config", config);
    }

    /** A tool started. Data: {@code tool}. */
    public static Event toolStarted(String node, String tool) {
        return of("tool.started", node, "tool", tool);
    }

    /** A tool stopped. Data: {@code tool}, {@code reason}. */
    public static Event toolStopped(String node, String tool, String reason) {
        return of("tool.stopped", node, "tool", tool, "reason", reason);
    }

    /**
     * A tool crashed. Data: {@code tool}, {@code error} (the error's message; for an error without message its
     * {@code toString()}, which names its class; {@code null} when there is no error), {@code restart_count}
     * (an integer).
     */
    public static Event toolCrashed(String node, String tool, Throwable error, int restartCount) {
        return toolCrashed(node, tool, error == null ? null : errorText(error), restartCount);
    }

    private static String errorText(Throwable error) {
        String message = error.getMessage();
        return message != null ? message : error.toString();
    }

    /** A tool crashed, with the error given as text. */
    public static Event toolCrashed(String node, String tool, String error, int restartCount) {
        return of("tool.crashed", node, "tool", tool, "error", error, "restart_count", restartCount);
    }

    /** A tool was removed. Data: {@code tool}. */
    public static Event toolRemoved(String node, String tool) {
        return of("tool.removed", node, "tool", tool);
    }

    /** A node joined the mesh. Data: {@code capabilities} (may be {@code null}). */
    public static Event nodeJoined(String node, Map<String, ?> capabilities) {
        return of("node.joined", node, "capabilities", capabilities);
    }

    /** A node left the mesh. Data: {@code reason}. */
    public static Event nodeLeft(String node, String reason) {
        return of("node.left", node, "reason", reason);
    }

    /** A node's health report. Data: {@code status}, {@code resources} (may be {@code null}). */
    public static Event nodeHealth(String node, String status, Map<String, ?> resources) {
        return of("node.health", node, "status", status, "resources", resources);
    }

    /**
     * A user event of type {@code user.<topic>}; the topic may contain dots ({@code training.complete}).
     * The data is taken as given and may be {@code null}.
     */
    public static Event user(String node, String topic, Map<String, ?> data) {
        Objects.requireNonNull(topic, "topic must not be null");
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = data == null ? null : (Map<String, Object>) (Map<String, ?>) data;
        return new Event("user." + topic, node, null, copy);
    }

    private static Event of(String type, String node, Object... keysAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            data.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Event(type, node, null, data);
    }
}
