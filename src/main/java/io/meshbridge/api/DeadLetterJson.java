package io.meshbridge.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.camel.StoredDeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The JSON of the dead-letter operations: a dead letter, its payload, the opaque page cursor and the ids.
 *
 * <p>A payload is shown as {@code event} with {@code encoding}: {@code "json"} when it is one JSON document
 * (the usual case; re-serialised, so whitespace is not kept, numbers are), else {@code "text"} when it is UTF-8
 * without control characters other than tab, CR and LF, else {@code "base64"} (standard alphabet, padded).
 * Stateless and thread-safe.
 */
final class DeadLetterJson {

    private static final ObjectReader STRICT = ApiJson.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final String CURSOR_PREFIX = "dlq:";

    private DeadLetterJson() {
    }

    /** The dead letter as the API shows it. */
    static ObjectNode of(StoredDeadLetter letter) {
        ObjectNode node = ApiJson.object()
                .put("id", Long.toString(letter.id()))
                .put("route", letter.route())
                .put("error", letter.error())
                .put("time", letter.stored().toString());
        put(node, "attempts", letter.deliveries());
        node.put("subject", letter.subject().isEmpty() ? null : letter.subject());
        node.put("stream", letter.stream().isEmpty() ? null : letter.stream());
        put(node, "sequence", letter.sequence());
        node.put("eventId", letter.eventId());
        node.put("eventTime", letter.streamTime() == null ? null : letter.streamTime().toString());
        payload(node, letter.data());
        return node;
    }

    private static void put(ObjectNode node, String name, long positiveOrUnknown) {
        if (positiveOrUnknown > 0) {
            node.put(name, positiveOrUnknown);
        } else {
            node.putNull(name);
        }
    }

    /** Adds {@code encoding} and {@code event} for {@code data}. */
    static void payload(ObjectNode node, byte[] data) {
        JsonNode json = json(data);
        if (json != null) {
            node.put("encoding", "json").set("event", json);
            return;
        }
        String text = text(data);
        if (text != null) {
            node.put("encoding", "text").put("event", text);
        } else {
            node.put("encoding", "base64").put("event", Base64.getEncoder().encodeToString(data));
        }
    }

    private static JsonNode json(byte[] data) {
        if (data.length == 0) {
            return null;
        }
        try {
            JsonNode node = STRICT.readTree(data);
            return node == null || node.isMissingNode() ? null : node;
        } catch (Exception e) { // not JSON, or past Jackson's read constraints: shown otherwise
            return null;
        }
    }

    private static String text(byte[] data) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 32 && c != '\t' && c != '\n' && c != '\r') || c == 127) {
                return null;
            }
        }
        return text;
    }

    /** {@code text} on one line (control characters become spaces), cut to {@code max} characters. */
    static String oneLine(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max + 1));
        for (int i = 0; i < text.length() && b.length() < max; i++) {
            char c = text.charAt(i);
            b.append(c < 32 || c == 127 ? ' ' : c);
        }
        return text.length() > max ? b.append('…').toString() : b.toString();
    }

    /** The opaque cursor of the page starting at dead letter {@code next}. */
    static String cursor(long next) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + next).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The dead letter a cursor starts at.
     *
     * @throws ApiException 400 naming {@code cursor} when it is not one of {@link #cursor}'s
     */
    static long fromCursor(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        if (!text.startsWith(CURSOR_PREFIX) || !ID.matcher(text.substring(CURSOR_PREFIX.length())).matches()) {
            throw ApiException.badRequest("cursor must be the next of a previous page of GET /api/dlq, was '"
                    + ApiJson.printable(cursor) + "'");
        }
        return Long.parseLong(text.substring(CURSOR_PREFIX.length()));
    }

    /**
     * A dead letter's id given as {@code name}: its sequence, a positive integer.
     *
     * @throws ApiException 400 naming {@code name} otherwise
     */
    static long id(String name, String text) {
        String t = text == null ? "" : text.strip();
        if (!ID.matcher(t).matches()) {
            throw ApiException.badRequest(name + " must be a dead letter's id (a positive integer), was '"
                    + ApiJson.printable(text) + "'");
        }
        return Long.parseLong(t);
    }
}
