package io.meshbridge.cli;

import io.meshbridge.archive.ArchiveVerifier;
import io.meshbridge.archive.DeadLetterIndex;
import io.meshbridge.archive.VerifyReport;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code archive verify --dir DIR}: checks every file of an archive directory ({@link ArchiveVerifier}) and
 * prints the report on stdout: the counts, then one line per problem, duplicate, gap and dead-lettered range.
 * Read-only; safe while archive workers write to the directory.
 *
 * <p><b>Dead letters.</b> A sequence missing from the archive may have been given up by the archive route
 * and written to {@code MESH_DLQ} (a payload that is not an event): that is no loss. The command reads the
 * dead-letter stream's headers (connection options as for the other commands) and reports the missing
 * sequences it holds for the archive's routes ({@code --route}, default {@value #DEFAULT_ROUTE}) as
 * dead-lettered, apart from the gaps. Dead letters of other routes explain nothing about the archive. When
 * NATS cannot be reached, the archive is still checked, and a {@code note:} line says that the gaps may
 * include dead-lettered events.
 *
 * <p>Exit codes: 0 when no problem and no duplicate was found; 1 when some were, or the directory could
 * not be read; 2 for usage errors. Gaps are listed but do not fail the check: an archive route with a
 * subject filter leaves gaps by design, and so does a stream that dropped events before they were archived.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Check an archive: every file against its manifest, every line, and across all files",
            "the events archived twice (duplicates) and the sequences missing (gaps). Missing",
            "sequences that the archive's route wrote to MESH_DLQ are listed as dead-lettered, not as",
            "gaps (when NATS cannot be reached, a note says they were not checked).",
            "Exit codes: 0 no problem and no duplicate; 1 problems or duplicates found, or the",
            "directory could not be read; 2 usage error. Gaps are listed but do not fail the check:",
            "an archive route with a subject filter leaves them by design."})
final class VerifyCommand implements Callable<Integer> {

    /** Exit code when the archive has problems or duplicates. */
    static final int FOUND_PROBLEMS = 1;

    /** The route of the archive shipped in routes/archive-events.yaml. */
    static final String DEFAULT_ROUTE = "archive-events";

    @Mixin
    ArchiveDirOption archive;

    @Option(names = "--route", paramLabel = "ROUTE", split = ",", defaultValue = DEFAULT_ROUTE,
            description = "the archive route(s) writing DIR, whose dead letters are no gaps"
                    + " (default: ${DEFAULT-VALUE})")
    List<String> routes;

    @Mixin
    NatsOptions nats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = archive.directory(spec);
        CliLogging.configure(Main.verbose(spec), false);
        String unchecked = null;
        DeadLetterIndex deadLetters = null;
        try {
            deadLetters = deadLetters();
        } catch (CliException e) {
            if (e.exitCode() == CliException.USAGE) {
                throw e;
            }
            unchecked = e.getMessage();
        }
        VerifyReport report;
        try {
            report = ArchiveVerifier.verify(dir, deadLetters);
        } catch (IOException | UncheckedIOException e) {
            throw CliException.runtime("cannot read archive " + dir + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.describe());
        if (unchecked != null) {
            out.println("note: dead letters not checked (" + unchecked + "): the gaps may include events the"
                    + " route dead-lettered");
        }
        out.flush();
        return failed(report) ? FOUND_PROBLEMS : 0;
    }

    /** The dead letters of the archive's routes; a failure to read them is a runtime {@link CliException}. */
    private DeadLetterIndex deadLetters() {
        try (Connection nc = nats.connect("mesh-bridge archive verify")) {
            try {
                return DeadLetterReader.read(nc, routes);
            } catch (IOException | JetStreamApiException e) {
                throw JetStreamErrors.of(e, io.meshbridge.camel.MeshConstants.DLQ_STREAM, nc.getConnectedUrl());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.runtime("interrupted while reading the dead-letter stream", e);
        }
    }

    /** Whether the report fails the check: problems or duplicates; gaps alone do not. */
    static boolean failed(VerifyReport report) {
        return !report.problems().isEmpty() || report.duplicateCount() > 0;
    }
}
