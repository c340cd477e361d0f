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
        assertThat(out.toString()).contains("verify");
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
    void verifyHelpDocumentsTheExitCodes() {
        assertThat(run("archive", "verify", "--help")).isZero();
        assertThat(out.toString()).contains("--dir", "Exit codes: 0 no problem and no duplicate; 1 problems");
    }
}
