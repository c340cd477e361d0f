package io.meshbridge.archive;

import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import java.time.Instant;
import java.util.Objects;

/**
 * One stream message to archive: where it is stored, and its payload bytes.
 *
 * <p>The key of a message is its stream name, the stream's creation time and its sequence: a deleted and
 * recreated stream starts again at sequence 1, and its messages are other messages.
 *
 * @param stream        the stream name
 * @param streamCreated when the stream was created (from its stream info)
 * @param sequence      the stream sequence, 1 or more
 * @param subject       the subject the message was stored under
 * @param time          the time the server stored it; partitions the archive
 * @param id            the message id ({@code Nats-Msg-Id}, else the id derived from the position)
 * @param payload       the payload bytes, verbatim; must be a decodable event (valid JSON). Not copied.
 */
public record ArchiveRecord(String stream, Instant streamCreated, long sequence, String subject, Instant time,
                            String id, byte[] payload) {

    /** Validates the members. */
    public ArchiveRecord {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(streamCreated, "streamCreated");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("stream name must not be empty");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("stream sequence must be at least 1, was " + sequence);
        }
    }

    /**
     * The record of an event read from a stream.
     *
     * @throws IllegalArgumentException when the event has no stream position or no id
     */
    public static ArchiveRecord of(ReceivedEvent event, Instant streamCreated) {
        StreamPosition position = event.position();
        if (position == null) {
            throw new IllegalArgumentException("only events read from a stream can be archived");
        }
        String id = event.id() != null ? event.id() : position.derivedId();
        return new ArchiveRecord(position.stream(), streamCreated, position.sequence(), event.subject(),
                position.time(), id, event.raw());
    }

    StreamKey key() {
        return new StreamKey(stream, streamCreated);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArchiveRecord other && sequence == other.sequence && stream.equals(other.stream)
                && streamCreated.equals(other.streamCreated) && subject.equals(other.subject)
                && time.equals(other.time) && id.equals(other.id)
                && java.util.Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, streamCreated, sequence, subject, time, id,
                java.util.Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "ArchiveRecord[" + stream + "@" + streamCreated + " #" + sequence + ", " + subject + ", " + time
                + ", id=" + id + ", bytes=" + payload.length + "]";
    }
}
