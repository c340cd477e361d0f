package io.meshbridge.cli;

import io.meshbridge.archive.ArchiveQuery;
import io.meshbridge.archive.ArchiveReader;
import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.events.StreamSetup;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code archive replay}: publishes archived events again, in sequence order, to JetStream
 * ({@link ReplayPublisher}). By default into a replay stream under a subject prefix, which consumers of the
 * event stream never see; the stream is created when missing ({@link ReplayTarget#streamConfiguration()}),
 * and one of that name that does not take {@code <prefix>.>} is an error. With {@code --into-events} the
 * events go to their original subjects, into the event stream, which must exist.
 *
 * <p>Every message carries the archived id as {@code Nats-Msg-Id} and {@code Mesh-Replay: true}, so a replay
 * repeated within the stream's duplicate window stores nothing twice and mesh consumers skip replayed events
 * unless asked not to. The matching events are counted first (a read of the archive, no NATS traffic), then
 * published; progress goes to stderr, the summary to stdout. An event that cannot be stored ends the command
 * with exit code 1 and a line saying how many events were published before.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Publish archived events again, in sequence order, with their archived ids",
            "(Nats-Msg-Id) and the header Mesh-Replay: true.",
            "Default: to <prefix>.<original subject> in a replay stream (created when missing),",
            "which no consumer of the event stream sees. --into-events: to the original subjects,",
            "into the event stream (--stream), which must exist.",
            "A replay repeated within the stream's duplicate window stores no event twice.",
            "Exit codes: 0 every event stored or skipped as a duplicate; 1 an event could not be",
            "stored (the line says how many were published before) or a connection failure;",
            "2 usage error."})
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ArchiveDirOption archive;

    @Option(names = "--since", paramLabel = "TIME", converter = SinceParser.Converter.class,
            description = "only events stored at or after TIME: RFC 3339 (2026-11-29T10:00:00Z)"
                    + " or a duration back from now (30s, 10m, 2h, 1d)")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = SinceParser.Converter.class,
            description = "only events stored before TIME (same forms as --since)")
    Instant until;

    @Option(names = "--filter", paramLabel = "FILTER", converter = Filters.Converter.class,
            description = "subject filter, with or without 'events.' (tool.*, events.node.>;"
                    + " default: every archived event)")
    String filter;

    @Option(names = "--into-events",
            description = "publish to the original subjects, into the event stream (--stream), which must exist")
    boolean intoEvents;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = ReplayTarget.DEFAULT_PREFIX,
            description = "subject prefix in the replay stream (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--replay-stream", paramLabel = "NAME", defaultValue = ReplayTarget.DEFAULT_STREAM,
            description = "the replay stream, created on <prefix>.> when missing (default: ${DEFAULT-VALUE})")
    String replayStream;

    @Mixin
    NatsOptions nats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ReplayTarget target = target();
        ArchiveQuery query = query();
        Path dir = archive.directory(spec);
        CliLogging.configure(Main.verbose(spec), false);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ArchiveReader reader = openReader(dir);
        try (Connection nc = nats.connect("mesh-bridge archive replay")) {
            prepare(nc, target, err);
            long total = count(reader, query, dir);
            if (total == 0) {
                err.println("no archived event matches");
            }
            ReplayProgress progress = ReplayProgress.forStderr(err, total);
            ReplayPublisher.Result result;
            try (Stream<ArchiveRecord> records = reader.read(query)) {
                result = new ReplayPublisher(nc.jetStream(), target, progress::update).run(records.iterator());
            }
            progress.finish(result.published(), result.duplicates());
            if (result.failure() != null) {
                throw CliException.runtime(String.format(Locale.ROOT,
                        "replay stopped after %,d of %,d events were published into %s (%,d stored, %,d skipped"
                                + " as duplicates): %s", result.published(), total, target.stream(),
                        result.stored(), result.duplicates(), result.failure()), null);
            }
            out.println(summary(result, target));
            out.flush();
        }
        return 0;
    }

    /** The target the options describe; a contradiction between them is a usage error. */
    ReplayTarget target() {
        ParseResult parsed = spec.commandLine().getParseResult();
        try {
            if (intoEvents) {
                for (String option : List.of("--prefix", "--replay-stream")) {
                    if (parsed.hasMatchedOption(option)) {
                        throw usage(option + " does not apply to --into-events, which publishes to the original"
                                + " subjects into the event stream (--stream)");
                    }
                }
                return ReplayTarget.eventStream(nats.stream());
            }
            if (parsed.hasMatchedOption("--stream")) {
                throw usage("--stream names the event stream, used only with --into-events;"
                        + " the replay stream is --replay-stream");
            }
            return ReplayTarget.replayStream(replayStream, prefix);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The query the options describe. */
    ArchiveQuery query() {
        if (since != null && until != null && until.isBefore(since)) {
            throw usage("--until " + until + " is before --since " + since);
        }
        return new ArchiveQuery(since, until, filter);
    }

    /** The summary line printed on stdout after a complete replay. */
    static String summary(ReplayPublisher.Result result, ReplayTarget target) {
        return String.format(Locale.ROOT, "replayed %,d events into %s (%s): %,d stored, %,d skipped as duplicates",
                result.published(), target.stream(), target.describeSubjects(), result.stored(),
                result.duplicates());
    }

    private static ArchiveReader openReader(Path dir) {
        try {
            return ArchiveReader.open(dir);
        } catch (IOException | UncheckedIOException e) {
            throw CliException.runtime("cannot read archive " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long count(ArchiveReader reader, ArchiveQuery query, Path dir) {
        try (Stream<ArchiveRecord> records = reader.read(query)) {
            return records.count();
        } catch (UncheckedIOException e) {
            throw CliException.runtime("cannot read archive " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Makes sure the target stream is there: the event stream must exist, a replay stream is created. */
    private static void prepare(Connection nc, ReplayTarget target, PrintWriter err) {
        try {
            if (target.intoEvents()) {
                nc.jetStreamManagement().getStreamInfo(target.stream());
                return;
            }
            StreamSetup.Outcome outcome = StreamSetup.ensure(nc, target.streamConfiguration(), false);
            if (outcome.created()) {
                err.println("created stream " + target.stream() + " on " + target.subjects()
                        + " (file storage, events kept " + ReplayTarget.MAX_AGE.toDays() + " days, ids remembered "
                        + ReplayTarget.DUPLICATE_WINDOW.toHours() + " h)");
            }
        } catch (JetStreamApiException e) {
            if (target.intoEvents() && e.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
                throw CliException.runtime("stream " + target.stream() + " not found on " + nc.getConnectedUrl()
                        + ": --into-events publishes into the existing event stream (see --stream)", e);
            }
            throw JetStreamErrors.of(e, target.stream(), nc.getConnectedUrl());
        } catch (IOException e) {
            throw JetStreamErrors.of(e, target.stream(), nc.getConnectedUrl());
        } catch (IllegalStateException e) {
            throw CliException.runtime(e.getMessage() + " (see --replay-stream and --prefix)", e);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
