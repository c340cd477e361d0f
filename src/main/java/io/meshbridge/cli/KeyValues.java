package io.meshbridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code key=value} arguments of {@code events emit}, read as the reference node reads them: each value
 * is JSON when it parses as JSON ({@code 2} a number, {@code true} a boolean, {@code {"a":1}} an object,
 * {@code "x"} a string, {@code null} null) and the raw text otherwise; an empty value is the empty string.
 * The key is everything before the first {@code =}; it must not be empty. A repeated key keeps its last
 * value. Numbers keep their exact value (fractions as {@code BigDecimal}, large integers as
 * {@code BigInteger}).
 */
final class KeyValues {

    private static final ObjectReader JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readerFor(Object.class);

    private KeyValues() {
    }

    /**
     * The data map of the arguments, in the order given.
     *
     * @throws IllegalArgumentException naming the first malformed argument
     */
    static Map<String, Object> parse(List<String> arguments) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got '" + argument + "' (no '=')");
            }
            if (eq == 0) {
                throw new IllegalArgumentException("expected key=value, got '" + argument + "' (empty key)");
            }
            data.put(argument.substring(0, eq), value(argument.substring(eq + 1)));
        }
        return data;
    }

    /** One value: JSON when it parses, else the raw text; empty text is the empty string. */
    static Object value(String text) {
        if (text.isEmpty()) {
            return "";
        }
        try {
            return JSON.readValue(text);
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
