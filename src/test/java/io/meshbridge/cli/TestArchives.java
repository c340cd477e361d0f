package io.meshbridge.cli;

import io.meshbridge.archive.ArchiveConfig;
import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.ArchiveWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Archives for the {@code archive} command tests, written with the product's {@link ArchiveWriter}. */
final class TestArchives {

    static final String STREAM = "MESH_EVENTS";
    static final Instant CREATED = Instant.parse("2026-11-01T00:00:00Z");
    /** The first event's stored time; the events cross the hour, so the archive has several directories. */
    static final Instant T0 = Instant.parse("2026-11-29T10:58:00Z");
    static final List<String> TYPES = List.of("tool.crashed", "tool.installed", "user.training.complete");

    private TestArchives() {
    }

    /**
     * Events with sequences {@code 1..count}, one second apart from {@link #T0}, their type going round
     * {@link #TYPES}, ids {@code evt-<seq>}; every seventh payload holds raw line breaks.
     */
    static List<ArchiveRecord> events(int count) {
        List<ArchiveRecord> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(event(i));
        }
        return out;
    }

    static ArchiveRecord event(long seq) {
        String type = TYPES.get((int) ((seq - 1) % TYPES.size()));
        return new ArchiveRecord(STREAM, CREATED, seq, "events." + type, T0.plusSeconds(seq - 1), "evt-" + seq,
                payload(type, seq));
    }

    static byte[] payload(String type, long seq) {
        String separator = seq % 7 == 0 ? ",\n  " : ",";
        return ("{\"type\":\"" + type + "\"" + separator + "\"node\":\"node-ü\"" + separator
                + "\"timestamp\":\"2026-11-29T10:45:28.5Z\"" + separator + "\"data\":{\"n\":" + seq + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code records} as worker {@code worker} and finishes its files. */
    static void write(Path dir, String worker, List<ArchiveRecord> records) throws IOException {
        try (ArchiveWriter writer = ArchiveWriter.open(ArchiveConfig.builder(dir).workerId(worker).build())) {
            writer.append(records);
        }
    }

    /** The finished data files below {@code dir}, sorted. */
    static List<Path> dataFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".jsonl.gz"))
                    .sorted().toList();
        }
    }
}
