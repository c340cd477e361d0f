package io.meshbridge.cli;

import io.meshbridge.events.Event;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the {@code events} commands print events and problems.
 *
 * <p>Human form, as the reference node prints: {@code HH:MM:SS  type  node=<node>  <data as JSON>}, two
 * spaces between columns; the time is the envelope's timestamp in the chosen zone, or the fallback (the
 * stream's stored time, or the time of receipt) when the envelope has none; the data is compact JSON as Go
 * writes it (sorted keys, Go's escapes), {@code null} when absent. JSON form: the event encoded by {@link EventCodec} (Go's form,
 * decodable by every consumer). Problems are one line each, for stderr. Thread-safe.
 */
final class EventFormat {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String DATA_MEMBER = ",\"data\":";

    private final DateTimeFormatter clock;
    private final EventCodec codec;

    /** A format showing times in {@code zone} and encoding JSON with {@code codec}. */
    EventFormat(ZoneId zone, EventCodec codec) {
        this.clock = CLOCK.withZone(zone);
        this.codec = codec;
    }

    /** Local time ({@code utc} false) or UTC, with the default codec. */
    static EventFormat of(boolean utc) {
        return new EventFormat(utc ? ZoneOffset.UTC : ZoneId.systemDefault(), EventCodec.defaults());
    }

    /**
     * The human line of an event; {@code fallback} is the time shown when the envelope has no timestamp (or
     * Go's zero time).
     */
    String line(Event event, Instant fallback) {
        Instant time = hasTimestamp(event) ? event.timestamp() : fallback;
        return (time == null ? "--:--:--" : clock.format(time)) + "  " + event.type() + "  node=" + event.node()
                + "  " + dataJson(event);
    }

    /** The human line of a received event, falling back to its stream time, then to {@code receivedAt}. */
    String line(ReceivedEvent event, Instant receivedAt) {
        Instant fallback = event.position() != null ? event.position().time() : receivedAt;
        return line(event.event(), fallback);
    }

    /** The event in Go's JSON form, one line. */
    String json(ReceivedEvent event) {
        return new String(codec.encode(event.event()), StandardCharsets.UTF_8);
    }

    /** The stderr note for an event whose type was taken from its subject, or {@code null}. */
    static String inferredNote(ReceivedEvent event) {
        if (!event.typeInferred()) {
            return null;
        }
        return where(event) + ": type inferred from subject";
    }

    /** The stderr line for a message that is not an event. */
    static String undecodable(EventDecodeException e) {
        return "undecodable message: " + oneLine(e.getMessage());
    }

    /** The data of an event as compact JSON in Go's form (the data member of its encoding); {@code null}. */
    String dataJson(Event event) {
        if (event.data() == null) {
            return "null";
        }
        // data is the last member; no string can hold an unescaped quote, so the first match is the member
        String encoded = new String(codec.encode(event), StandardCharsets.UTF_8);
        return encoded.substring(encoded.indexOf(DATA_MEMBER) + DATA_MEMBER.length(), encoded.length() - 1);
    }

    private static boolean hasTimestamp(Event event) {
        return event.timestamp() != null && !event.timestamp().equals(Timestamps.GO_ZERO_TIME);
    }

    private static String where(ReceivedEvent event) {
        return event.position() != null ? "sequence " + event.position().sequence()
                : "subject " + event.subject();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\r', ' ').replace('\n', ' ');
    }
}
