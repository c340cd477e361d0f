package io.meshbridge.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.events.Timestamps;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manifest beside a finished file ({@code <file>.manifest.json}): what the file holds and its checksum.
 * {@code first_seq}/{@code last_seq} and {@code first_time}/{@code last_time} are the lowest and highest;
 * {@code ranges} lists the sequences the file holds as inclusive ranges.
 */
record Manifest(String file, String worker, Compression compression, String stream, Instant streamCreated,
                long firstSequence, long lastSequence, Instant firstTime, Instant lastTime, long count,
                long bytes, String sha256, List<SequenceRange> ranges) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HEADER_MEMBERS = Set.of("stream", "stream_created", "first_seq", "last_seq",
            "first_time", "last_time");

    /**
     * What a manifest says about its file without the file's sequences: read without the {@code ranges}, whose
     * length grows with the file's events.
     *
     * @param key           the file's stream incarnation
     * @param firstSequence its lowest sequence
     * @param lastSequence  its highest sequence
     * @param firstTime     its lowest stream time
     * @param lastTime      its highest stream time
     */
    record Header(StreamKey key, long firstSequence, long lastSequence, Instant firstTime, Instant lastTime) {
    }

    /**
     * Reads the header of the manifest {@code path}, stopping before the ranges (which this package writes
     * last).
     *
     * @throws IOException when it cannot be read, is not a JSON object or a member is missing or invalid
     */
    static Header readHeader(Path path) throws IOException {
        Map<String, JsonNode> found = new HashMap<>();
        try (InputStream in = Files.newInputStream(path); JsonParser p = JSON.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("invalid manifest " + path + ": not a JSON object");
            }
            while (found.size() < HEADER_MEMBERS.size() && p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (HEADER_MEMBERS.contains(name)) {
                    found.put(name, p.readValueAsTree());
                } else {
                    p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("invalid manifest " + path + ": " + e.getOriginalMessage(), e);
        }
        try {
            JsonNode o = JSON.valueToTree(found);
            return new Header(new StreamKey(text(o, "stream"), Timestamps.parse(text(o, "stream_created"))),
                    required(o, "first_seq").asLong(), required(o, "last_seq").asLong(),
                    Timestamps.parse(text(o, "first_time")), Timestamps.parse(text(o, "last_time")));
        } catch (RuntimeException e) {
            throw new IOException("invalid manifest " + path + ": " + e.getMessage(), e);
        }
    }

    static Manifest of(ArchiveFileName name, FileSummary summary, long bytes, String sha256) {
        return new Manifest(name.finished(), name.worker(), name.compression(), summary.key().stream(),
                summary.key().created(), summary.sequences().min(), summary.sequences().max(),
                summary.firstTime(), summary.lastTime(), summary.count(), bytes, sha256,
                summary.sequences().ranges());
    }

    StreamKey key() {
        return new StreamKey(stream, streamCreated);
    }

    /** Where this manifest is, beside its file in {@code directory}. */
    Path path(Path directory) {
        return directory.resolve(file + ArchiveFileName.MANIFEST_SUFFIX);
    }

    SequenceRanges sequences() {
        SequenceRanges out = new SequenceRanges();
        ranges.forEach(r -> out.addRange(r.first(), r.last()));
        return out;
    }

    byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", file);
        o.put("worker", worker);
        o.put("compression", compression.name().toLowerCase(java.util.Locale.ROOT));
        o.put("stream", stream);
        o.put("stream_created", Timestamps.format(streamCreated));
        o.put("first_seq", firstSequence);
        o.put("last_seq", lastSequence);
        o.put("first_time", Timestamps.format(firstTime));
        o.put("last_time", Timestamps.format(lastTime));
        o.put("count", count);
        o.put("bytes", bytes);
        o.put("sha256", sha256);
        ArrayNode array = o.putArray("ranges");
        ranges.forEach(r -> array.addArray().add(r.first()).add(r.last()));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Parses a manifest.
     *
     * @throws IOException when it is not valid JSON or a member is missing or invalid
     */
    static Manifest parse(byte[] json) throws IOException {
        try {
            JsonNode o = JSON.readTree(json);
            List<SequenceRange> ranges = new ArrayList<>();
            for (JsonNode r : required(o, "ranges")) {
                ranges.add(new SequenceRange(r.get(0).asLong(), r.get(1).asLong()));
            }
            return new Manifest(text(o, "file"), text(o, "worker"),
                    Compression.valueOf(text(o, "compression").toUpperCase(java.util.Locale.ROOT)),
                    text(o, "stream"), Timestamps.parse(text(o, "stream_created")),
                    required(o, "first_seq").asLong(), required(o, "last_seq").asLong(),
                    Timestamps.parse(text(o, "first_time")), Timestamps.parse(text(o, "last_time")),
                    required(o, "count").asLong(), required(o, "bytes").asLong(), text(o, "sha256"), ranges);
        } catch (RuntimeException e) {
            throw new IOException("invalid manifest: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode o, String name) throws IOException {
        JsonNode value = o == null ? null : o.get(name);
        if (value == null || value.isNull()) {
            throw new IOException("manifest member '" + name + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode o, String name) throws IOException {
        return required(o, name).asText();
    }
}
