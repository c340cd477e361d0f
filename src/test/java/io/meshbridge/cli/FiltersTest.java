package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class FiltersTest {

    @ParameterizedTest
    @CsvSource({
        "tool.*, events.tool.*",
        "events.tool.*, events.tool.*",
        "events.>, events.>",
        ">, events.>",
        "tool.crashed, events.tool.crashed",
        "events.tool.crashed, events.tool.crashed",
        "user.>, events.user.>",
        "'  node.*  ', events.node.*",
    })
    void theEventsPrefixIsOptional(String input, String expected) {
        assertThat(Filters.normalise(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "tool.*x", "events.>.tool", "tool..crashed", "tool.crashed.", "a b"})
    void invalidFiltersAreRefused(String input) {
        assertThatThrownBy(() -> Filters.normalise(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConverterReportsAUsageError() {
        assertThatThrownBy(() -> new Filters.Converter().convert("tool.*x"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("tool.*x");
    }
}
