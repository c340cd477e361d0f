package io.meshbridge.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a request body that must be one JSON object, within limits: at most {@code maxBody} bytes,
 * nesting at most {@code maxDepth} deep (the object itself is level 1), numbers at most 4,300 digits.
 * Integers keep their exact value and fractions decode as {@code BigDecimal}, as the event codec expects, so
 * nothing is rounded on the way into the stream. Shared by the HTTP ingest and the broker ingests
 * ({@code io.meshbridge.bridge}), so every source has the same limits. Immutable and thread-safe.
 */
public final class JsonBodies {

    private static final int MAX_NUMBER_LENGTH = 4300;

    private final int maxBody;
    private final int maxDepth;
    private final JsonFactory factory;
    private final ObjectReader reader;

    /** Limits of {@code maxBody} bytes and {@code maxDepth} levels. */
    public JsonBodies(int maxBody, int maxDepth) {
        this.maxBody = maxBody;
        this.maxDepth = maxDepth;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxDocumentLength(maxBody)
                        .maxStringLength(maxBody)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
                .build();
        this.reader = new ObjectMapper(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readerFor(LinkedHashMap.class);
    }

    /** The largest body accepted, in bytes. */
    public int maxBody() {
        return maxBody;
    }

    /**
     * The body as a JSON object.
     *
     * @throws IngestFailure 413 above the size limit, 400 for anything that is not one JSON object within the
     *                       limits (with the parser's reason)
     */
    public Map<String, Object> object(byte[] body) throws IngestFailure {
        if (body.length > maxBody) {
            throw new IngestFailure(413, "body of " + body.length + " bytes is larger than the limit of " + maxBody
                    + " bytes");
        }
        if (body.length == 0) {
            throw new IngestFailure(400, "body is empty: expected a JSON object");
        }
        try (JsonParser parser = factory.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IngestFailure(400, "body must be a JSON object, was " + kind(first));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = reader.readValue(parser, LinkedHashMap.class);
            if (parser.nextToken() != null) {
                throw new IngestFailure(400, "invalid JSON: more after the object (at byte "
                        + parser.currentTokenLocation().getByteOffset() + ")");
            }
            return map;
        } catch (StreamConstraintsException e) {
            String reason = e.getOriginalMessage();
            if (reason != null && reason.contains("nesting depth")) {
                throw new IngestFailure(400, "body is nested deeper than " + maxDepth + " levels");
            }
            throw new IngestFailure(400, "invalid JSON: " + oneLine(reason));
        } catch (JsonProcessingException e) {
            throw new IngestFailure(400, "invalid JSON: " + oneLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " (at byte " + e.getLocation().getByteOffset() + ")"));
        } catch (IOException e) {
            throw new IngestFailure(400, "invalid JSON: " + oneLine(e.getMessage()));
        }
    }

    private static String kind(JsonToken token) {
        if (token == null) {
            return "empty";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }
}
