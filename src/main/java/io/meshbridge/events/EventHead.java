package io.meshbridge.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The envelope of an event without its data: what {@link EventCodec#scan} reads from a payload it has checked,
 * for a consumer that routes on the type, node or time and decodes the data only when a step asks for it.
 *
 * @param type         the event type, valid as {@link EventTypes#requireValidType} says
 * @param node         the producing node, {@code ""} when absent; at most {@link Event#MAX_NODE_LENGTH}
 *                     characters
 * @param timestamp    the event's own time, or {@code null} when absent
 * @param typeInferred {@code true} when the payload had no {@code type} and it was taken from the subject
 */
public record EventHead(String type, String node, Instant timestamp, boolean typeInferred) {

    /** Validates the type and node. */
    public EventHead {
        EventTypes.requireValidType(type);
        Objects.requireNonNull(node, "node");
        requireValidNode(node);
    }

    /** Refuses a node name longer than {@link Event#MAX_NODE_LENGTH} characters. */
    static void requireValidNode(String node) {
        if (node.length() > Event.MAX_NODE_LENGTH) {
            throw new IllegalArgumentException("node is longer than " + Event.MAX_NODE_LENGTH + " characters");
        }
    }
}
