package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.dataBytes;
import static io.meshbridge.archive.ArchiveTesting.files;
import static io.meshbridge.archive.ArchiveTesting.record;
import static io.meshbridge.archive.ArchiveTesting.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriterStats} against the files on disk: files finished by each way of finishing, files open, and the
 * bytes written equal to the sizes of the data files the writer left.
 */
class WriterStatsTest {

    @TempDir
    Path dir;

    @Test
    void countsTheFilesFinishedByEvictionAgeAndCloseAndTheBytesOnDisk() throws Exception {
        ArchiveTesting.TestClock clock = new ArchiveTesting.TestClock(T0);
        ArchiveConfig cfg = config(dir).maxOpenFiles(2).rollAge(Duration.ofMinutes(10)).build();
        WriterStats stats;
        try (ArchiveWriter writer = ArchiveWriter.open(cfg, clock)) {
            stats = writer.stats();
            assertCounts(stats, 0, 0);

            writer.append(List.of(record(1, "events.a", T0), record(2, "events.a", T0), record(3, "events.a", T0),
                    record(4, "events.b", T0), record(5, "events.b", T0)));
            assertCounts(stats, 0, 2);

            // a is the least recently used: opening c finishes it
            writer.append(List.of(record(6, "events.c", T0)));
            assertCounts(stats, 1, 2);

            clock.advance(Duration.ofMinutes(10));
            assertThat(writer.finishExpired()).isEqualTo(2);
            assertCounts(stats, 3, 0);

            writer.append(List.of(record(7, "events.a", T0)));
            assertCounts(stats, 3, 1);
        }
        assertCounts(stats, 4, 0);
        assertThat(files(dir, ".jsonl.gz")).hasSize(4);
    }

    @Test
    void countsTheFilesRolledBySizeAndTheBytesOfFinishedAndOpenFiles() throws Exception {
        ArchiveConfig cfg = config(dir).compression(Compression.NONE).rollBytes(1000).build();
        try (ArchiveWriter writer = ArchiveWriter.open(cfg)) {
            // sequences 10 to 39: every batch of one line has the same length
            writer.append(records(10, 1, "events.tool.started"));
            long batchLength = Files.size(files(dir, ".part").get(0));
            for (int seq = 11; seq <= 39; seq++) {
                writer.append(records(seq, 1, "events.tool.started"));
            }
            long perFile = (1000 + batchLength - 1) / batchLength;
            assertThat(perFile).as("several batches per file, some left open").isBetween(2L, 29L);
            long finished = 30 / perFile;
            int open = 30 % perFile == 0 ? 0 : 1;
            assertCounts(writer.stats(), finished, open);
            assertThat(writer.stats().writtenBytes()).isEqualTo(30 * batchLength);
            assertThat(files(dir, ".jsonl")).hasSize((int) finished);
        }
    }

    @Test
    void aFailedBatchAddsNoBytesAndItsRetryCountsOnce() throws Exception {
        Path blocker = ArchiveTesting.blockTypeB(dir);
        List<ArchiveRecord> batch = ArchiveTesting.abaBatch();
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            assertThatThrownBy(() -> writer.append(batch)).isInstanceOf(IOException.class);
            // the part file of a was created before b failed, and nothing was written to it
            assertCounts(writer.stats(), 0, 1);
            assertThat(writer.stats().writtenBytes()).isZero();

            Files.delete(blocker);
            writer.append(batch);
            assertCounts(writer.stats(), 0, 2);
            long written = writer.stats().writtenBytes();
            writer.append(batch);
            assertThat(writer.stats().writtenBytes()).as("a redelivered batch writes nothing").isEqualTo(written);
        }
    }

    @Test
    void filesRecoveredAtOpenAreNotCounted() throws Exception {
        ArchiveWriter killed = ArchiveWriter.open(config(dir).build());
        killed.append(records(1, 3, "events.a"));
        killed.abandon();
        assertThat(files(dir, ".part")).hasSize(1);

        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            assertThat(files(dir, ".part")).isEmpty();
            assertThat(files(dir, ".jsonl.gz")).hasSize(1);
            assertThat(writer.stats().filesFinished()).isZero();
            assertThat(writer.stats().openFiles()).isZero();
            assertThat(writer.stats().writtenBytes()).isZero();
        }
    }

    /** The counts, and the bytes written equal to the data files on disk (the writer is alone in {@code dir}). */
    private void assertCounts(WriterStats stats, long finished, int open) throws IOException {
        assertThat(stats.filesFinished()).as("files finished").isEqualTo(finished);
        assertThat(stats.openFiles()).as("files open").isEqualTo(open);
        assertThat(files(dir, ".part")).as("part files on disk").hasSize(open);
        assertThat(stats.writtenBytes()).as("bytes written").isEqualTo(dataBytes(dir));
    }
}
