package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.CREATED;
import static io.meshbridge.archive.ArchiveTesting.JSON;
import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.files;
import static io.meshbridge.archive.ArchiveTesting.gzipLines;
import static io.meshbridge.archive.ArchiveTesting.rawEvent;
import static io.meshbridge.archive.ArchiveTesting.record;
import static io.meshbridge.archive.ArchiveTesting.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshbridge.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveWriterTest {

    @TempDir
    Path dir;

    @Test
    void archivesEveryDecodableSampleByteExact() throws Exception {
        List<ArchiveTesting.Sample> samples = ArchiveTesting.decodableSamples();
        assertThat(samples).hasSize(11);
        List<ArchiveRecord> batch = new ArrayList<>();
        long seq = 1;
        for (ArchiveTesting.Sample s : samples) {
            // the caller archives decodable events only; the codec confirms each sample is one
            EventCodec.defaults().decode(s.subject(), s.payload());
            batch.add(new ArchiveRecord("events", CREATED, seq, s.subject(), T0.plusSeconds(seq), "id-" + seq,
                    s.payload()));
            seq++;
        }
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            assertThat(writer.append(batch)).isEqualTo(new AppendResult(11, 0));
        }
        int found = 0;
        for (Path file : files(dir, ".jsonl.gz")) {
            for (byte[] line : gzipLines(file)) {
                JsonNode node = JSON.readTree(line);
                int index = (int) node.get("seq").asLong() - 1;
                ArchiveTesting.Sample s = samples.get(index);
                assertThat(rawEvent(line)).as(s.name()).isEqualTo(s.payload());
                assertThat(node.get("event")).isEqualTo(JSON.readTree(s.payload()));
                assertThat(node.get("stream").asText()).isEqualTo("events");
                assertThat(node.get("subject").asText()).isEqualTo(s.subject());
                assertThat(node.get("id").asText()).isEqualTo("id-" + (index + 1));
                assertThat(node.get("time").asText()).isEqualTo(
                        io.meshbridge.events.Timestamps.format(T0.plusSeconds(index + 1)));
                assertThat(node.has("event_b64")).isFalse();
                found++;
            }
        }
        assertThat(found).isEqualTo(11);
    }

    @Test
    void writesLinesInTheDocumentedShape() throws Exception {
        ArchiveRecord r = new ArchiveRecord("events", CREATED, 7, "events.tool.crashed",
                Instant.parse("2026-11-29T10:45:28.1234Z"), "abc\"1", ArchiveTesting.payload("tool.crashed", 7));
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).compression(Compression.NONE).build())) {
            writer.append(List.of(r));
        }
        List<Path> finished = files(dir, ".jsonl");
        assertThat(finished).hasSize(1);
        assertThat(dir.relativize(finished.get(0).getParent()).toString()).isEqualTo("2026/11/29/10/tool.crashed");
        assertThat(finished.get(0).getFileName().toString()).startsWith("w1-7-").endsWith(".jsonl");
        String text = Files.readString(finished.get(0));
        String line = "{\"stream\":\"events\",\"stream_created\":\"2026-11-01T00:00:00Z\",\"seq\":7,"
                + "\"subject\":\"events.tool.crashed\",\"time\":\"2026-11-29T10:45:28.1234Z\",\"id\":\"abc\\\"1\","
                + "\"event\":" + new String(r.payload(), StandardCharsets.UTF_8) + "}\n";
        // a plain file's batch begins with its length and CRC-32, taken without that member
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(line.getBytes(StandardCharsets.UTF_8));
        assertThat(text).isEqualTo(String.format("{\"batch\":\"%d:%08x\",", line.getBytes(StandardCharsets.UTF_8).length,
                crc.getValue()) + line.substring(1));
    }

    @Test
    void payloadWithRawLineBreaksGoesAsBase64() throws Exception {
        byte[] payload = "{\n\"type\":\"tool.started\",\r\n\"node\":\"n\",\"timestamp\":\"2026-11-29T10:45:28Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        EventCodec.defaults().decode("events.tool.started", payload);
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            writer.append(List.of(new ArchiveRecord("events", CREATED, 1, "events.tool.started", T0, "x",
                    payload)));
        }
        List<byte[]> lines = gzipLines(files(dir, ".jsonl.gz").get(0));
        assertThat(lines).hasSize(1);
        JsonNode node = JSON.readTree(lines.get(0));
        assertThat(node.has("event")).isFalse();
        assertThat(Base64.getDecoder().decode(node.get("event_b64").asText())).isEqualTo(payload);
        assertThat(ArchiveReader.open(dir).read(ArchiveQuery.all()).toList().get(0).payload()).isEqualTo(payload);
    }

    @Test
    void rollsBySize() throws Exception {
        ArchiveConfig cfg = config(dir).compression(Compression.NONE).rollBytes(1000).build();
        int lineLength;
        try (ArchiveWriter writer = ArchiveWriter.open(cfg)) {
            writer.append(records(1, 1, "events.tool.started"));
            lineLength = (int) Files.size(files(dir, ".part").get(0));
            for (int i = 2; i <= 30; i++) {
                writer.append(records(i, 1, "events.tool.started"));
            }
            int perFile = (1000 + lineLength - 1) / lineLength;
            assertThat(files(dir, ".jsonl")).hasSize(30 / perFile);
            assertThat(files(dir, ".part")).hasSize(30 % perFile == 0 ? 0 : 1);
        }
        assertThat(files(dir, ".part")).isEmpty();
        long total = 0;
        for (Path f : files(dir, ".jsonl")) {
            Manifest m = ArchiveFiles.readManifest(f.resolveSibling(f.getFileName() + ".manifest.json"));
            assertThat(Files.size(f)).isLessThan(1000 + lineLength);
            total += m.count();
        }
        assertThat(total).isEqualTo(30);
    }

    @Test
    void rollsByAge() throws Exception {
        ArchiveTesting.TestClock clock = new ArchiveTesting.TestClock(T0);
        ArchiveConfig cfg = config(dir).rollAge(Duration.ofMinutes(10)).build();
        try (ArchiveWriter writer = ArchiveWriter.open(cfg, clock)) {
            writer.append(records(1, 3, "events.tool.started"));
            clock.advance(Duration.ofMinutes(9));
            assertThat(writer.finishExpired()).isZero();
            writer.append(records(4, 3, "events.tool.started"));
            assertThat(files(dir, ".part")).hasSize(1);
            clock.advance(Duration.ofMinutes(1));
            assertThat(writer.finishExpired()).isEqualTo(1);
            assertThat(files(dir, ".part")).isEmpty();
            assertThat(files(dir, ".jsonl.gz")).hasSize(1);
            writer.append(records(7, 2, "events.tool.started"));
            clock.advance(Duration.ofMinutes(10));
            // an append finishes expired files too
            writer.append(records(9, 1, "events.tool.stopped"));
            assertThat(files(dir, ".jsonl.gz")).hasSize(2);
            assertThat(writer.openFiles()).isEqualTo(1);
        }
        assertThat(ArchiveTesting.finishedGzipEvents(dir)).hasSize(9);
    }

    @Test
    void evictsTheLeastRecentlyUsedFileBeyondMaxOpenFiles() throws Exception {
        ArchiveConfig cfg = config(dir).maxOpenFiles(2).build();
        try (ArchiveWriter writer = ArchiveWriter.open(cfg)) {
            writer.append(List.of(record(1, "events.a", T0)));
            writer.append(List.of(record(2, "events.b", T0)));
            writer.append(List.of(record(3, "events.a", T0)));
            // b is now the least recently used: opening c finishes b
            writer.append(List.of(record(4, "events.c", T0)));
            assertThat(writer.openFiles()).isEqualTo(2);
            assertThat(files(dir, ".jsonl.gz")).singleElement()
                    .satisfies(p -> assertThat(p.getParent().getFileName().toString()).isEqualTo("b"));
            // one batch touching more files than may be open: each is written before it is evicted
            writer.append(List.of(record(5, "events.d", T0), record(6, "events.e", T0), record(7, "events.f", T0),
                    record(8, "events.d", T0)));
            assertThat(writer.openFiles()).isEqualTo(2);
        }
        List<JsonNode> events = ArchiveTesting.finishedGzipEvents(dir);
        assertThat(events).extracting(n -> n.get("seq").asLong()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L,
                6L, 7L, 8L);
        assertThat(ArchiveVerifier.verify(dir).ok()).isTrue();
    }

    @Test
    void skipsRedeliveriesAndDuplicatesInsideABatch() throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            assertThat(writer.append(records(1, 5, "events.a"))).isEqualTo(new AppendResult(5, 0));
            List<ArchiveRecord> again = new ArrayList<>(records(4, 4, "events.a"));
            again.add(record(6, "events.a", T0.plusMillis(6)));
            assertThat(writer.append(again)).isEqualTo(new AppendResult(2, 3));
            // a redelivery out of order (a nak) after later sequences
            assertThat(writer.append(records(10, 2, "events.a"))).isEqualTo(new AppendResult(2, 0));
            assertThat(writer.append(records(9, 3, "events.a"))).isEqualTo(new AppendResult(1, 2));
            assertThat(writer.highWater("events", CREATED)).isEqualTo(11);
            assertThat(writer.isArchived("events", CREATED, 9)).isTrue();
        }
        assertThat(ArchiveTesting.finishedGzipEvents(dir)).extracting(n -> n.get("seq").asLong())
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 9L, 10L, 11L);
    }

    @Test
    void archivesARecreatedStreamFromSequenceOneAgain() throws Exception {
        Instant recreated = CREATED.plus(Duration.ofDays(3));
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            writer.append(records(1, 3, "events.a"));
        }
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            List<ArchiveRecord> batch = new ArrayList<>();
            for (int seq = 1; seq <= 3; seq++) {
                batch.add(record("events", recreated, seq, "events.a", T0.plusSeconds(seq)));
            }
            assertThat(writer.append(batch)).isEqualTo(new AppendResult(3, 0));
            assertThat(writer.append(records(1, 3, "events.a"))).isEqualTo(new AppendResult(0, 3));
            assertThat(writer.highWater("events", recreated)).isEqualTo(3);
        }
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.events()).isEqualTo(6);
        assertThat(report.ok()).as(report.describe()).isTrue();
    }

    @Test
    void closeFinishesEveryOpenFileWithAValidManifest() throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).compression(Compression.ZSTD).build())) {
            writer.append(List.of(record(1, "events.a", T0), record(2, "events.b", T0), record(3, "events.a", T0)));
            writer.append(List.of(record(4, "events.a", T0)));
            assertThat(files(dir, ".part")).hasSize(2);
        }
        assertThat(files(dir, ".part")).isEmpty();
        assertThat(files(dir, ".jsonl.zst")).hasSize(2);
        Path a = files(dir, ".jsonl.zst").get(0);
        Manifest m = ArchiveFiles.readManifest(a.resolveSibling(a.getFileName() + ".manifest.json"));
        assertThat(m.count()).isEqualTo(3);
        assertThat(m.ranges()).containsExactly(new SequenceRange(1, 1), new SequenceRange(3, 4));
        assertThat(m.sha256()).isEqualTo(ArchiveFiles.sha256(Files.readAllBytes(a)));
        assertThat(ArchiveVerifier.verify(dir).ok()).isTrue();
    }
    @Test
    void refusesAPayloadThatIsNotAJsonObjectWithoutWritingAnything() throws Exception {
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            for (String bad : new String[] {"not json", "[1,2,3]", "", "  ", "{\"a\":1"}) {
                List<ArchiveRecord> batch = List.of(record(1, "events.a", T0), new ArchiveRecord("events", CREATED, 2,
                        "events.b", T0, "x", bad.getBytes(StandardCharsets.UTF_8)));
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.append(batch)).as(bad)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events #2");
            }
            assertThat(writer.openFiles()).isZero();
            assertThat(writer.append(List.of(record(1, "events.a", T0)))).isEqualTo(new AppendResult(1, 0));
        }
        assertThat(ArchiveVerifier.verify(dir).events()).isEqualTo(1);
    }

    @Test
    void anIoErrorIsRetriableAndTheRetryWritesEachRecordOnce() throws Exception {
        Path blocker = ArchiveTesting.blockTypeB(dir);
        List<ArchiveRecord> batch = ArchiveTesting.abaBatch();
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).build())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.append(batch))
                    .isInstanceOf(java.io.IOException.class);
            Files.delete(blocker);
            assertThat(writer.append(batch)).isEqualTo(new AppendResult(3, 0));
            assertThat(writer.append(batch)).isEqualTo(new AppendResult(0, 3));
        }
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.events()).isEqualTo(3);
        assertThat(report.ok()).as(report.describe()).isTrue();
    }

    @Test
    void stringsThatLookLikeTheEventMemberReadBackExactly() throws Exception {
        ArchiveRecord tricky = new ArchiveRecord("events", CREATED, 1, "events.q\"uote,\"event\":{}",
                T0, ",\"event\":{\"x\":1}\\", ArchiveTesting.payload("a", 1));
        try (ArchiveWriter writer = ArchiveWriter.open(config(dir).compression(Compression.NONE).build())) {
            writer.append(List.of(tricky));
        }
        ArchiveRecord back = ArchiveReader.open(dir).read(ArchiveQuery.all()).toList().get(0);
        assertThat(back).isEqualTo(new ArchiveRecord(tricky.stream(), CREATED, 1, tricky.subject(), T0, tricky.id(),
                tricky.payload()));
        JsonNode node = JSON.readTree(Files.readAllBytes(files(dir, ".jsonl").get(0)));
        assertThat(node.get("id").asText()).isEqualTo(tricky.id());
        assertThat(node.get("event")).isEqualTo(JSON.readTree(tricky.payload()));
    }

    @Test
    void refusesASecondWriterWithTheSameWorkerIdAndDirectory() throws Exception {
        try (ArchiveWriter first = ArchiveWriter.open(config(dir).build())) {
            assertThatThrownBy(() -> ArchiveWriter.open(config(dir).build()))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("worker id 'w1'").hasMessageContaining(dir.toString());
            try (ArchiveWriter other = ArchiveWriter.open(config(dir).workerId("w2").build())) {
                assertThat(other.openFiles()).isZero();
            }
        }
        try (ArchiveWriter again = ArchiveWriter.open(config(dir).build())) {
            assertThat(again.openFiles()).isZero();
        }
    }
}
