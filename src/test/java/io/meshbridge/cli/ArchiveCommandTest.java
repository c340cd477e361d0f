package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code archive} commands in process: arguments and usage errors; nothing here connects. */
class ArchiveCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private String errLine() {
        assertThat(err.toString().lines()).hasSize(1);
        return err.toString().strip();
    }

    @Test
    void helpListsTheArchiveCommands() {
        assertThat(run("archive", "--help")).isZero();
        assertThat(out.toString()).contains("verify", "replay");
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("archive");
    }

    @Test
    void verifyWithoutDirIsAUsageErrorNamingDir() {
        assertThat(run("archive", "verify")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("Missing required option: '--dir=DIR'"
                + " (see 'mesh-bridge archive verify --help')");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aDirThatDoesNotExistIsAUsageError() {
        Path missing = dir.resolve("nope");
        assertThat(run("archive", "verify", "--dir", missing.toString())).isEqualTo(2);
        assertThat(errLine()).isEqualTo("--dir " + missing + ": no such directory"
                + " (see 'mesh-bridge archive verify --help')");
    }

    @Test
    void replayWithoutDirIsAUsageErrorNamingDir() {
        assertThat(run("archive", "replay")).isEqualTo(2);
        assertThat(errLine()).contains("'--dir=DIR'");
    }

    @Test
    void verifyHelpDocumentsTheExitCodes() {
        assertThat(run("archive", "verify", "--help")).isZero();
        assertThat(out.toString()).contains("--dir", "Exit codes: 0 no problem and no duplicate; 1 problems");
    }

    @Test
    void replayHelpShowsItsOptionsAndTheConnectionOptions() {
        assertThat(run("archive", "replay", "--help")).isZero();
        assertThat(out.toString()).contains("--dir", "--since", "--until", "--filter", "--into-events", "--prefix",
                "--replay-stream", "--server", "--user", "--creds", "--tls-ca", "--stream", "--connect-timeout",
                "replay)", "(default: MESH_REPLAY)");
    }

    @Test
    void prefixAndReplayStreamDoNotApplyToIntoEvents() {
        assertThat(run("archive", "replay", "--dir", dir.toString(), "--into-events", "--prefix", "x"))
                .isEqualTo(2);
        assertThat(errLine()).isEqualTo("--prefix does not apply to --into-events, which publishes to the original"
                + " subjects into the event stream (--stream) (see 'mesh-bridge archive replay --help')");
    }

    @Test
    void replayStreamWithIntoEventsIsAUsageError() {
        assertThat(run("archive", "replay", "--dir", dir.toString(), "--into-events", "--replay-stream", "R"))
                .isEqualTo(2);
        assertThat(errLine()).startsWith("--replay-stream does not apply to --into-events");
    }

    @Test
    void streamWithoutIntoEventsIsAUsageError() {
        assertThat(run("archive", "replay", "--dir", dir.toString(), "--stream", "OTHER")).isEqualTo(2);
        assertThat(errLine()).startsWith("--stream names the event stream, used only with --into-events;");
    }

    @Test
    void aPrefixUnderEventsIsAUsageError() {
        assertThat(run("archive", "replay", "--dir", dir.toString(), "--prefix", "events")).isEqualTo(2);
        assertThat(errLine()).startsWith("subject prefix 'events' would put the replayed events among the live");
    }

    @Test
    void untilBeforeSinceIsAUsageError() {
        assertThat(run("archive", "replay", "--dir", dir.toString(), "--since", "2026-11-29T11:00:00Z",
                "--until", "2026-11-29T10:00:00Z")).isEqualTo(2);
        assertThat(errLine()).startsWith("--until 2026-11-29T10:00:00Z is before --since 2026-11-29T11:00:00Z");
    }

    @Test
    void badTimesAndFiltersAreUsageErrors() {
        assertThat(run("archive", "replay", "--dir", dir.toString(), "--since", "soon")).isEqualTo(2);
        assertThat(run("archive", "replay", "--dir", dir.toString(), "--until", "later")).isEqualTo(2);
        assertThat(run("archive", "replay", "--dir", dir.toString(), "--filter", "tool.*x")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(3).allSatisfy(l -> assertThat(l).contains("--help"));
    }
}
