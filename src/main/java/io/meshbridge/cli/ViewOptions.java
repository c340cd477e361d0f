package io.meshbridge.cli;

import io.meshbridge.events.EventCodec;
import java.time.ZoneId;
import java.time.ZoneOffset;
import picocli.CommandLine.Option;

/** Picocli mixin with what {@code events list} and {@code events watch} show and how. */
final class ViewOptions {

    @Option(names = "--filter", paramLabel = "FILTER", defaultValue = Filters.ALL, converter = Filters.Converter.class,
            description = "subject filter, with or without 'events.' (tool.*, events.node.>; default: ${DEFAULT-VALUE})")
    String filter;

    @Option(names = "--json", description = "one event per line as JSON (the Go producers' form)")
    boolean json;

    @Option(names = "--utc", description = "show times in UTC instead of local time")
    boolean utc;

    /** The full subject filter. */
    String filter() {
        return filter;
    }

    /** Whether events are printed as JSON. */
    boolean json() {
        return json;
    }

    /** The format these options ask for, encoding JSON with {@code codec}. */
    EventFormat format(EventCodec codec) {
        ZoneId zone = utc ? ZoneOffset.UTC : ZoneId.systemDefault();
        return new EventFormat(zone, codec);
    }
}
