package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.files;
import static io.meshbridge.archive.ArchiveTesting.gzipLines;
import static io.meshbridge.archive.ArchiveTesting.records;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process that dies leaves its writer unclosed: these tests abandon a writer without {@code close()}, damage
 * its {@code .part} file as a torn write would, and open a new writer on the directory.
 */
class ArchiveRecoveryTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void cutsATornLastBatchFinishesThePartFileAndSkipsWhatItHolds(Compression compression) throws Exception {
        ArchiveConfig cfg = config(dir).compression(compression).build();
        ArchiveWriter crashed = ArchiveWriter.open(cfg);
        crashed.append(records(1, 5, "events.tool.started"));
        crashed.append(records(6, 3, "events.tool.started"));
        crashed.abandon();
        Path part = files(dir, ".part").get(0);
        long complete = Files.size(part);
        byte[] torn = tornBatch(compression);
        Files.write(part, torn, StandardOpenOption.APPEND);

        try (ArchiveWriter writer = ArchiveWriter.open(cfg)) {
            assertThat(files(dir, ".part")).isEmpty();
            Path finished = files(dir, compression.extension()).get(0);
            assertThat(Files.size(finished)).isEqualTo(complete);
            Manifest m = ArchiveFiles.readManifest(finished.resolveSibling(finished.getFileName()
                    + ".manifest.json"));
            assertThat(m.count()).isEqualTo(8);
            assertThat(m.ranges()).containsExactly(new SequenceRange(1, 8));
            assertThat(m.sha256()).isEqualTo(independentSha256(finished));
            // the redelivery of everything acknowledged before the crash is skipped: exactly once
            assertThat(writer.append(records(1, 8, "events.tool.started"))).isEqualTo(new AppendResult(0, 8));
            assertThat(writer.append(records(7, 4, "events.tool.started"))).isEqualTo(new AppendResult(2, 2));
        }
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.events()).isEqualTo(10);
        assertThat(report.ok()).as(report.describe()).isTrue();
        if (compression == Compression.GZIP) {
            long lines = 0;
            for (Path f : files(dir, ".jsonl.gz")) {
                lines += gzipLines(f).size();
            }
            assertThat(lines).isEqualTo(10);
        }
    }

    @Test
    void cutsAPlainFilesTornLastBatchEvenWhereItHoldsWholeLines() throws Exception {
        ArchiveConfig cfg = config(dir).compression(Compression.NONE).build();
        ArchiveWriter crashed = ArchiveWriter.open(cfg);
        crashed.append(records(1, 5, "events.tool.started"));
        crashed.abandon();
        Path part = files(dir, ".part").get(0);
        long complete = Files.size(part);
        // the next batch (6 to 8) was being written when the process died: its first line whole, the second cut
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        records(6, 3, "events.tool.started").forEach(r -> Lines.write(r, lines));
        byte[] next = Members.encode(Compression.NONE, lines.toByteArray());
        int firstLineEnd = new String(next, StandardCharsets.ISO_8859_1).indexOf('\n');
        Files.write(part, java.util.Arrays.copyOf(next, firstLineEnd + 20), StandardOpenOption.APPEND);

        try (ArchiveWriter writer = ArchiveWriter.open(cfg)) {
            Path finished = files(dir, ".jsonl").get(0);
            assertThat(Files.size(finished)).isEqualTo(complete);
            Manifest m = ArchiveFiles.readManifest(finished.resolveSibling(finished.getFileName()
                    + ".manifest.json"));
            assertThat(m.ranges()).containsExactly(new SequenceRange(1, 5));
            // that batch was never acknowledged: its redelivery is archived, once
            assertThat(writer.append(records(5, 4, "events.tool.started"))).isEqualTo(new AppendResult(3, 1));
        }
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.events()).isEqualTo(8);
        assertThat(report.ok()).as(report.describe()).isTrue();
    }

    @Test
    void deletesAPartFileWithoutAnyCompleteBatch() throws Exception {
        ArchiveConfig cfg = config(dir).build();
        ArchiveWriter crashed = ArchiveWriter.open(cfg);
        crashed.append(records(1, 1, "events.a"));
        crashed.abandon();
        Path part = files(dir, ".part").get(0);
        Files.write(part, tornBatch(Compression.GZIP));
        try (ArchiveWriter writer = ArchiveWriter.open(cfg)) {
            assertThat(files(dir, ".part")).isEmpty();
            assertThat(files(dir, ".jsonl.gz")).isEmpty();
            assertThat(writer.highWater("events", ArchiveTesting.CREATED)).isZero();
            assertThat(writer.append(records(1, 1, "events.a"))).isEqualTo(new AppendResult(1, 0));
        }
    }

    @Test
    void writesTheManifestOfAFileRenamedJustBeforeTheCrash() throws Exception {
        ArchiveConfig cfg = config(dir).build();
        try (ArchiveWriter writer = ArchiveWriter.open(cfg)) {
            writer.append(records(1, 4, "events.a"));
        }
        Path finished = files(dir, ".jsonl.gz").get(0);
        Path manifest = finished.resolveSibling(finished.getFileName() + ".manifest.json");
        byte[] expected = Files.readAllBytes(manifest);
        Files.delete(manifest);
        Files.write(manifest.resolveSibling(manifest.getFileName() + ".tmp"), "{\"fi".getBytes(StandardCharsets.UTF_8));
        try (ArchiveWriter writer = ArchiveWriter.open(cfg)) {
            assertThat(manifest).hasBinaryContent(expected);
            assertThat(files(dir, ".tmp")).isEmpty();
            assertThat(writer.append(records(1, 5, "events.a"))).isEqualTo(new AppendResult(1, 4));
        }
    }

    @Test
    void aFileWhoseFinishFailedAfterItsManifestIsRecoveredWithWhatItHolds() throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            writer.append(records(1, 4, "events.a"));
        }
        Path finished = files(dir, ".jsonl.gz").get(0);
        ArchiveFileName name = ArchiveFileName.parse(finished.getFileName().toString());
        Path part = finished.resolveSibling(name.partName());
        // what the writer's recovery after a failed finish sees when only the last directory fsync failed
        List<Manifest> recovered = Recovery.afterFailure(part, name);
        assertThat(recovered).singleElement().isEqualTo(ArchiveFiles.readManifest(
                finished.resolveSibling(name.manifest())));
        assertThat(recovered.get(0).ranges()).containsExactly(new SequenceRange(1, 4));
    }

    @Test
    void leavesTheFilesOfOtherWorkersAlone() throws Exception {
        ArchiveWriter other = ArchiveWriter.open(config(dir).workerId("w1-b").build());
        other.append(records(1, 2, "events.a"));
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).workerId("w1").build())) {
            assertThat(files(dir, ".part")).hasSize(1);
            // this worker did not archive them: with several workers, at least once
            assertThat(writer.append(records(1, 2, "events.a"))).isEqualTo(new AppendResult(2, 0));
        }
        other.close();
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.duplicateCount()).isEqualTo(2);
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void crashesInARowLoseNothingAndDuplicateNothing() throws Exception {
        ArchiveConfig cfg = config(dir).rollBytes(600).maxOpenFiles(2).build();
        String[] subjects = {"events.a", "events.b", "events.c"};
        long acknowledged = 0;
        for (int round = 0; round < 5; round++) {
            ArchiveWriter writer = ArchiveWriter.open(cfg);
            // the batch after the last acknowledged one is redelivered in full, plus new ones
            for (int b = 0; b < 4; b++) {
                List<ArchiveRecord> batch = new java.util.ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    long seq = acknowledged + 1 + i;
                    batch.add(ArchiveTesting.record(seq, subjects[(int) (seq % 3)], T0.plusMillis(seq)));
                }
                writer.append(batch);
                acknowledged += 5; // two of each batch are "not acknowledged" and come again
            }
            writer.abandon();
            Path part = files(dir, ".part").stream().findFirst().orElse(null);
            if (part != null) {
                Files.write(part, tornBatch(Compression.GZIP), StandardOpenOption.APPEND);
            }
        }
        try (ArchiveWriter writer = ArchiveWriter.open(cfg)) {
            assertThat(writer.highWater("events", ArchiveTesting.CREATED)).isEqualTo(acknowledged + 2);
        }
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.events()).isEqualTo(acknowledged + 2);
        assertThat(report.ok()).as(report.describe()).isTrue();
        assertThat(ArchiveTesting.finishedGzipEvents(dir)).hasSize((int) acknowledged + 2);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void splitsAPartFileHoldingSeveralStreamIncarnationsAndSkipsWhatItHolds(Compression compression)
            throws Exception {
        Path part = mixedPart(compression);
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).compression(compression).build())) {
            assertThat(files(dir, ".part")).isEmpty();
            assertMixedPartSplit(compression);
            // the redelivery of every event it held is skipped: each is archived once
            assertThat(writer.append(mixedRecords())).isEqualTo(new AppendResult(0, 6));
        }
        assertThat(part).doesNotExist();
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.events()).isEqualTo(6);
        assertThat(report.ok()).as(report.describe()).isTrue();
    }

    @Test
    void aSplitInterruptedByACrashIsDoneAgainWithoutDuplicates() throws Exception {
        Path part = mixedPart(Compression.GZIP);
        byte[] source = Files.readAllBytes(part);
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            assertThat(writer.openFiles()).isZero();
        }
        List<Path> outputs = files(dir, ".jsonl.gz");
        assertThat(outputs).hasSize(2);
        // as a crash would leave it: the first output finished, the second being written, the source still there
        Path second = outputs.get(1);
        Files.delete(second.resolveSibling(second.getFileName() + ".manifest.json"));
        Files.move(second, second.resolveSibling(second.getFileName() + ".split"));
        Files.write(part, source);

        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            assertThat(files(dir, ".part")).isEmpty();
            assertThat(files(dir, ".split")).isEmpty();
            assertThat(files(dir, ".jsonl.gz")).isEqualTo(outputs);
            assertMixedPartSplit(Compression.GZIP);
            assertThat(writer.append(mixedRecords())).isEqualTo(new AppendResult(0, 6));
        }
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.events()).isEqualTo(6);
        assertThat(report.ok()).as(report.describe()).isTrue();
    }

    @Test
    void setsAsideAPartFileWhoseCompleteBatchesHoldNoReadableLine() throws Exception {
        Path part = dir.resolve("2026/11/29/10/a/w1-1-1700000000000.jsonl.gz.part");
        Files.createDirectories(part.getParent());
        Files.write(part, Members.encode(Compression.GZIP, "{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8)));
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            assertThat(files(dir, ".part")).isEmpty();
            assertThat(part.resolveSibling(part.getFileName() + ".unreadable")).exists();
            assertThat(writer.append(records(1, 2, "events.a"))).isEqualTo(new AppendResult(2, 0));
        }
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            assertThat(writer.append(records(1, 2, "events.a"))).isEqualTo(new AppendResult(0, 2));
        }
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.problems()).singleElement().satisfies(p -> assertThat(p).contains(".unreadable")
                .contains("set aside by recovery"));
    }

    /** The events of {@link #mixedPart}: sequences 1 to 4 of the stream created at CREATED, 1 and 2 of a newer one. */
    private static List<ArchiveRecord> mixedRecords() {
        java.time.Instant recreated = ArchiveTesting.CREATED.plus(java.time.Duration.ofDays(1));
        return List.of(ArchiveTesting.record(1, "events.a", T0), ArchiveTesting.record(2, "events.a", T0),
                ArchiveTesting.record(3, "events.a", T0.plusMillis(1)),
                ArchiveTesting.record("events", recreated, 1, "events.a", T0.plusMillis(2)),
                ArchiveTesting.record(4, "events.a", T0.plusMillis(3)),
                ArchiveTesting.record("events", recreated, 2, "events.a", T0.plusMillis(4)));
    }

    /** A part file of worker w1 whose two batches hold events of two incarnations of a stream. */
    private Path mixedPart(Compression compression) throws Exception {
        List<ArchiveRecord> records = mixedRecords();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        records.subList(0, 3).forEach(r -> Lines.write(r, first));
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        records.subList(3, 6).forEach(r -> Lines.write(r, second));
        Path part = dir.resolve("2026/11/29/10/a/w1-1-1700000000000" + compression.extension() + ".part");
        Files.createDirectories(part.getParent());
        Files.write(part, Members.encode(compression, first.toByteArray()));
        Files.write(part, Members.encode(compression, second.toByteArray()), StandardOpenOption.APPEND);
        return part;
    }

    /** One finished file per incarnation, each with a manifest of what it holds. */
    private void assertMixedPartSplit(Compression compression) throws Exception {
        List<Manifest> manifests = new java.util.ArrayList<>();
        for (Path m : files(dir, ".manifest.json")) {
            manifests.add(ArchiveFiles.readManifest(m));
        }
        assertThat(files(dir, compression.extension())).hasSize(2);
        assertThat(manifests).extracting(m -> m.key().created(), Manifest::count, Manifest::ranges)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ArchiveTesting.CREATED, 4L, List.of(new SequenceRange(1, 4))),
                        org.assertj.core.groups.Tuple.tuple(ArchiveTesting.CREATED.plus(java.time.Duration.ofDays(1)),
                                2L, List.of(new SequenceRange(1, 2))));
    }

    /** Less than half of a batch of two lines (so not even its first line), encoded as the file's compression. */
    private static byte[] tornBatch(Compression compression) throws Exception {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Lines.write(ArchiveTesting.record(100, "events.tool.started", T0), lines);
        Lines.write(ArchiveTesting.record(101, "events.tool.started", T0), lines);
        byte[] whole = compression == Compression.GZIP ? ArchiveTesting.gzip(lines.toByteArray())
                : Members.encode(compression, lines.toByteArray());
        return java.util.Arrays.copyOf(whole, whole.length / 2 - 3);
    }

    private static String independentSha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
