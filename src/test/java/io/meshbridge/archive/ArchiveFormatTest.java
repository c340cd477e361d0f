package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArchiveFormatTest {

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyPrefixDecodesToItsCompleteBatches(Compression compression) {
        byte[] a = Members.encode(compression, "{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8));
        byte[] b = Members.encode(compression, "{\"c\":3}\n".getBytes(StandardCharsets.UTF_8));
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        for (int cut = 0; cut <= both.length; cut++) {
            Members.Decoded d = Members.decode(compression, java.util.Arrays.copyOf(both, cut));
            long expected = cut == both.length ? both.length : cut >= a.length ? a.length : 0;
            // plain files too: a batch cut after its first whole line is not complete
            assertThat(d.validLength()).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void aPlainBatchScrambledByAPowerLossIsNotComplete() {
        byte[] a = Members.encode(Compression.NONE, lines(1, 2));
        byte[] b = Members.encode(Compression.NONE, lines(3, 2));
        byte[] both = concat(a, b);
        assertThat(Members.decode(Compression.NONE, both).validLength()).isEqualTo(both.length);
        // a page of the last batch never reached the disk: zeros where its second line was, line breaks kept
        byte[] zeroed = both.clone();
        for (int i = both.length - 40; i < both.length - 1; i++) {
            zeroed[i] = 0;
        }
        assertThat(Members.decode(Compression.NONE, zeroed).validLength()).isEqualTo(a.length);
        // one bit of the first batch's payload flipped
        byte[] flipped = both.clone();
        flipped[a.length / 2] ^= 0x01;
        assertThat(Members.decode(Compression.NONE, flipped).validLength()).isZero();
        // zeros over the start of the file
        byte[] start = both.clone();
        java.util.Arrays.fill(start, 0, 12, (byte) 0);
        assertThat(Members.decode(Compression.NONE, start).validLength()).isZero();
    }

    @Test
    void aPlainBatchCarriesItsLengthAndChecksumInItsFirstLineWhichStaysOneJsonObject() throws Exception {
        byte[] plain = lines(1, 2);
        byte[] stored = Members.encode(Compression.NONE, plain);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(plain);
        String text = new String(stored, StandardCharsets.UTF_8);
        assertThat(text).startsWith(String.format("{\"batch\":\"%d:%08x\",\"stream\":", plain.length,
                crc.getValue()));
        for (String line : text.split("\n")) {
            assertThat(ArchiveTesting.JSON.readTree(line).get("seq").isNumber()).isTrue();
        }
        Members.Decoded d = Members.decode(Compression.NONE, stored);
        assertThat(d.validLength()).isEqualTo(stored.length);
        assertThat(d.plain()).isEqualTo(stored);
    }

    @Test
    void aPlainFileWrittenBeforeBatchesWereMarkedIsReadToItsLastLineBreak() {
        byte[] plain = lines(1, 3);
        byte[] torn = concat(plain, "{\"stream\":\"ev".getBytes(StandardCharsets.UTF_8));
        assertThat(Members.decode(Compression.NONE, torn).validLength()).isEqualTo(plain.length);
        assertThat(Members.decode(Compression.NONE, torn).plain()).isEqualTo(plain);
        assertThat(Members.decode(Compression.NONE, "not an archive\n".getBytes(StandardCharsets.UTF_8))
                .validLength()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void aBatchLargerThanTheReadWindowDecodesWhole(Compression compression) {
        byte[] big = lines(1, 3000); // about 500 KB, several read windows
        byte[] both = concat(Members.encode(compression, big), Members.encode(compression, lines(3001, 1)));
        Members.Decoded d = Members.decode(compression, both);
        assertThat(d.validLength()).isEqualTo(both.length);
        assertThat(ArchiveTesting.lines(d.plain())).hasSize(3001);
        byte[] damaged = both.clone();
        damaged[both.length / 3] ^= 0x10;
        assertThat(Members.decode(compression, damaged).validLength()).as("damaged in the first batch").isZero();
    }

    @Test
    void aManifestsHeaderIsReadWithoutItsRanges(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Manifest m = new Manifest("w-1-2.jsonl.gz", "w", Compression.GZIP, "events", ArchiveTesting.CREATED, 1, 9,
                T0, T0.plusSeconds(5), 5, 100, "ab", java.util.List.of(new SequenceRange(1, 3),
                new SequenceRange(5, 5), new SequenceRange(9, 9)));
        Path path = dir.resolve("w-1-2.jsonl.gz.manifest.json");
        java.nio.file.Files.write(path, m.toJson());
        assertThat(Manifest.readHeader(path)).isEqualTo(new Manifest.Header(m.key(), 1, 9, T0, T0.plusSeconds(5)));
        java.nio.file.Files.writeString(path, "{\"stream\":\"events\",\"ranges\":[]}");
        assertThatThrownBy(() -> Manifest.readHeader(path)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("stream_created");
    }

    /** {@code count} archive lines from sequence {@code first}, as the writer writes them. */
    private static byte[] lines(long first, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long seq = first; seq < first + count; seq++) {
            Lines.write(ArchiveTesting.record(seq, "events.tool.started", T0.plusMillis(seq)), out);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void gzipMembersAreReadableByJavaUtilZip() throws Exception {
        byte[] a = Members.encode(Compression.GZIP, "one\n".getBytes(StandardCharsets.UTF_8));
        byte[] b = Members.encode(Compression.GZIP, "two\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(a);
        both.writeBytes(b);
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(both.toByteArray()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one\ntwo\n");
        }
        assertThat(Members.decode(Compression.GZIP, ArchiveTesting.gzip("x\n".getBytes(StandardCharsets.UTF_8)))
                .plain()).isEqualTo("x\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void zstdFramesAreReadableByAStreamingZstdReader() throws Exception {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(Members.encode(Compression.ZSTD, "one\n".getBytes(StandardCharsets.UTF_8)));
        both.writeBytes(Members.encode(Compression.ZSTD, "two\n".getBytes(StandardCharsets.UTF_8)));
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(
                new java.io.ByteArrayInputStream(both.toByteArray()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one\ntwo\n");
        }
    }

    @Test
    void parsesFileNamesWithDashesInTheWorkerId() {
        ArchiveFileName name = new ArchiveFileName("host-a.b_1", 42, 1700000000000L, Compression.ZSTD, true);
        assertThat(name.partName()).isEqualTo("host-a.b_1-42-1700000000000.jsonl.zst.part");
        assertThat(ArchiveFileName.parse(name.partName())).isEqualTo(name);
        assertThat(ArchiveFileName.parse(name.finished())).isEqualTo(name.asFinished());
        assertThat(ArchiveFileName.parse("w-1-2.jsonl")).isEqualTo(new ArchiveFileName("w", 1, 2, Compression.NONE,
                false));
        assertThat(ArchiveFileName.parse("w-1-2.jsonl.gz.manifest.json")).isNull();
        assertThat(ArchiveFileName.parse("1-2.jsonl.gz")).isNull();
        assertThat(ArchiveFileName.parse("w-x-2.jsonl.gz")).isNull();
        assertThat(ArchiveFileName.parse("notes.txt")).isNull();
    }

    @Test
    void configHasTheDocumentedDefaultsAndRefusesNonsense() {
        ArchiveConfig c = ArchiveConfig.defaults(Path.of("archive"));
        assertThat(c.directory()).isAbsolute();
        assertThat(c.layout()).isEqualTo("{yyyy}/{MM}/{dd}/{HH}/{type}");
        assertThat(c.compression()).isEqualTo(Compression.GZIP);
        assertThat(c.rollBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.rollAge()).isEqualTo(Duration.ofHours(1));
        assertThat(c.maxOpenFiles()).isEqualTo(64);
        assertThat(c.retention()).isNull();
        assertThat(c.workerId()).matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");
        Path p = Path.of("a");
        assertThatThrownBy(() -> ArchiveConfig.builder(p).rollBytes(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveConfig.builder(p).rollAge(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveConfig.builder(p).maxOpenFiles(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveConfig.builder(p).retention(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveConfig.builder(p).workerId("../x").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveConfig.builder(p).layout("{type}/..").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordOfAReceivedEventUsesItsPositionAndId() throws Exception {
        byte[] payload = ArchiveTesting.payload("tool.started", 1);
        io.meshbridge.events.ReceivedEvent received = io.meshbridge.events.EventCodec.defaults()
                .decode("events.tool.started", payload)
                .withDelivery(null, new io.meshbridge.events.StreamPosition("events", 9, T0));
        ArchiveRecord r = ArchiveRecord.of(received, ArchiveTesting.CREATED);
        assertThat(r).isEqualTo(new ArchiveRecord("events", ArchiveTesting.CREATED, 9, "events.tool.started", T0,
                "events:9", payload));
    }
}
