package io.meshbridge.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Test helpers that read archives with plain java.util.zip and Jackson, not through the product's reader.
 * Public for the tests of the Camel adapter ({@code io.meshbridge.archive.camel}).
 */
public final class ArchiveTesting {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Instant CREATED = Instant.parse("2026-11-01T00:00:00Z");
    public static final Instant T0 = Instant.parse("2026-11-29T10:45:28.123456789Z");

    private ArchiveTesting() {
    }

    /** One reference payload: name, subject, exact bytes. */
    public record Sample(String name, String subject, byte[] payload) {
        boolean malformed() {
            return name.startsWith("malformed-");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Sample> decodableSamples() {
        return samples(false);
    }

    /** The reference payloads that are not events (they belong in the dead-letter stream). */
    public static List<Sample> malformedSamples() {
        return samples(true);
    }

    private static List<Sample> samples(boolean malformed) {
        String text;
        try (InputStream in = ArchiveTesting.class.getResourceAsStream("/reference/samples.tsv")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            String[] cols = line.split("\t", 3);
            Sample s = new Sample(cols[0], cols[1], cols[2].getBytes(StandardCharsets.UTF_8));
            if (s.malformed() == malformed) {
                out.add(s);
            }
        }
        return out;
    }

    public static byte[] payload(String type, int n) {
        return ("{\"type\":\"" + type + "\",\"node\":\"node-a\",\"timestamp\":\"2026-11-29T10:45:28Z\","
                + "\"data\":{\"n\":" + n + "}}").getBytes(StandardCharsets.UTF_8);
    }

    public static ArchiveRecord record(long seq, String subject, Instant time) {
        return record("events", CREATED, seq, subject, time);
    }

    public static ArchiveRecord record(String stream, Instant created, long seq, String subject, Instant time) {
        String type = subject.startsWith("events.") ? subject.substring(7) : subject;
        return new ArchiveRecord(stream, created, seq, subject, time, stream + ":" + seq, payload(type, (int) seq));
    }

    /** {@code count} records of one subject with sequences from {@code first}, one millisecond apart. */
    public static List<ArchiveRecord> records(long first, int count, String subject) {
        List<ArchiveRecord> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(record(first + i, subject, T0.plusMillis(first + i)));
        }
        return out;
    }

    /**
     * A file where the directory of type {@code b} of {@link #T0}'s hour would go, so that a batch holding an
     * {@code events.b} record fails after the part file of {@code events.a} was created; delete it to let the
     * retry through.
     */
    static Path blockTypeB(Path dir) throws IOException {
        Path blocker = dir.resolve("2026/11/29/10/b");
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "a file where the directory of type b would go");
        return blocker;
    }

    /** Records 1 ({@code events.a}), 2 ({@code events.b}) and 3 ({@code events.a}) at {@link #T0}. */
    static List<ArchiveRecord> abaBatch() {
        return List.of(record(1, "events.a", T0), record(2, "events.b", T0), record(3, "events.a", T0));
    }

    public static ArchiveConfig.Builder config(Path dir) {
        return ArchiveConfig.builder(dir).workerId("w1");
    }

    public static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted().toList();
        }
    }

    /**
     * The bytes of the data files below {@code dir}, finished and {@code .part}, as the file system reports them
     * (manifests and lock files not included).
     */
    public static long dataBytes(Path dir) throws IOException {
        long total = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".part") || name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")
                        || name.endsWith(".jsonl.zst")) {
                    total += Files.size(p);
                }
            }
        }
        return total;
    }

    /** The decompressed lines of a gzip file, read with java.util.zip. */
    public static List<byte[]> gzipLines(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return lines(in.readAllBytes());
        }
    }

    public static List<byte[]> lines(byte[] plain) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < plain.length; i++) {
            if (plain[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(plain, start, i));
                start = i + 1;
            }
        }
        if (start != plain.length) {
            throw new AssertionError("partial last line of " + (plain.length - start) + " bytes");
        }
        return out;
    }

    /** All lines of all finished gzip files, parsed with Jackson. */
    static List<JsonNode> finishedGzipEvents(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Path file : files(dir, ".jsonl.gz")) {
            for (byte[] line : gzipLines(file)) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** The verbatim bytes of the last member, {@code event}, of an archive line. */
    public static byte[] rawEvent(byte[] line) {
        byte[] marker = ",\"event\":".getBytes(StandardCharsets.US_ASCII);
        String text = new String(line, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(new String(marker, StandardCharsets.ISO_8859_1));
        if (at < 0 || line[line.length - 1] != '}') {
            throw new AssertionError("no event member in " + new String(line, StandardCharsets.UTF_8));
        }
        return java.util.Arrays.copyOfRange(line, at + marker.length, line.length - 1);
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    /** A clock tests move by hand. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
