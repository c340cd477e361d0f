package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

    @Test
    void numbersBooleansObjectsAndQuotedStringsAreJson() {
        Map<String, Object> data = KeyValues.parse(List.of("n=2", "t=true", "f=false", "o={\"a\":1}",
                "s=\"x\"", "l=[1,\"b\"]", "z=null"));

        assertThat(data).containsEntry("n", 2).containsEntry("t", true).containsEntry("f", false)
                .containsEntry("o", Map.of("a", 1)).containsEntry("s", "x").containsEntry("l", List.of(1, "b"))
                .containsEntry("z", null);
        assertThat(data).containsOnlyKeys("n", "t", "f", "o", "s", "l", "z");
    }

    @Test
    void numbersKeepTheirExactValue() {
        assertThat(KeyValues.value("0.1")).isEqualTo(new BigDecimal("0.1"));
        assertThat(KeyValues.value("12345678901234567890")).isEqualTo(new BigInteger("12345678901234567890"));
        assertThat(KeyValues.value("-7")).isEqualTo(-7);
    }

    @Test
    void anythingElseIsTheRawText() {
        assertThat(KeyValues.value("boom")).isEqualTo("boom");
        assertThat(KeyValues.value("hello world")).isEqualTo("hello world");
        assertThat(KeyValues.value("\"unterminated")).isEqualTo("\"unterminated");
        assertThat(KeyValues.value("{\"a\":1} trailing")).isEqualTo("{\"a\":1} trailing");
        assertThat(KeyValues.value("01")).isEqualTo("01");
        assertThat(KeyValues.value("NaN")).isEqualTo("NaN");
        assertThat(KeyValues.value(" ")).isEqualTo(" ");
    }

    @Test
    void emptyValueIsTheEmptyString() {
        assertThat(KeyValues.parse(List.of("note="))).containsExactly(Map.entry("note", ""));
    }

    @Test
    void onlyTheFirstEqualsSeparates() {
        assertThat(KeyValues.parse(List.of("expr=a=b"))).containsExactly(Map.entry("expr", "a=b"));
    }

    @Test
    void keysKeepTheirOrderAndTheLastValueOfARepeatedKeyWins() {
        assertThat(KeyValues.parse(List.of("b=1", "a=2", "b=3")).entrySet())
                .containsExactly(Map.entry("b", 3), Map.entry("a", 2));
    }

    @Test
    void noArgumentsGiveEmptyData() {
        assertThat(KeyValues.parse(List.of())).isEmpty();
    }

    @Test
    void missingEqualsIsAnError() {
        assertThatThrownBy(() -> KeyValues.parse(List.of("ok=1", "novalue")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected key=value, got 'novalue' (no '=')");
    }

    @Test
    void emptyKeyIsAnError() {
        assertThatThrownBy(() -> KeyValues.parse(List.of("=1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected key=value, got '=1' (empty key)");
    }
}
