package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.testing.NatsServer;
import io.meshbridge.testing.NatsServerExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connection options of the packaged jar against a server requiring a user and password. */
class EventsAuthIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension(NatsServer.builder()
            .config("authorization { user: alice, password: \"s3cret-pw\" }")
            .clientOptions(o -> o.userInfo("alice", "s3cret-pw")));

    @Test
    void passwordFromTheEnvironmentAuthenticates() throws Exception {
        CliProcess.Result emit = CliProcess.run(Map.of("NATS_PASSWORD", "s3cret-pw"),
                "events", "emit", "tool.started", "tool=calc", "--user", "alice", "--server", NATS.url());
        CliProcess.Result list = CliProcess.run(Map.of("NATS_PASSWORD", "s3cret-pw"),
                "events", "list", "--json", "--user", "alice", "--server", NATS.url());

        assertThat(emit.exitCode()).as(emit.toString()).isZero();
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdoutLines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("\"tool\":\"calc\""));
    }

    @Test
    void aWrongPasswordIsOneLineWithoutTheSecret() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "list", "--user", "alice", "--password", "wrong-pw",
                "--server", NATS.url(), "--verbose");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderrLines().get(0)).startsWith("cannot connect to NATS at " + NATS.url() + ": ")
                .containsIgnoringCase("authorization");
        assertThat(run.stdout() + run.stderr()).doesNotContain("wrong-pw");
    }

    @Test
    void aUserWithoutPasswordIsAUsageError() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "list", "--user", "alice", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderrLines()).hasSize(1);
        assertThat(run.stderr()).contains("NATS_PASSWORD");
    }
}
