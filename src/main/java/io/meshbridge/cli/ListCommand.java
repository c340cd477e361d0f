package io.meshbridge.cli;

import io.meshbridge.archive.ArchiveHistory;
import io.meshbridge.archive.ArchiveReadException;
import io.meshbridge.events.Bus;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *
 * <p>With {@code --archive DIR} the events the stream no longer holds are read from the archive as well
 * ({@link ArchiveHistory}), printed the same way, oldest first by stream time. Then a missing stream lists
 * the archive alone, and a missing directory the stream alone; either is said in one line on stderr.
 */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Print stored events, oldest first: the most recent ones, or those since a time.")
final class ListCommand implements Callable<Integer> {

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

    @Option(names = "--archive", paramLabel = "DIR",
            description = "also list the archived events the stream no longer holds, from this archive directory")
    Path archive;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        if (archive != null && Files.exists(archive) && !Files.isDirectory(archive)) {
            throw new ParameterException(spec.commandLine(), "--archive " + archive + " is not a directory");
        }
        CliLogging.configure(Main.verbose(spec), false);
        HistoryResult result;
        EventFormat format;
        try (Connection nc = nats.connect("mesh-bridge events list")) {
            format = view.format(Bus.codecFor(nc));
            try {
                result = archive == null ? query(attach(nc)) : query(archiveHistory(nc));
            } catch (ArchiveReadException e) {
                throw CliException.runtime(e.getMessage(), e);
            } catch (IOException | JetStreamApiException e) {
                throw JetStreamErrors.of(e, nats.stream(), nc.getConnectedUrl());
            }
        }
        print(result, format);
        return strict && !result.undecodable().isEmpty() ? CliException.USAGE : 0;
    }

    private HistoryResult query(PersistentBus bus) throws IOException, JetStreamApiException {
        return since == null ? bus.history(view.filter(), limit) : bus.historySince(view.filter(), since, limit);
    }

    private HistoryResult query(ArchiveHistory history) throws IOException, JetStreamApiException {
        return since == null ? history.history(view.filter(), limit)
                : history.historySince(view.filter(), since, limit);
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

    /** Stream and archive; says on stderr when either is missing, as the answer then has only the other. */
    private ArchiveHistory archiveHistory(Connection nc) throws IOException, JetStreamApiException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(archive)) {
            err.println("no archive at " + archive + ": listing the stream only");
        }
        try {
            return ArchiveHistory.of(PersistentBus.attach(nc, "mesh-bridge-cli",
                    PersistConfig.defaults().withStreamName(nats.stream())), archive);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != JetStreamErrors.STREAM_NOT_FOUND) {
                throw e;
            }
            err.println("stream " + nats.stream() + " not found on " + nc.getConnectedUrl()
                    + ": listing the archive only");
            return ArchiveHistory.of(nc, nats.stream(), archive);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } finally {
            err.flush();
        }
    }

    /** Events on stdout, problems on stderr, in stream order. */
    private void print(HistoryResult result, EventFormat format) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Stream<Object> all = Stream.concat(result.events().stream(), result.undecodable().stream());
        // one stream incarnation is in sequence order; with the archive, earlier incarnations come first
        Comparator<Object> order = archive == null ? Comparator.comparingLong(ListCommand::sequence)
                : Comparator.comparing(ListCommand::time).thenComparingLong(ListCommand::sequence);
        all.sorted(order).forEachOrdered(item -> {
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
        StreamPosition position = position(item);
        return position == null ? 0 : position.sequence();
    }

    private static Instant time(Object item) {
        StreamPosition position = position(item);
        return position == null ? Instant.MIN : position.time();
    }

    private static StreamPosition position(Object item) {
        return item instanceof ReceivedEvent e ? e.position() : ((EventDecodeException) item).position();
    }
}
