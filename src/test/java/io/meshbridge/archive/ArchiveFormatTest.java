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
            if (compression == Compression.NONE) {
                expected = cut >= 16 && cut < 24 ? 16 : cut >= 8 && cut < 16 ? 8 : expected;
            }
            assertThat(d.validLength()).as("cut at %d", cut).isEqualTo(expected);
        }
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
