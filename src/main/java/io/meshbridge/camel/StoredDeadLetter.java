package io.meshbridge.camel;

import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A dead letter as stored in {@value MeshConstants#DLQ_STREAM}, read from its {@code Mesh-*} headers: what a
 * route gave up on, where the event came from, and its payload as it was stored in the event stream.
 *
 * <p>{@link #of} reads any message of the stream and never fails on missing or malformed headers (a message
 * someone published there by hand): the missing parts are empty, {@code 0} or {@code null}, and such a letter is
 * not {@link #redrivable()}. Immutable apart from {@link #data()}, which is shared, not copied.
 *
 * @param id         its sequence in {@value MeshConstants#DLQ_STREAM}, 1 or more
 * @param stored     when it was dead-lettered (the dead-letter stream's time)
 * @param route      the route that gave up ({@code Mesh-Route}; else the last token of its subject)
 * @param error      why ({@code Mesh-Error}), possibly empty
 * @param deliveries how many times the event was delivered to the route ({@code Mesh-Deliveries}), 0 unknown
 * @param subject    the event's subject ({@code Mesh-Original-Subject}), empty when unknown
 * @param stream     the event stream ({@code Mesh-Original-Stream}), empty when unknown
 * @param sequence   the event's sequence there ({@code Mesh-Original-Sequence}), 0 when unknown
 * @param eventId    the event's {@code Nats-Msg-Id} ({@code Mesh-Original-Id}), {@code null} when it had none
 * @param streamTime when the event stream stored the event ({@code Mesh-Original-Time}), {@code null} when the
 *                   dead letter does not say
 * @param data       the payload
 */
public record StoredDeadLetter(long id, Instant stored, String route, String error, long deliveries,
                               String subject, String stream, long sequence, String eventId, Instant streamTime,
                               byte[] data) {

    /** Validates the members. */
    public StoredDeadLetter {
        if (id < 1) {
            throw new IllegalArgumentException("a dead letter's id (its sequence) must be at least 1, was " + id);
        }
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(data, "data");
        if (deliveries < 0 || sequence < 0) {
            throw new IllegalArgumentException("deliveries and sequence must not be negative");
        }
        if (eventId != null && eventId.isEmpty()) {
            eventId = null;
        }
    }

    /** The dead-letter subject of route {@code routeId}: {@code mesh.dlq.<routeId>} (sanitised to one token). */
    public static String subjectOf(String routeId) {
        return DeadLetters.subject(routeId);
    }

    /** The dead letter that the message {@code m} of {@value MeshConstants#DLQ_STREAM} is. */
    public static StoredDeadLetter of(MessageInfo m) {
        Headers h = m.getHeaders();
        String route = header(h, MeshConstants.DLQ_ROUTE);
        if (route.isEmpty() && m.getSubject() != null && m.getSubject().startsWith(MeshConstants.DLQ_SUBJECT_PREFIX)) {
            route = m.getSubject().substring(MeshConstants.DLQ_SUBJECT_PREFIX.length());
        }
        return new StoredDeadLetter(m.getSeq(), m.getTime().toInstant(), route, header(h, MeshConstants.DLQ_ERROR),
                number(header(h, MeshConstants.DLQ_DELIVERIES)), header(h, MeshConstants.DLQ_ORIGINAL_SUBJECT),
                header(h, MeshConstants.DLQ_ORIGINAL_STREAM), number(header(h, MeshConstants.DLQ_ORIGINAL_SEQUENCE)),
                header(h, MeshConstants.DLQ_ORIGINAL_ID), time(header(h, MeshConstants.DLQ_ORIGINAL_TIME)),
                m.getData() == null ? new byte[0] : m.getData());
    }

    /** Whether a route wrote it: it names the event's subject, stream and sequence, so it can be redriven. */
    public boolean redrivable() {
        return !route.isEmpty() && !subject.isEmpty() && !stream.isEmpty() && sequence > 0;
    }

    /** The event's id as the route saw it: its {@code Nats-Msg-Id}, else {@code <stream>:<sequence>}. */
    public String routeEventId() {
        return eventId != null ? eventId : stream + ":" + sequence;
    }

    private static String header(Headers h, String name) {
        String value = h == null ? null : h.getFirst(name);
        return value == null ? "" : value.strip();
    }

    private static long number(String text) {
        try {
            long n = Long.parseLong(text);
            return n < 0 ? 0 : n;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant time(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "dead letter " + id + " of route " + route + " (" + stream + ":" + sequence + ")";
    }
}
