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
    void afterADowntimeTheWriterHoldsItsHighWaterMarkAndTheManifestsItsNewestTime() throws Exception {
        List<ArchiveRecord> records = ArchiveTesting.records(1, 10, "events.a");
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            writer.append(records);
        }
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            assertThat(writer.highWater("events", ArchiveTesting.CREATED)).isEqualTo(10);
            assertThat(writer.highWater("other", ArchiveTesting.CREATED)).isZero();
        }
        assertThat(ArchiveManifests.newestTime(dir, "events", ArchiveTesting.CREATED))
                .isEqualTo(records.get(9).time());
        assertThat(ArchiveManifests.newestTime(dir, "events", ArchiveTesting.CREATED.plusSeconds(1))).isNull();
    }
}
