package io.meshbridge.cli;

import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.ReceivedEvent;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code events list}: stored events from the event stream, oldest first. Reads only: a missing stream is an
 * error, never created. Undecodable messages are reported on stderr, one line each; with {@code --strict}
 * they make the exit code 2.
 */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Print stored events, oldest first: the most recent ones, or those since a time.")
public final class ListCommand implements Callable<Integer> {

    @Mixin
    NatsOptions nats;

    @Mixin
    ViewOptions view;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "most events to print (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--since", paramLabel = "TIME", converter = SinceParser.Converter.class,
            description = "the first events stored at or after TIME: RFC 3339 (2026-11-29T10:00:00Z)"
                    + " or a duration back from now (30s, 10m, 2h, 1d)")
    Instant since;

    @Option(names = "--strict", description = "exit with code 2 when any stored message is not an event")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        CliLogging.configure(Main.verbose(spec), false);
        HistoryResult result;
        EventFormat format;
        try (Connection nc = nats.connect("mesh-bridge events list")) {
            PersistentBus bus = attach(nc);
            format = view.format(bus.bus().codec());
            try {
                result = since == null ? bus.history(view.filter(), limit)
                        : bus.historySince(view.filter(), since, limit);
            } catch (IOException | JetStreamApiException e) {
                throw JetStreamErrors.of(e, nats.stream(), nc.getConnectedUrl());
            }
        }
        print(result, format);
        return strict && !result.undecodable().isEmpty() ? CliException.USAGE : 0;
    }

    private PersistentBus attach(Connection nc) {
        try {
            return PersistentBus.attach(nc, "mesh-bridge-cli",
                    PersistConfig.defaults().withStreamName(nats.stream()));
        } catch (IOException | JetStreamApiException e) {
            throw JetStreamErrors.of(e, nats.stream(), nc.getConnectedUrl());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Events on stdout, problems on stderr, in stream order. */
    private void print(HistoryResult result, EventFormat format) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Stream<Object> all = Stream.concat(result.events().stream(), result.undecodable().stream());
        all.sorted(Comparator.comparingLong(ListCommand::sequence)).forEachOrdered(item -> {
            if (item instanceof ReceivedEvent event) {
                out.println(view.json() ? format.json(event) : format.line(event, Instant.now()));
                String note = EventFormat.inferredNote(event);
                if (note != null) {
                    out.flush();
                    err.println(note);
                }
            } else {
                out.flush();
                err.println(EventFormat.undecodable((EventDecodeException) item));
            }
        });
        out.flush();
        err.flush();
    }

    private static long sequence(Object item) {
        var position = item instanceof ReceivedEvent e ? e.position() : ((EventDecodeException) item).position();
        return position == null ? 0 : position.sequence();
    }
}
