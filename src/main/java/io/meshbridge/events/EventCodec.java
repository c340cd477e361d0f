package io.meshbridge.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes and decodes the JSON envelope of mesh events, byte-compatible with the reference producers.
 *
 * <p><b>Encoding</b> writes the four members in Go's order ({@code type, node, timestamp, data}), the
 * timestamp as Go's RFC3339Nano in UTC, the keys of every map in {@code data} sorted as Go sorts map keys,
 * and {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped as Go's {@code encoding/json} does; an
 * event without a timestamp is written with Go's zero time. So an event encoded here is the same bytes Go
 * would write for it.
 *
 * <p><b>Decoding</b> accepts the envelope from Go (any offset, 0 to 9 fraction digits), from the Python SDK
 * (spaces after separators, whole UTC seconds) and the reconnect notice of the reference node, which has no
 * {@code type}: the type is then taken from the subject and the result says so. Members may come in any
 * order; unknown members are ignored (and kept in the raw bytes). Integers keep their exact value
 * ({@code Integer}, {@code Long} or {@code BigInteger}), fractions decode as {@code BigDecimal}, so nothing is
 * rounded. Anything else (not JSON, not an object, empty, members of the wrong kind, an invalid type,
 * nesting deeper than {@link #MAX_DEPTH}, a payload above the maximum payload) is an
 * {@link EventDecodeException} carrying the subject and the bytes.
 *
 * <p>Instances are immutable and thread-safe; share one.
 */
public final class EventCodec {

    /** Deepest nesting of JSON objects and arrays accepted in a payload. */
    public static final int MAX_DEPTH = 64;

    /** nats-server's default maximum payload (1 MiB). */
    public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;

    private static final EventCodec DEFAULT = new EventCodec(DEFAULT_MAX_PAYLOAD);

    private final int maxPayload;
    private final JsonFactory factory;
    private final ObjectReader mapReader;
    private final ObjectWriter dataWriter;

    /**
     * A codec that refuses payloads above {@code maxPayload} bytes (use the server's max payload, which a
     * connection reports).
     */
    public EventCodec(int maxPayload) {
        if (maxPayload < 64) {
            throw new IllegalArgumentException("maxPayload must be at least 64 bytes, was " + maxPayload);
        }
        this.maxPayload = maxPayload;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxDocumentLength(maxPayload)
                        .maxStringLength(maxPayload)
                        .maxNumberLength(maxPayload)
                        .build())
                .build();
        this.factory.setCharacterEscapes(GoEscapes.INSTANCE);
        ObjectMapper mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        this.mapReader = mapper.readerFor(LinkedHashMap.class);
        this.dataWriter = mapper.writer();
    }

    /** The shared codec with nats-server's default maximum payload. */
    public static EventCodec defaults() {
        return DEFAULT;
    }

    /** The largest payload, in bytes, this codec encodes or decodes. */
    public int maxPayload() {
        return maxPayload;
    }

    /**
     * Encodes an event in the Go form.
     *
     * @throws IllegalArgumentException when a data value is not a JSON value, or the encoded event is larger
     *                                  than the maximum payload
     */
    public byte[] encode(Event event) {
        ByteArrayBuilder out = new ByteArrayBuilder(factory._getBufferRecycler(), 256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", event.type());
            g.writeStringField("node", event.node());
            Instant ts = event.timestamp() == null ? Timestamps.GO_ZERO_TIME : event.timestamp();
            g.writeStringField("timestamp", Timestamps.format(ts));
            g.writeFieldName("data");
            if (event.data() == null) {
                g.writeNull();
            } else {
                dataWriter.writeValue(g, event.data());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON: " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        if (bytes.length > maxPayload) {
            throw new IllegalArgumentException("encoded event of type " + event.type() + " is " + bytes.length
                    + " bytes, above the maximum payload of " + maxPayload + " bytes");
        }
        return bytes;
    }

    /**
     * Decodes a payload received on {@code subject}.
     *
     * @return the event with its raw bytes; id and position are {@code null} (see
     *         {@link ReceivedEvent#withDelivery})
     * @throws EventDecodeException when the payload is not an event
     */
    public ReceivedEvent decode(String subject, byte[] payload) throws EventDecodeException {
        if (payload == null || payload.length == 0) {
            throw new EventDecodeException(subject, payload, "empty payload", null);
        }
        if (payload.length > maxPayload) {
            throw new EventDecodeException(subject, payload,
                    "payload of " + payload.length + " bytes is above the maximum of " + maxPayload, null);
        }
        try (JsonParser p = factory.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new EventDecodeException(subject, payload, "not a JSON object", null);
            }
            Members m = readMembers(subject, payload, p);
            if (p.nextToken() != null) {
                throw new EventDecodeException(subject, payload, "unexpected content after the JSON object", null);
            }
            boolean inferred = false;
            String type = m.type;
            if (type == null) {
                type = EventTypes.typeOfSubject(subject);
                if (type == null) {
                    throw new EventDecodeException(subject, payload,
                            "no \"type\" member and the subject does not name a type", null);
                }
                inferred = true;
            }
            String problem = EventTypes.typeProblem(type);
            if (problem != null) {
                throw new EventDecodeException(subject, payload, problem, null);
            }
            Event event = new Event(type, m.node == null ? "" : m.node, m.timestamp, m.data);
            return new ReceivedEvent(event, subject, payload, inferred, null, null);
        } catch (IOException e) {
            throw new EventDecodeException(subject, payload, "not valid JSON: " + firstLine(e.getMessage()), e);
        } catch (IllegalArgumentException e) {
            throw new EventDecodeException(subject, payload, e.getMessage(), e);
        }
    }

    private Members readMembers(String subject, byte[] payload, JsonParser p)
            throws IOException, EventDecodeException {
        Members m = new Members();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> m.type = text(subject, payload, p, value, "type");
                case "node" -> m.node = text(subject, payload, p, value, "node");
                case "timestamp" -> {
                    String ts = text(subject, payload, p, value, "timestamp");
                    m.timestamp = ts == null ? null : Timestamps.parse(ts);
                }
                case "data" -> {
                    if (value == JsonToken.START_OBJECT) {
                        m.data = mapReader.readValue(p);
                    } else if (value == JsonToken.VALUE_NULL) {
                        m.data = null;
                    } else {
                        throw new EventDecodeException(subject, payload,
                                "\"data\" must be an object or null, was " + describe(value), null);
                    }
                }
                default -> p.skipChildren();
            }
        }
        return m;
    }

    private static String text(String subject, byte[] payload, JsonParser p, JsonToken token, String member)
            throws IOException, EventDecodeException {
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new EventDecodeException(subject, payload,
                "\"" + member + "\" must be a string, was " + describe(token), null);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "a string";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static final class Members {
        String type;
        String node;
        Instant timestamp;
        Map<String, Object> data;
    }

    /** The characters Go's encoding/json escapes beyond what JSON requires. */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        static final GoEscapes INSTANCE = new GoEscapes();
        private final int[] ascii;

        private GoEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '<' -> new SerializedString("\\u003c");
                case '>' -> new SerializedString("\\u003e");
                case '&' -> new SerializedString("\\u0026");
                case 0x2028 -> new SerializedString("\\u2028");
                case 0x2029 -> new SerializedString("\\u2029");
                default -> null;
            };
        }
    }
}
