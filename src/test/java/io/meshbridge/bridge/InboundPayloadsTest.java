package io.meshbridge.bridge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundPayloadsTest {

    private final InboundPayloads wrap = new InboundPayloads(64, 3, InboundPayloads.NonJson.WRAP);
    private final InboundPayloads strict = new InboundPayloads(64, 3, InboundPayloads.NonJson.DEAD_LETTER);

    @Test
    void aJsonObjectIsTheDataWithExactNumbers() throws Exception {
        Map<String, Object> data = wrap.data(" {\"big\":123456789012345678901234567890,\"f\":0.1}".getBytes(UTF_8));
        assertThat(data.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(data.get("f")).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void whatIsNotAnObjectIsWrappedAsTextOrBase64() throws Exception {
        assertThat(wrap.data("[1,2]".getBytes(UTF_8))).containsExactly(Map.entry("payload", "[1,2]"));
        assertThat(wrap.data("42".getBytes(UTF_8))).containsExactly(Map.entry("payload", "42"));
        assertThat(wrap.data(new byte[0])).containsExactly(Map.entry("payload", ""));
        assertThat(wrap.data(new byte[] {(byte) 0xc3, 0x28})).containsExactly(Map.entry("payload_b64", "wyg="));
    }

    @Test
    void deadLetterModeRefusesWhatIsNotAnObject() {
        assertThatThrownBy(() -> strict.data("[1]".getBytes(UTF_8))).isInstanceOf(InboundPayloads.Refused.class)
                .hasMessage("payload is not a JSON object");
    }

    @Test
    void theHttpIngestsLimitsApplyInBothModes() {
        for (InboundPayloads p : new InboundPayloads[] {wrap, strict}) {
            assertThatThrownBy(() -> p.data(("[" + "1,".repeat(40) + "1]").getBytes(UTF_8)))
                    .hasMessageContaining("larger than the limit of 64 bytes");
            assertThatThrownBy(() -> p.data("{\"a\":{\"b\":{\"c\":{}}}}".getBytes(UTF_8)))
                    .hasMessageContaining("nested deeper than 3");
            assertThatThrownBy(() -> p.data("{\"a\":".getBytes(UTF_8))).hasMessageContaining("invalid JSON");
            assertThatThrownBy(() -> p.data("{} {}".getBytes(UTF_8))).hasMessageContaining("more after the object");
        }
    }

    @Test
    void theModeIsParsedNamingTheParameter() {
        assertThat(InboundPayloads.NonJson.parse("nonJson", "deadLetter")).isEqualTo(InboundPayloads.NonJson.DEAD_LETTER);
        assertThat(InboundPayloads.NonJson.parse("nonJson", "WRAP")).isEqualTo(InboundPayloads.NonJson.WRAP);
        assertThatThrownBy(() -> InboundPayloads.NonJson.parse("nonJson", "drop")).hasMessageContaining("nonJson");
    }
}
