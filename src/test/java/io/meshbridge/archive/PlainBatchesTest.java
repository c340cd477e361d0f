package io.meshbridge.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlainBatchesTest {

    @ParameterizedTest
    @CsvSource({"2, 0", "9, 1", "10, 4294967295", "33712, 2882400018", "2147483647, 16"})
    void theMarkIsTheLengthAndTheCrcAsEightLowerCaseHexDigits(int length, long crc) {
        assertThat(new String(PlainBatches.markMember(length, crc), StandardCharsets.US_ASCII))
                .isEqualTo(String.format(Locale.ROOT, "\"batch\":\"%d:%08x\",", length, crc));
    }
}
