package io.meshbridge.cli;

import io.meshbridge.events.EventTypes;
import io.meshbridge.events.PersistConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Subject filters as users type them: with or without the {@code events.} prefix, so {@code tool.*}
 * means {@code events.tool.*}, and {@code >} means {@code events.>}.
 */
final class Filters {

    /** The filter used when none is given: every event. */
    static final String ALL = PersistConfig.SUBJECTS;

    private Filters() {
    }

    /**
     * The full subject filter for {@code input}.
     *
     * @throws IllegalArgumentException when the result is not a valid filter
     */
    static String normalise(String input) {
        return EventTypes.filterFromUserInput(input);
    }

    /** Picocli converter applying {@link #normalise}. */
    static final class Converter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return normalise(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
