package io.meshbridge.archive.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.archive.ArchiveConfig;
import io.meshbridge.archive.Compression;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code archive:} endpoint's options: parsed as documented, and an invalid one named in the error. */
class ArchiveEndpointTest {

    @TempDir
    Path dir;

    @Test
    void optionsBecomeTheWriterConfiguration() throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            ArchiveEndpoint e = ctx.getEndpoint("archive:" + dir + "?compression=zstd&rollSize=2MB&rollAge=15m"
                    + "&maxOpenFiles=8&retention=7d&workerId=w-7&layout={yyyy}/{type}", ArchiveEndpoint.class);
            ArchiveConfig c = e.archiveConfig();
            assertThat(c.directory()).isEqualTo(dir.toAbsolutePath());
            assertThat(c.compression()).isEqualTo(Compression.ZSTD);
            assertThat(c.rollBytes()).isEqualTo(2L * 1024 * 1024);
            assertThat(c.rollAge()).isEqualTo(Duration.ofMinutes(15));
            assertThat(c.maxOpenFiles()).isEqualTo(8);
            assertThat(c.retention()).isEqualTo(Duration.ofDays(7));
            assertThat(c.workerId()).isEqualTo("w-7");
            assertThat(c.layout()).isEqualTo("{yyyy}/{type}");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "123     | 123",
        "64KB    | 65536",
        "64 mb   | 67108864",
        "1GB     | 1073741824",
    })
    void sizesTakeBinaryUnits(String text, long bytes) {
        assertThat(ArchiveEndpoint.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "compression=lz4        | archive option compression must be gzip, zstd or none, was 'lz4'",
        "rollSize=0             | archive option rollSize must be 1 byte to 1GB (e.g. 64MB), was '0'",
        "rollSize=2GB           | archive option rollSize must be 1 byte to 1GB (e.g. 64MB), was '2GB'",
        "rollSize=lots          | archive option rollSize must be 1 byte to 1GB (e.g. 64MB), was 'lots'",
        "maxBatch=0             | archive option maxBatch must be at least 1, was 0",
        "workerId=../up         | archive worker id must be 1 to 64 characters",
        "layout={type}/{bogus}  | {bogus}",
    })
    void anInvalidOptionIsNamed(String option, String message) throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            ArchiveEndpoint e = ctx.getEndpoint("archive:" + dir + "?" + option, ArchiveEndpoint.class);
            assertThatThrownBy(e::archiveConfig).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message);
        }
    }
}
