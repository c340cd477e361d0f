package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.CREATED;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.files;
import static io.meshbridge.archive.ArchiveTesting.records;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveVerifierTest {

    @TempDir
    Path dir;

    @Test
    void acceptsACleanArchive() throws Exception {
        write("w1", 1, 20);
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.ok()).as(report.describe()).isTrue();
        assertThat(report.files()).isEqualTo(1);
        assertThat(report.events()).isEqualTo(20);
    }

    @Test
    void detectsACorruptedFile() throws Exception {
        write("w1", 1, 20);
        Path file = files(dir, ".jsonl.gz").get(0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(file, bytes);
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("SHA-256").contains("does not match"));
    }

    @Test
    void detectsALineThatIsNotAnArchiveLine() throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).compression(Compression.NONE).build())) {
            writer.append(records(1, 3, "events.a"));
        }
        Path file = files(dir, ".jsonl").get(0);
        // a whole batch, so the line is read: its one line is not an archive line
        Files.write(file, Members.encode(Compression.NONE, "{\"stream\":\"events\"}\n".getBytes(StandardCharsets.UTF_8)),
                StandardOpenOption.APPEND);
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("line 4").contains("missing"));
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("SHA-256"));
    }

    @Test
    void reportsDuplicatesAndGaps() throws Exception {
        write("w1", 1, 10);
        write("w2", 8, 5);   // 8..12: 8, 9, 10 twice
        write("w3", 20, 3);  // 13..19 missing
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.events()).isEqualTo(18);
        assertThat(report.duplicateCount()).isEqualTo(3);
        assertThat(report.duplicates()).extracting(VerifyReport.Duplicate::sequence)
                .containsExactlyInAnyOrder(8L, 9L, 10L);
        assertThat(report.gaps()).containsExactly(new VerifyReport.Gap("events", CREATED, new SequenceRange(13, 19)));
        assertThat(report.problems()).isEmpty();
        assertThat(report.describe()).contains("3 duplicates").contains("gap: events").contains("seq 13..19");
    }

    @Test
    void detectsAMissingManifestAndAnOrphanManifest() throws Exception {
        write("w1", 1, 2);
        write("w2", 3, 2);
        Path first = files(dir, ".jsonl.gz").get(0);
        Files.delete(files(dir, ".jsonl.gz").get(1));
        Files.delete(first.resolveSibling(first.getFileName() + ".manifest.json"));
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).endsWith("no manifest"))
                .anySatisfy(p -> assertThat(p).endsWith("manifest without its file"));
    }

    @Test
    void countsTheCompleteLinesOfPartFilesWhichTheReaderLeavesOutAndReadsDuplicatesOnce() throws Exception {
        write("w1", 1, 3);
        ArchiveWriter running = ArchiveWriter.open(config(dir).workerId("w2").build());
        running.append(records(4, 2, "events.a"));
        running.append(records(3, 1, "events.a"));
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.files()).isEqualTo(1);
        assertThat(report.partFiles()).isEqualTo(1);
        assertThat(report.events()).isEqualTo(6);
        assertThat(report.duplicateCount()).isEqualTo(1);
        assertThat(report.problems()).isEmpty();
        assertThat(ArchiveReader.open(dir).read(ArchiveQuery.all()).map(ArchiveRecord::sequence).toList())
                .containsExactly(1L, 2L, 3L);
        running.close();
        assertThat(ArchiveReader.open(dir).read(ArchiveQuery.all()).map(ArchiveRecord::sequence).toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void missingSequencesTheDeadLetterStreamHoldsAreDeadLetteredNotGaps() throws Exception {
        Instant recreated = CREATED.plus(Duration.ofDays(2));
        List<ArchiveRecord> archived = new ArrayList<>();
        for (long seq = 1; seq <= 10; seq++) {
            if (seq != 4 && seq != 5 && seq != 8) {
                archived.add(ArchiveTesting.record(seq, "events.a", ArchiveTesting.T0.plusMillis(seq)));
            }
        }
        for (long seq = 1; seq <= 6; seq++) {
            if (seq != 4) {
                archived.add(ArchiveTesting.record("events", recreated, seq, "events.a", ArchiveTesting.T0));
            }
        }
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            writer.append(archived);
        }
        DeadLetterIndex letters = new DeadLetterIndex(List.of(
                new DeadLetter("events", 4, CREATED.plusSeconds(60), "archive-a"),
                new DeadLetter("events", 5, CREATED.plusSeconds(61), "archive-a"),
                new DeadLetter("events", 4, recreated.plusSeconds(5), "archive-a"), // of the newer incarnation
                new DeadLetter("events", 8, CREATED.minusSeconds(1), "archive-a"), // older than both: explains nothing
                new DeadLetter("other", 8, CREATED.plusSeconds(60), "archive-a")), Map.of());

        VerifyReport report = ArchiveVerifier.verify(dir, letters);

        assertThat(report.gaps()).containsExactly(new VerifyReport.Gap("events", CREATED, new SequenceRange(8, 8)));
        assertThat(report.deadLettered()).containsExactly(
                new VerifyReport.DeadLettered("events", CREATED, new SequenceRange(4, 5), "archive-a"),
                new VerifyReport.DeadLettered("events", recreated, new SequenceRange(4, 4), "archive-a"));
        assertThat(report.deadLetteredCount()).isEqualTo(3);
        assertThat(report.describe()).startsWith("2 files, 0 part files, 12 events, 0 problems, 0 duplicates,"
                + " 1 gaps, 3 dead-lettered\n").contains("gap: events created " + CREATED + " seq 8..8\n")
                .contains("dead-lettered: events created " + CREATED + " seq 4..5 by route archive-a\n");
        assertThat(ArchiveVerifier.verify(dir).gaps()).hasSize(3);
        assertThat(ArchiveVerifier.verify(dir).describe()).startsWith("2 files, 0 part files, 12 events, 0 problems,"
                + " 0 duplicates, 3 gaps\n");
    }

    @Test
    void aDeadLetterOfTheStreamAsItIsNowDoesNotExplainAGapOfAnEarlierIncarnation() throws Exception {
        write("w1", 1, 3);
        write("w1", 5, 3);
        Instant current = CREATED.plus(Duration.ofDays(3));
        DeadLetterIndex letters = new DeadLetterIndex(
                List.of(new DeadLetter("events", 4, current.plusSeconds(1), "archive-a")), Map.of("events", current));
        VerifyReport report = ArchiveVerifier.verify(dir, letters);
        assertThat(report.gaps()).containsExactly(new VerifyReport.Gap("events", CREATED, new SequenceRange(4, 4)));
        assertThat(report.deadLettered()).isEmpty();
        assertThat(report.deadLettersChecked()).isTrue();
    }

    private void write(String worker, long first, int count) throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).workerId(worker).build())) {
            writer.append(records(first, count, "events.a"));
        }
    }
}
