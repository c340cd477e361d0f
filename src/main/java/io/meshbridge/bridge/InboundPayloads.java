package io.meshbridge.bridge;

import io.meshbridge.ingest.IngestFailure;
import io.meshbridge.ingest.JsonBodies;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a broker message's payload into the data of an event, with the rules and limits of the HTTP ingest
 * ({@link JsonBodies}: at most {@code maxBody} bytes, nesting at most {@code maxDepth} deep, exact numbers).
 *
 * <ul>
 *   <li>A payload that is one JSON object within the limits becomes the data as it is.</li>
 *   <li>A payload larger than {@code maxBody}, or one that starts as a JSON object ({@code {}) but is
 *   malformed or nested too deep, is refused with the reason (the bridge dead-letters it), as HTTP answers
 *   413 or 400.</li>
 *   <li>Any other payload (a JSON array or scalar, text, binary, empty) is not a JSON object: with
 *   {@link NonJson#WRAP} it becomes {@code {"payload": "<the payload as UTF-8 text>"}}, or
 *   {@code {"payload_b64": "<base64>"}} when it is not valid UTF-8; with {@link NonJson#DEAD_LETTER} it is
 *   refused.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class InboundPayloads {

    /** What becomes of a payload that is not a JSON object. */
    public enum NonJson {
        /** Wrapped into {@code {"payload": ...}} or {@code {"payload_b64": ...}}. */
        WRAP,
        /** Refused: dead-lettered by the bridge. */
        DEAD_LETTER;

        /** {@code wrap} or {@code deadLetter}, naming the parameter when it is neither. */
        public static NonJson parse(String parameter, String value) {
            String v = value == null ? "" : value.trim();
            if (v.equalsIgnoreCase("wrap")) {
                return WRAP;
            }
            if (v.equalsIgnoreCase("deadLetter") || v.equalsIgnoreCase("dead-letter")) {
                return DEAD_LETTER;
            }
            throw new IllegalArgumentException(parameter + " must be wrap or deadLetter, was '" + value + "'");
        }
    }

    /** A payload refused with a reason that names the rule (never the payload). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final JsonBodies bodies;
    private final NonJson nonJson;

    /** Payload rules with the HTTP ingest's limits {@code maxBody} and {@code maxDepth}. */
    public InboundPayloads(int maxBody, int maxDepth, NonJson nonJson) {
        this.bodies = new JsonBodies(maxBody, maxDepth);
        this.nonJson = nonJson;
    }

    /**
     * The event data for {@code payload}.
     *
     * @throws Refused when the payload is refused by the limits, or is not a JSON object with
     *                 {@link NonJson#DEAD_LETTER}
     */
    public Map<String, Object> data(byte[] payload) throws Refused {
        if (payload.length > bodies.maxBody()) {
            throw new Refused("payload of " + payload.length + " bytes is larger than the limit of "
                    + bodies.maxBody() + " bytes");
        }
        if (startsAsObject(payload)) {
            try {
                return bodies.object(payload);
            } catch (IngestFailure e) {
                throw new Refused(e.getMessage());
            }
        }
        if (nonJson == NonJson.DEAD_LETTER) {
            throw new Refused("payload is not a JSON object");
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        String text = utf8(payload);
        if (text != null) {
            wrapped.put("payload", text);
        } else {
            wrapped.put("payload_b64", Base64.getEncoder().encodeToString(payload));
        }
        return wrapped;
    }

    private static boolean startsAsObject(byte[] payload) {
        int i = 0;
        if (payload.length >= 3 && (payload[0] & 0xff) == 0xef && (payload[1] & 0xff) == 0xbb
                && (payload[2] & 0xff) == 0xbf) {
            i = 3; // a UTF-8 byte order mark
        }
        for (; i < payload.length; i++) {
            byte b = payload[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    private static String utf8(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
