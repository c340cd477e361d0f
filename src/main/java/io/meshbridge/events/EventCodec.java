package io.meshbridge.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes and decodes the JSON envelope of mesh events, byte-compatible with the reference producers.
 *
 * <p><b>Encoding</b> writes what Go's {@code encoding/json} (Go 1.22 and later; the reference builds with
 * 1.25) writes for the reference {@code Event} struct: the four members in Go's order ({@code type, node,
 * timestamp, data}), no whitespace, the timestamp as Go's RFC3339Nano in UTC (Go's zero time when the event
 * has none), the keys of every map sorted by their UTF-8 bytes, non-ASCII as raw UTF-8, and strings escaped as
 * Go escapes them: {@code \"} and {@code \\}, the short escapes {@code \b \f \n \r \t}, every other
 * control character as <code>&#92;u00xx</code> with lower-case hex, {@code <}, {@code >}, {@code &} as
 * <code>&#92;u003c &#92;u003e &#92;u0026</code>, U+2028 and U+2029 as <code>&#92;u2028 &#92;u2029</code>, and an
 * unpaired surrogate, which has no UTF-8 form, as <code>&#92;ufffd</code> (Go's replacement for invalid UTF-8).
 * Numbers are written exactly: integers and {@code BigDecimal} as their decimal text, {@code Double} and
 * {@code Float} as Go writes {@code float64} and {@code float32} (shortest form, exponent only below 1e-6 and
 * from 1e21). So an event whose timestamp is in UTC is encoded to the very bytes Go writes for it. Data
 * values must be JSON values ({@code null}, {@code String}, {@code Boolean}, a finite {@code Number} of a
 * standard type, a {@code Map} with string or integer keys, a {@code Collection}), nested at most
 * {@link #MAX_DEPTH} deep.
 *
 * <p><b>Decoding</b> accepts the envelope from Go (any offset, 0 to 9 fraction digits), from the Python SDK
 * (spaces after separators, whole UTC seconds) and the reconnect notice of the reference node, which has no
 * {@code type}: the type is then taken from the subject and the result says so. Members may come in any
 * order; unknown members are ignored (and kept in the raw bytes). A repeated member behaves as in Go: the last
 * string wins, {@code null} leaves a string member as it was, and a repeated {@code data} object is merged into
 * the earlier one. Integers keep their exact value ({@code Integer}, {@code Long} or {@code BigInteger}),
 * fractions decode as {@code BigDecimal}, so nothing is rounded. Anything else (not JSON or not UTF-8, not an
 * object, empty, members of the wrong kind, an invalid type or timestamp, nesting deeper than
 * {@link #MAX_DEPTH}, a number longer than 4,300 digits, a payload above the maximum payload) is an
 * {@link EventDecodeException} carrying the subject and the bytes.
 *
 * <p>Instances are immutable and thread-safe; share one.
 */
public final class EventCodec {

    /**
     * Deepest nesting of JSON objects and arrays in a payload, the envelope object counting as level 1 and
     * the {@code data} object as level 2. Decoding refuses deeper payloads, encoding deeper (or cyclic) data.
     */
    public static final int MAX_DEPTH = 64;

    /** nats-server's default maximum payload (1 MiB). */
    public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;

    /**
     * Longest number accepted, in characters: Python's default limit on integer digits, so every integer the
     * Python SDK can write decodes, while a hostile payload cannot make the decoder parse a huge number.
     */
    private static final int MAX_NUMBER_LENGTH = 4300;

    private static final EventCodec DEFAULT = new EventCodec(DEFAULT_MAX_PAYLOAD);

    private final int maxPayload;
    private final JsonFactory factory;
    private final ObjectReader mapReader;

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
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.mapReader = mapper.readerFor(LinkedHashMap.class);
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
     * @throws IllegalArgumentException when a data value is not a JSON value, the data is nested deeper than
     *                                  {@link #MAX_DEPTH}, the timestamp's year is outside 0..9999, or the
     *                                  encoded event is larger than the maximum payload
     */
    public byte[] encode(Event event) {
        return encode(event, event.node(), event.timestamp());
    }

    /**
     * Encodes {@code event} with another node and timestamp, as {@link Bus} stamps an event on emit, without
     * building a second {@link Event}.
     */
    byte[] encode(Event event, String node, Instant timestamp) {
        GoJson.GoJsonWriter out = new GoJson.GoJsonWriter(maxPayload);
        try {
            out.ascii("{\"type\":");
            out.string(event.type());
            out.ascii(",\"node\":");
            out.string(node);
            out.ascii(",\"timestamp\":\"");
            out.ascii(Timestamps.format(timestamp == null ? Timestamps.GO_ZERO_TIME : timestamp));
            out.ascii("\",\"data\":");
            if (event.data() == null) {
                out.ascii("null");
            } else {
                out.object(event.data(), 2);
            }
            out.put('}');
        } catch (GoJson.PayloadTooLarge e) {
            throw new IllegalArgumentException("encoded event of type " + event.type()
                    + " is larger than the maximum payload of " + maxPayload + " bytes");
        }
        return out.toByteArray();
    }

    /**
     * Decodes a payload received on {@code subject}.
     *
     * @return the event with its raw bytes; id and position are {@code null} (see
     *         {@link ReceivedEvent#withDelivery})
     * @throws EventDecodeException when the payload is not an event
     */
    public ReceivedEvent decode(String subject, byte[] payload) throws EventDecodeException {
        Members m = read(subject, payload, true);
        Event event = new Event(m.type, m.node == null ? "" : m.node, m.timestamp, m.data);
        return new ReceivedEvent(event, subject, payload, m.typeInferred, null, null);
    }

    /**
     * Checks that {@code payload} is an event envelope and reads its type, node and timestamp, without building
     * its data: the same rules and the same errors as {@link #decode} for the envelope and its members; the data
     * is checked to be an object (or {@code null}) of well-formed JSON within the nesting limit. Cheaper than
     * {@link #decode}; decode later what a step needs.
     *
     * @throws EventDecodeException when {@link #decode} would refuse the envelope
     */
    public EventHead scan(String subject, byte[] payload) throws EventDecodeException {
        if (payload != null && payload.length > 0 && payload.length <= maxPayload) {
            EnvelopeScanner.Members plain = EnvelopeScanner.scan(payload, MAX_DEPTH);
            EventHead head = plain == null ? null : plainHead(Objects.requireNonNull(subject, "subject"), plain);
            if (head != null) {
                return head;
            }
        }
        return scanWithParser(subject, payload);
    }

    /** {@link #scan} by the full parser alone. */
    EventHead scanWithParser(String subject, byte[] payload) throws EventDecodeException {
        Members m = read(subject, payload, false);
        return new EventHead(m.type, m.node == null ? "" : m.node, m.timestamp, m.typeInferred);
    }

    /** The head of a plain envelope, or {@code null} when a member is invalid (the parser then says why). */
    private static EventHead plainHead(String subject, EnvelopeScanner.Members plain) {
        try {
            String type = plain.type() != null ? plain.type() : EventTypes.typeOfSubject(subject);
            if (type == null) {
                return null;
            }
            Instant timestamp = plain.timestamp() == null ? null : Timestamps.parse(plain.timestamp());
            return new EventHead(type, plain.node() == null ? "" : plain.node(), timestamp, plain.type() == null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Members read(String subject, byte[] payload, boolean withData) throws EventDecodeException {
        Objects.requireNonNull(subject, "subject");
        if (payload == null || payload.length == 0) {
            throw new EventDecodeException(subject, payload, "empty payload", null);
        }
        if (payload.length > maxPayload) {
            throw new EventDecodeException(subject, payload,
                    "payload of " + payload.length + " bytes is above the maximum of " + maxPayload + " bytes", null);
        }
        try (JsonParser p = factory.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new EventDecodeException(subject, payload, "not a JSON object", null);
            }
            Members m = readMembers(subject, payload, p, withData);
            if (p.nextToken() != null) {
                throw new EventDecodeException(subject, payload, "unexpected content after the JSON object", null);
            }
            if (m.type == null) {
                m.type = EventTypes.typeOfSubject(subject);
                if (m.type == null) {
                    throw new EventDecodeException(subject, payload,
                            "no \"type\" member and the subject does not name a type", null);
                }
                m.typeInferred = true;
            }
            String problem = EventTypes.typeProblem(m.type);
            if (problem != null) {
                throw new EventDecodeException(subject, payload, problem, null);
            }
            if (m.node != null) {
                EventHead.requireValidNode(m.node);
            }
            return m;
        } catch (IOException e) {
            StreamConstraintsException limit = limitExceeded(e);
            String reason = limit != null ? "beyond the codec's limits: " + firstLine(limit.getOriginalMessage())
                    : "not valid JSON: " + firstLine(e.getMessage());
            throw new EventDecodeException(subject, payload, reason, e);
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.toString();
            throw new EventDecodeException(subject, payload, reason, e);
        }
    }

    /**
     * Reads the members of the envelope as Go's {@code encoding/json} fills the reference struct: the last of
     * repeated members wins, except that {@code null} leaves a string or the timestamp as it was and a repeated
     * {@code data} object is merged into the map of the earlier one.
     */
    private Members readMembers(String subject, byte[] payload, JsonParser p, boolean withData)
            throws IOException, EventDecodeException {
        Members m = new Members();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> m.type = text(subject, payload, p, value, "type", m.type);
                case "node" -> m.node = text(subject, payload, p, value, "node", m.node);
                case "timestamp" -> {
                    String ts = text(subject, payload, p, value, "timestamp", null);
                    if (ts != null) {
                        m.timestamp = Timestamps.parse(ts);
                    }
                }
                case "data" -> {
                    if (value == JsonToken.START_OBJECT && !withData) {
                        p.skipChildren();
                    } else if (value == JsonToken.START_OBJECT) {
                        Map<String, Object> data = mapReader.readValue(p);
                        if (m.data == null) {
                            m.data = data;
                        } else {
                            m.data.putAll(data);
                        }
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

    private static String text(String subject, byte[] payload, JsonParser p, JsonToken token, String member,
                               String ifNull) throws IOException, EventDecodeException {
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return ifNull;
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

    private static StreamConstraintsException limitExceeded(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return limit;
            }
        }
        return null;
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
        boolean typeInferred;
    }
}
