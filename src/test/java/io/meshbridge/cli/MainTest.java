package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line in process: parsing, usage errors, help and version; nothing here connects. */
class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void emitWithoutEqualsIsOneLineAndExitCodeTwo() {
        assertThat(run("events", "emit", "tool.started", "novalue")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("expected key=value, got 'novalue' (no '=')"
                + " (see 'mesh-bridge events emit --help')" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void emitWithAnEmptyKeyOrABadTypeIsAUsageError() {
        assertThat(run("events", "emit", "tool.started", "=x")).isEqualTo(2);
        assertThat(run("events", "emit", "tool.*", "a=1")).isEqualTo(2);
        assertThat(run("events", "emit")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(3);
    }

    @Test
    void badListOptionsAreUsageErrors() {
        assertThat(run("events", "list", "--since", "soon")).isEqualTo(2);
        assertThat(run("events", "list", "--filter", "tool.*x")).isEqualTo(2);
        assertThat(run("events", "list", "--limit", "0")).isEqualTo(2);
        assertThat(run("events", "list", "--connect-timeout", "fast")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(4).allSatisfy(l -> assertThat(l).contains("--help"));
    }

    @Test
    void missingSubcommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("events")).isEqualTo(2);
    }

    @Test
    void helpListsTheEventsCommands() {
        assertThat(run("events", "--help")).isZero();
        assertThat(out.toString()).contains("list", "watch", "emit");
    }

    @Test
    void versionIsPrinted() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("mesh-bridge ");
    }

    @Test
    void listHelpShowsTheSharedConnectionOptions() {
        assertThat(run("events", "list", "--help")).isZero();
        assertThat(out.toString()).contains("--server", "--user", "--password", "--token", "--nkey", "--creds",
                "--tls-ca", "--tls-cert", "--tls-key", "--tls-first", "--stream", "--connect-timeout", "--filter",
                "--limit", "--since", "--json", "--utc", "--strict", "--archive", "--verbose");
    }
}
