package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.files;
import static io.meshbridge.archive.ArchiveTesting.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveMaintenanceTest {

    @TempDir
    Path dir;

    @Test
    void retentionDeletesOnlyOldFinishedFilesAndTheirManifests() throws Exception {
        ArchiveTesting.TestClock clock = new ArchiveTesting.TestClock(T0.plus(Duration.ofDays(10)));
        ArchiveConfig cfg = config(dir).retention(Duration.ofDays(7)).build();
        try (ArchiveWriter old = ArchiveWriter.open(cfg, clock)) {
            old.append(List.of(record(1, "events.a", T0), record(2, "events.b", T0)));
        }
        try (ArchiveWriter writer = ArchiveWriter.open(cfg, clock)) {
            writer.append(List.of(record(3, "events.a", T0.plus(Duration.ofDays(5)))));
            writer.append(List.of(record(4, "events.c", T0.minus(Duration.ofDays(30)))));
            assertThat(files(dir, ".part")).hasSize(2);
            assertThat(writer.applyRetention()).isEqualTo(2);
            assertThat(files(dir, ".jsonl.gz")).isEmpty();
            assertThat(files(dir, ".manifest.json")).isEmpty();
            // an old event in a part file stays until the file is finished
            assertThat(files(dir, ".part")).hasSize(2);
            assertThat(writer.applyRetention()).isZero();
        }
        try (ArchiveWriter writer = ArchiveWriter.open(cfg, clock)) {
            assertThat(writer.applyRetention()).isEqualTo(1);
        }
        // the emptied partitions are gone, the one still holding a file stays
        assertThat(dir.resolve("2026/10")).doesNotExist();
        assertThat(dir.resolve("2026/11/29/10/b")).doesNotExist();
        assertThat(dir.resolve("2026/12/04/10/a")).isDirectory();
        assertThat(ArchiveReader.open(dir).read(ArchiveQuery.all()).map(ArchiveRecord::sequence).toList())
                .containsExactly(3L);
    }

    @Test
    void withoutRetentionNothingIsDeletedAndCloseIsIdempotent() throws Exception {
        ArchiveTesting.TestClock clock = new ArchiveTesting.TestClock(T0.plus(Duration.ofDays(10_000)));
        ArchiveWriter first = ArchiveWriter.open(config(dir).build(), clock);
        first.append(List.of(record(1, "events.a", T0)));
        first.close();
        first.close();
        assertThatThrownBy(() -> first.append(List.of(record(2, "events.a", T0))))
                .isInstanceOf(IllegalStateException.class);
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build(), clock)) {
            assertThat(writer.applyRetention()).isZero();
        }
        assertThat(files(dir, ".jsonl.gz")).hasSize(1);
    }

    @Test
    void gapIsWhatTheStreamDroppedAfterTheHighWaterMark() {
        assertThat(ArchiveGaps.missing(101, 100)).isEmpty();
        assertThat(ArchiveGaps.missing(50, 100)).isEmpty();
        assertThat(ArchiveGaps.missing(151, 100)).contains(new SequenceRange(101, 150));
        assertThat(ArchiveGaps.missing(1, 0)).isEmpty();
        assertThat(ArchiveGaps.missing(5000, 0)).contains(new SequenceRange(1, 4999));
    }

    @Test
    void gapAfterADowntimeUsesTheWritersHighWaterMark() throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            writer.append(ArchiveTesting.records(1, 10, "events.a"));
        }
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            long highWater = writer.highWater("events", ArchiveTesting.CREATED);
            assertThat(highWater).isEqualTo(10);
            assertThat(ArchiveGaps.missing(25, highWater)).contains(new SequenceRange(11, 24));
            assertThat(writer.highWater("other", ArchiveTesting.CREATED)).isZero();
        }
    }
}
