package io.meshbridge.events;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A message on an event subject that is not a decodable event: not JSON, not an object, an empty payload,
 * a member of the wrong kind, an invalid type, or input beyond the codec's limits.
 *
 * <p>It carries the subject, the raw bytes and, when the message came from a stream, its position, so that
 * the message can be reported and dead-lettered rather than dropped.
 */
public final class EventDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String subject;
    private final transient byte[] raw;
    private final String reason;
    private final transient StreamPosition position;

    /** A decode failure of {@code raw} received on {@code subject}. */
    public EventDecodeException(String subject, byte[] raw, String reason, Throwable cause) {
        this(subject, raw, reason, null, cause);
    }

    private EventDecodeException(String subject, byte[] raw, String reason, StreamPosition position,
                                 Throwable cause) {
        super(describe(subject, reason, position), cause);
        this.subject = Objects.requireNonNull(subject, "subject");
        this.raw = raw == null ? new byte[0] : raw;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.position = position;
    }

    /** The same failure, located at a stream position. */
    public EventDecodeException at(StreamPosition streamPosition) {
        return new EventDecodeException(subject, raw, reason, streamPosition, getCause());
    }

    /** The subject the message arrived on. */
    public String subject() {
        return subject;
    }

    /** The payload, verbatim (shared, do not modify). */
    public byte[] raw() {
        return raw;
    }

    /** Why the payload is not an event, without the subject. */
    public String reason() {
        return reason;
    }

    /** The stream position, or {@code null} for a core NATS message. */
    public StreamPosition position() {
        return position;
    }

    /**
     * The payload as text for reports (invalid UTF-8 shown as U+FFFD), cut to {@code max} characters and then
     * marked with {@code …}; a cut never splits a surrogate pair.
     *
     * @throws IllegalArgumentException when {@code max} is negative
     */
    public String rawPreview(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative, was " + max);
        }
        // no need to decode a large payload in full: a character takes at most 4 bytes
        int bytes = (int) Math.min(raw.length, 4L * max + 8);
        String text = new String(raw, 0, bytes, StandardCharsets.UTF_8);
        if (bytes == raw.length && text.length() <= max) {
            return text;
        }
        int cut = Math.min(max, text.length());
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "…";
    }

    private static String describe(String subject, String reason, StreamPosition position) {
        return (position == null ? "" : "sequence " + position.sequence() + ", ")
                + "subject " + subject + ": " + reason;
    }
}
