package io.meshbridge.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a message is stored in a JetStream stream: the stream's name, the message's sequence and the time
 * the server stored it (UTC, nanosecond precision).
 *
 * @param stream   the stream name
 * @param sequence the stream sequence, 1 or more
 * @param time     the server's stored time
 */
public record StreamPosition(String stream, long sequence, Instant time) {

    /** Validates the members. */
    public StreamPosition {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(time, "time");
        if (sequence < 1) {
            throw new IllegalArgumentException("stream sequence must be at least 1, was " + sequence);
        }
    }

    /**
     * The stable id of a stored message that was published without a {@code Nats-Msg-Id} header (as the Go
     * and Python producers do): {@code <stream>:<sequence>}.
     */
    public String derivedId() {
        return stream + ":" + sequence;
    }
}
