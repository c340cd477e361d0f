package io.meshbridge.events;

import java.util.Objects;

/**
 * An event as it came off the wire: the decoded {@link Event} together with the exact bytes it was decoded
 * from, the subject it arrived on, its id and, when it was read from a stream, its stream position.
 *
 * <p>Forward and archive {@link #raw()}: it is byte-exact, while re-encoding {@link #event()} is only equal
 * in meaning. The array is shared, not copied: do not modify it.
 *
 * @param event        the decoded event
 * @param subject      the subject the message arrived on
 * @param raw          the payload bytes, verbatim
 * @param typeInferred {@code true} when the payload had no {@code type} and it was taken from the subject
 *                     (the reconnect notice of the reference node does this)
 * @param id           the {@code Nats-Msg-Id} header, else the id derived from the stream position, else
 *                     {@code null} (a core NATS message without header)
 * @param position     the stream position, or {@code null} for a message received on core NATS
 */
public record ReceivedEvent(Event event, String subject, byte[] raw, boolean typeInferred, String id,
                            StreamPosition position) {

    /** Validates the members. */
    public ReceivedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(raw, "raw");
    }

    /** A copy with the id and position of a delivery; the id falls back to the position's derived id. */
    public ReceivedEvent withDelivery(String msgId, StreamPosition streamPosition) {
        String effective = msgId != null && !msgId.isEmpty() ? msgId
                : streamPosition != null ? streamPosition.derivedId() : null;
        return new ReceivedEvent(event, subject, raw, typeInferred, effective, streamPosition);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedEvent other
                && event.equals(other.event)
                && subject.equals(other.subject)
                && java.util.Arrays.equals(raw, other.raw)
                && typeInferred == other.typeInferred
                && Objects.equals(id, other.id)
                && Objects.equals(position, other.position);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, subject, java.util.Arrays.hashCode(raw), typeInferred, id, position);
    }

    @Override
    public String toString() {
        return "ReceivedEvent[" + event + ", subject=" + subject + ", bytes=" + raw.length
                + (typeInferred ? ", type inferred" : "") + ", id=" + id + ", position=" + position + "]";
    }
}
