package io.meshbridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How a dead letter's payload is shown, the page cursor and the ids; no I/O. */
class DeadLetterJsonTest {

    private static ObjectNode payload(byte[] data) {
        ObjectNode node = ApiJson.object();
        DeadLetterJson.payload(node, data);
        return node;
    }

    private static ObjectNode payload(String text) {
        return payload(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneJsonDocumentIsJsonAndKeepsItsNumbers() {
        ObjectNode node = payload("{\"type\":\"x\", \"n\": 0.10000000000000000001, \"big\": 123456789012345678901}");
        assertThat(node.get("encoding").asText()).isEqualTo("json");
        assertThat(node.get("event").toString())
                .isEqualTo("{\"type\":\"x\",\"n\":0.10000000000000000001,\"big\":123456789012345678901}");
        assertThat(payload("\"just a string\"").get("event").asText()).isEqualTo("just a string");
    }

    @Test
    void textIsTextAndAnythingElseBase64() {
        assertThat(payload("{\"a\":1} trailing").get("encoding").asText()).isEqualTo("text");
        assertThat(payload("line one\nline two\ttabbed").get("event").asText()).isEqualTo("line one\nline two\ttabbed");
        assertThat(payload("").get("encoding").asText()).isEqualTo("text");
        ObjectNode control = payload("bell \u0007");
        assertThat(control.get("encoding").asText()).isEqualTo("base64");
        assertThat(control.get("event").asText()).isEqualTo("YmVsbCAH");
        ObjectNode binary = payload(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        assertThat(binary.get("encoding").asText()).isEqualTo("base64");
        assertThat(binary.get("event").asText()).isEqualTo("//5B");
    }

    @Test
    void aCursorComesBackAsItsSequenceAndAnythingElseIs400() {
        assertThat(DeadLetterJson.fromCursor(DeadLetterJson.cursor(4711))).isEqualTo(4711);
        for (String bad : new String[] {"4711", "!!", DeadLetterJson.cursor(0), "ZGxxOi0x"}) {
            assertThatThrownBy(() -> DeadLetterJson.fromCursor(bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageStartingWith("cursor must be the next of a previous page");
        }
    }

    @Test
    void idsArePositiveIntegersNamedWhenNot() {
        assertThat(DeadLetterJson.id("id", " 12 ")).isEqualTo(12);
        assertThatThrownBy(() -> DeadLetterJson.id("ids[3]", "-1")).hasMessage(
                "ids[3] must be a dead letter's id (a positive integer), was '-1'");
        assertThatThrownBy(() -> DeadLetterJson.id("id", "99999999999999999999")).isInstanceOf(ApiException.class);
    }

    @Test
    void aReasonIsOneLineAndCut() {
        assertThat(DeadLetterJson.oneLine("a\r\nb", 10)).isEqualTo("a  b");
        assertThat(DeadLetterJson.oneLine("x".repeat(20), 10)).isEqualTo("x".repeat(10) + "…");
    }
}
