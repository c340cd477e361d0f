package io.meshbridge.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.meshbridge.events.Timestamps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The JSON Lines format of the archive, one event per line:
 * <pre>{"stream":…,"stream_created":…,"seq":…,"subject":…,"time":…,"id":…,"event":&lt;payload verbatim&gt;}</pre>
 * The payload is always the last member, written byte for byte; a payload holding a raw line break
 * ({@code \n} or {@code \r} between JSON tokens) goes as {@code "event_b64":"<base64>"} instead, so a line
 * is always one line. Times are UTC RFC 3339 with nanoseconds. Stateless and thread-safe. Public for
 * {@link #validate}: a sink checks each record before it queues it, so that one bad record fails alone.
 */
public final class Lines {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] STREAM_MEMBER = ascii("{\"stream\":");
    private static final byte[] CREATED_MEMBER = ascii(",\"stream_created\":\"");
    private static final byte[] SEQ_MEMBER = ascii("\",\"seq\":");
    private static final byte[] SUBJECT_MEMBER = ascii(",\"subject\":");
    private static final byte[] TIME_MEMBER = ascii(",\"time\":\"");
    private static final byte[] ID_MEMBER = ascii("\",\"id\":");
    private static final byte[] EVENT_MEMBER = ascii(",\"event\":");

    private Lines() {
    }

    /** Appends the line of {@code record}, with its line break, to {@code out}. */
    static void write(ArchiveRecord record, ByteArrayOutputStream out) {
        write(record, head(record.key()), out);
    }

    /**
     * The start of every line of the stream incarnation {@code key}, up to the sequence's value: the same for all
     * its records, so a writer of many keeps it for {@link #write(ArchiveRecord, byte[], ByteArrayOutputStream)}.
     */
    static byte[] head(StreamKey key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        out.writeBytes(STREAM_MEMBER);
        string(out, key.stream());
        out.writeBytes(CREATED_MEMBER);
        asciiTo(out, Timestamps.format(key.created()));
        out.writeBytes(SEQ_MEMBER);
        return out.toByteArray();
    }

    /** {@link #write(ArchiveRecord, ByteArrayOutputStream)} with {@code head}, the {@link #head} of its key. */
    static void write(ArchiveRecord record, byte[] head, ByteArrayOutputStream out) {
        out.writeBytes(head);
        asciiTo(out, Long.toString(record.sequence()));
        out.writeBytes(SUBJECT_MEMBER);
        string(out, record.subject());
        out.writeBytes(TIME_MEMBER);
        asciiTo(out, Timestamps.format(record.time()));
        out.writeBytes(ID_MEMBER);
        string(out, record.id());
        byte[] payload = record.payload();
        if (hasLineBreak(payload)) {
            out.writeBytes(ascii(",\"event_b64\":\"" + Base64.getEncoder().encodeToString(payload) + "\""));
        } else {
            out.writeBytes(EVENT_MEMBER);
            out.writeBytes(payload);
        }
        out.write('}');
        out.write('\n');
    }

    /**
     * Parses one line (without its line break).
     *
     * @throws IOException naming what is wrong when the line is not an archive line
     */
    static ArchiveRecord parse(byte[] data, int offset, int length) throws IOException {
        String stream = null;
        String created = null;
        String subject = null;
        String time = null;
        String id = null;
        long seq = 0;
        byte[] payload = null;
        try (JsonParser p = JSON.createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "stream" -> stream = text(p, value, name);
                    case "stream_created" -> created = text(p, value, name);
                    case "seq" -> seq = number(p, value);
                    case "subject" -> subject = text(p, value, name);
                    case "time" -> time = text(p, value, name);
                    case "id" -> id = text(p, value, name);
                    case "event" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new IOException("member 'event' is not a JSON object");
                        }
                        p.skipChildren();
                        payload = rawEvent(data, offset, length);
                    }
                    case "event_b64" -> payload = Base64.getDecoder().decode(text(p, value, name));
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("unexpected content after the object");
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid member: " + e.getMessage(), e);
        }
        if (stream == null || created == null || seq < 1 || subject == null || time == null || id == null
                || payload == null) {
            throw new IOException("missing members (stream, stream_created, seq, subject, time, id, event)");
        }
        try {
            return new ArchiveRecord(stream, Timestamps.parse(created), seq, subject, Timestamps.parse(time), id,
                    payload);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The payload of the {@code event} member: the bytes between {@code ,"event":} and the final brace. */
    private static byte[] rawEvent(byte[] data, int offset, int length) throws IOException {
        // Inside an escaped JSON string every quote follows a backslash, so the first ',"event":' that is not
        // inside a string is the member; the members before it are the writer's own strings and numbers.
        int at = indexOf(data, offset, offset + length, EVENT_MEMBER);
        int end = offset + length - 1;
        if (at < 0 || data[end] != '}') {
            throw new IOException("member 'event' is not where the archive writes it");
        }
        return java.util.Arrays.copyOfRange(data, at + EVENT_MEMBER.length, end);
    }

    private static int indexOf(byte[] data, int from, int to, byte[] pattern) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String text(JsonParser p, JsonToken value, String name) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new IOException("member '" + name + "' is not a string");
        }
        return p.getText();
    }

    private static long number(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new IOException("member 'seq' is not an integer");
        }
        return p.getLongValue();
    }

    /**
     * Checks what {@link #write} relies on: a payload that is one JSON object (first and last non-blank bytes are
     * braces; the caller guarantees the rest, having decoded it) and times Go's RFC 3339 can write.
     *
     * @throws IllegalArgumentException naming the record
     */
    public static void validate(ArchiveRecord record) {
        byte[] p = record.payload();
        int first = 0;
        int last = p.length - 1;
        while (first < p.length && isBlank(p[first])) {
            first++;
        }
        while (last > first && isBlank(p[last])) {
            last--;
        }
        if (first >= last || p[first] != '{' || p[last] != '}') {
            throw new IllegalArgumentException("payload of " + record.stream() + " #" + record.sequence()
                    + " is not a JSON object; undecodable events take the dead-letter path, not the archive");
        }
        Timestamps.requireFormattable(record.time());
        Timestamps.requireFormattable(record.streamCreated());
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    static boolean hasLineBreak(byte[] payload) {
        for (byte b : payload) {
            if (b == '\n' || b == '\r') {
                return true;
            }
        }
        return false;
    }

    private static void string(ByteArrayOutputStream out, String value) {
        out.write('"');
        if (isPlain(value)) {
            asciiTo(out, value);
        } else {
            out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(value));
        }
        out.write('"');
    }

    /** Printable ASCII that JSON writes as it is. */
    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static void asciiTo(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
