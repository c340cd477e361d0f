package io.meshbridge.archive;

import java.time.Instant;
import java.util.Objects;

/**
 * An event read back from the archive: the members of its line, with the payload bytes exactly as they were
 * archived (decoded from {@code event_b64} when the payload held raw line breaks).
 *
 * @param stream        the stream name
 * @param streamCreated the stream's creation time
 * @param sequence      the stream sequence
 * @param subject       the subject
 * @param time          the stream time
 * @param id            the message id
 * @param payload       the payload bytes, verbatim; shared, do not modify
 */
public record ArchivedEvent(String stream, Instant streamCreated, long sequence, String subject, Instant time,
                            String id, byte[] payload) {

    /** Validates the members. */
    public ArchivedEvent {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(streamCreated, "streamCreated");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
    }

    StreamKey key() {
        return new StreamKey(stream, streamCreated);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArchivedEvent other && sequence == other.sequence && stream.equals(other.stream)
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
        return "ArchivedEvent[" + stream + "@" + streamCreated + " #" + sequence + ", " + subject + ", " + time
                + ", id=" + id + ", bytes=" + payload.length + "]";
    }
}
