package io.meshbridge.cli;

import io.meshbridge.archive.ArchiveVerifier;
import io.meshbridge.archive.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code archive verify --dir DIR}: checks every file of an archive directory ({@link ArchiveVerifier}) and
 * prints the report on stdout: the counts, then one line per problem, duplicate and gap. Read-only; safe
 * while archive workers write to the directory.
 *
 * <p>Exit codes: 0 when no problem and no duplicate was found; 1 when some were, or the directory could
 * not be read; 2 for usage errors. Gaps are listed but do not fail the check: an archive route with a
 * subject filter leaves gaps by design, and so does a stream that dropped events before they were archived.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Check an archive: every file against its manifest, every line, and across all files",
            "the events archived twice (duplicates) and the sequences missing (gaps).",
            "Exit codes: 0 no problem and no duplicate; 1 problems or duplicates found, or the",
            "directory could not be read; 2 usage error. Gaps are listed but do not fail the check:",
            "an archive route with a subject filter leaves them by design."})
final class VerifyCommand implements Callable<Integer> {

    /** Exit code when the archive has problems or duplicates. */
    static final int FOUND_PROBLEMS = 1;

    @Mixin
    ArchiveDirOption archive;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = archive.directory(spec);
        CliLogging.configure(Main.verbose(spec), false);
        VerifyReport report;
        try {
            report = ArchiveVerifier.verify(dir);
        } catch (IOException | UncheckedIOException e) {
            throw CliException.runtime("cannot read archive " + dir + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.describe());
        out.flush();
        return failed(report) ? FOUND_PROBLEMS : 0;
    }

    /** Whether the report fails the check: problems or duplicates; gaps alone do not. */
    static boolean failed(VerifyReport report) {
        return !report.problems().isEmpty() || report.duplicateCount() > 0;
    }
}
