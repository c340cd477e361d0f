package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.CREATED;
import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the writer holds in memory to skip what it archived: with a subject filter narrower than the stream,
 * nearly every archived sequence is followed by a hole, yet the memory grows with the files, not the events,
 * while it runs and after a restart; and the skipping stays exact.
 */
class ArchiveMemoryTest {

    private static final int EVENTS = 2_000;

    @TempDir
    Path dir;

    /** Every other sequence, as a filter matching every other event leaves them. */
    private static List<ArchiveRecord> everyOther(long firstOdd, int count) {
        List<ArchiveRecord> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long seq = firstOdd + 2L * i;
            out.add(record(seq, "events.a", T0.plusMillis(seq)));
        }
        return out;
    }

    private ArchiveConfig.Builder smallFiles() {
        // about 14 lines a file, 2 open at most: the writer keeps the ranges of 16 finished files
        return config(dir).compression(Compression.NONE).rollBytes(4096).maxOpenFiles(2);
    }

    @Test
    void memoryGrowsWithTheOpenAndRecentFilesNotWithTheEventsAndSkippingStaysExact() throws Exception {
        long heldRunning;
        long heldAfterRedeliveries;
        try (ArchiveWriter writer = ArchiveWriter.open(smallFiles().build())) {
            for (int b = 0; b < EVENTS / 10; b++) {
                writer.append(everyOther(1 + 20L * b, 10));
            }
            heldRunning = writer.rangesHeld();
            // redeliveries from anywhere in the archive are skipped, the holes are not archived
            assertThat(writer.append(List.of(record(1, "events.a", T0), record(2001, "events.a", T0),
                    record(3999, "events.a", T0)))).isEqualTo(new AppendResult(0, 3));
            assertThat(writer.isArchived("events", CREATED, 2000)).isFalse();
            heldAfterRedeliveries = writer.rangesHeld();
        }
        // the ranges of the open files (2) and the cached finished ones (16), each one per event
        long bound = (2 + 16) * largestFile();
        assertThat(bound).isLessThan(EVENTS / 4);
        assertThat(heldRunning).as("ranges held while running").isLessThanOrEqualTo(bound);
        assertThat(heldAfterRedeliveries).isLessThanOrEqualTo(bound);

        try (ArchiveWriter restarted = ArchiveWriter.open(smallFiles().build())) {
            assertThat(restarted.rangesHeld()).as("ranges held after a restart").isZero();
            assertThat(restarted.highWater("events", CREATED)).isEqualTo(2L * EVENTS - 1);
            assertThat(restarted.append(List.of(record(3, "events.a", T0), record(2555, "events.a", T0),
                    record(3997, "events.a", T0)))).isEqualTo(new AppendResult(0, 3));
            assertThat(restarted.append(List.of(record(2, "events.a", T0), record(3998, "events.a", T0))))
                    .isEqualTo(new AppendResult(2, 0));
            assertThat(restarted.rangesHeld()).isLessThanOrEqualTo(bound);
        }
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.events()).isEqualTo(EVENTS + 2);
        assertThat(report.duplicateCount()).isZero();
        assertThat(report.problems()).isEmpty();
    }

    /** The most events a finished file holds. */
    private long largestFile() throws Exception {
        long largest = 0;
        for (Path manifest : ArchiveTesting.files(dir, ".manifest.json")) {
            largest = Math.max(largest, ArchiveFiles.readManifest(manifest).count());
        }
        return largest;
    }

    @Test
    void afterACrashTheRecoveredPartFileIsHeldAsOneCachedFileAndSkipped() throws Exception {
        ArchiveWriter crashed = ArchiveWriter.open(smallFiles().rollBytes(ArchiveConfig.MAX_ROLL_BYTES).build());
        for (int b = 0; b < EVENTS / 100; b++) {
            crashed.append(everyOther(1 + 200L * b, 100));
        }
        crashed.abandon();
        try (ArchiveWriter writer = ArchiveWriter.open(smallFiles().build())) {
            // the one part file held every event; recovered, its ranges are held until evicted
            assertThat(writer.rangesHeld()).isEqualTo(EVENTS);
            assertThat(writer.append(everyOther(1, EVENTS))).isEqualTo(new AppendResult(0, EVENTS));
        }
    }

    @Test
    void filesDeletedByTheRetentionAreForgotten() throws Exception {
        ArchiveTesting.TestClock clock = new ArchiveTesting.TestClock(T0.plus(java.time.Duration.ofDays(30)));
        ArchiveConfig cfg = smallFiles().retention(java.time.Duration.ofDays(7)).build();
        try (ArchiveWriter writer = ArchiveWriter.open(cfg, clock)) {
            for (int b = 0; b < 30; b++) {
                writer.append(everyOther(1 + 40L * b, 20));
            }
            long known = writer.finishedFilesKnown();
            assertThat(known).as("each batch of 20 lines fills and finishes one file").isEqualTo(30);
            assertThat(writer.applyRetention()).isEqualTo(known);
            assertThat(writer.finishedFilesKnown()).isZero();
            assertThat(writer.highWater("events", CREATED)).isEqualTo(1199);
        }
    }

    @Test
    void theAcknowledgementFloorForgetsTheFinishedFilesBelowIt() throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(smallFiles().build())) {
            for (int b = 0; b < 20; b++) {
                writer.append(everyOther(1 + 100L * b, 50));
            }
            assertThat(writer.isArchived("events", CREATED, 1001)).isTrue();
            writer.acknowledgedUpTo("events", CREATED, 1500);
            // the consumer never delivers those again; asked anyway, the writer no longer knows them
            assertThat(writer.isArchived("events", CREATED, 1001)).isFalse();
            assertThat(writer.isArchived("events", CREATED, 1901)).isTrue();
            assertThat(writer.highWater("events", CREATED)).isEqualTo(1999);
            assertThat(writer.append(everyOther(1501, 250))).isEqualTo(new AppendResult(0, 250));
        }
    }
}
