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

    private void write(String worker, long first, int count) throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).workerId(worker).build())) {
            writer.append(records(first, count, "events.a"));
        }
    }
}
