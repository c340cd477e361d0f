package io.meshbridge.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The CloudEvents 1.0 structured JSON form of a mesh event ({@code application/cloudevents+json}):
 *
 * <pre>{"specversion":"1.0","id":"&lt;event id&gt;","source":"urn:jb-mesh:node:&lt;node&gt;","type":"&lt;type&gt;",
 * "subject":"&lt;NATS subject&gt;","time":"&lt;timestamp&gt;","datacontenttype":"application/json","data":{...}}</pre>
 *
 * <ul>
 *   <li>{@code type} is the event type as is ({@code tool.crashed}), {@code source} the producing node,
 *   percent-encoded where a URN needs it ({@code urn:jb-mesh:node:} when the event names no node).</li>
 *   <li>{@code time} is the envelope's own {@code timestamp} text, unchanged (RFC 3339 already); left out when
 *   the event has none, or has Go's zero time, which Go producers write for "never set".</li>
 *   <li>{@code data} is the envelope's {@code data} object byte for byte, copied, not re-encoded; left out when the
 *   envelope's data is {@code null} or absent. In the rare envelope with a repeated {@code data} member the
 *   objects are merged as the decoder merges them, and that merged object is re-encoded.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class CloudEvent {

    /** The URN prefix of {@code source}. */
    public static final String SOURCE_PREFIX = "urn:jb-mesh:node:";

    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(EventCodec.MAX_DEPTH).build())
            .build();
    private static final ObjectMapper TREES = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CloudEvent() {
    }

    /**
     * The structured CloudEvent of an event.
     *
     * @param raw     the event's envelope as stored (checked by {@link EventCodec#scan})
     * @param subject the NATS subject it was stored on
     * @param id      the event's id ({@code Nats-Msg-Id}, else {@code <stream>:<sequence>})
     * @param head    the envelope's type, node and timestamp, as {@link EventCodec#scan} read them
     * @return the UTF-8 JSON body
     * @throws IllegalArgumentException when {@code raw} is not a JSON object (it was not scanned)
     */
    public static byte[] encode(byte[] raw, String subject, String id, EventHead head) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(head, "head");
        if (Objects.requireNonNull(id, "id").isEmpty()) {
            throw new IllegalArgumentException("event id must not be empty");
        }
        Members m = members(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 256);
        ascii(out, "{\"specversion\":\"1.0\",\"id\":");
        string(out, id);
        ascii(out, ",\"source\":");
        string(out, SOURCE_PREFIX + urnPart(head.node()));
        ascii(out, ",\"type\":");
        string(out, head.type());
        ascii(out, ",\"subject\":");
        string(out, subject);
        if (m.time != null && !m.time.equals(ZERO_TIME)) {
            ascii(out, ",\"time\":");
            string(out, m.time);
        }
        ascii(out, ",\"datacontenttype\":\"application/json\"");
        if (m.merged != null) {
            ascii(out, ",\"data\":");
            try {
                out.write(TREES.writeValueAsBytes(m.merged));
            } catch (IOException e) {
                throw new IllegalStateException("cannot re-encode the merged data", e);
            }
        } else if (m.dataStart >= 0) {
            ascii(out, ",\"data\":");
            out.write(raw, m.dataStart, m.dataEnd - m.dataStart);
        }
        out.write('}');
        return out.toByteArray();
    }

    /** Where the envelope's data is, and its timestamp text: the last non-null one wins, as in decoding. */
    private static final class Members {
        String time;
        int dataStart = -1;
        int dataEnd = -1;
        ObjectNode merged;
    }

    private static Members members(byte[] raw) {
        Members m = new Members();
        try (JsonParser p = FACTORY.createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("event envelope is not a JSON object");
            }
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                if ("timestamp".equals(name) && value == JsonToken.VALUE_STRING) {
                    m.time = p.getText();
                } else if ("data".equals(name) && value == JsonToken.START_OBJECT) {
                    data(raw, p, m);
                } else if ("data".equals(name) && value == JsonToken.VALUE_NULL) {
                    m.dataStart = -1;
                    m.merged = null;
                } else {
                    p.skipChildren();
                }
            }
            return m;
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("event envelope is not valid JSON: " + why, e);
        }
    }

    private static void data(byte[] raw, JsonParser p, Members m) throws IOException {
        if (m.dataStart < 0 && m.merged == null) {
            m.dataStart = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            m.dataEnd = (int) p.currentLocation().getByteOffset();
            return;
        }
        // a repeated data object: merged into the earlier one, as EventCodec decodes it
        if (m.merged == null) {
            try (JsonParser first = FACTORY.createParser(raw, m.dataStart, m.dataEnd - m.dataStart)) {
                m.merged = (ObjectNode) TREES.readTree(first);
            }
        }
        m.merged.setAll((ObjectNode) TREES.readTree(p));
    }

    /** The node as a URN's namespace-specific part: unreserved, sub-delims, ':' and '@' kept, the rest %XX. */
    static String urnPart(String node) {
        StringBuilder out = new StringBuilder(node.length());
        for (byte b : node.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
            if (keep) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        out.write('"');
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(s));
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
