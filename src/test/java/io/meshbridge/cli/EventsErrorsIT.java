package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failures of the packaged jar: one line on stderr, no stack trace, exit 1 (runtime) or 2 (usage). */
class EventsErrorsIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void emitWithAnArgumentWithoutEqualsIsAUsageError() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "emit", "tool.started", "novalue", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderrLines()).as(run.toString()).hasSize(1);
        assertThat(run.stderr()).contains("novalue");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void listWhereNothingListensFailsWithOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliProcess.Result run = CliProcess.run("events", "list", "--server", "nats://127.0.0.1:" + port);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderrLines()).as(run.toString()).hasSize(1);
        assertThat(run.stderr()).startsWith("cannot connect to NATS at nats://127.0.0.1:" + port + ": ")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void listWithoutTheStreamFailsAndCreatesNothing() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "list", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderrLines()).as(run.toString())
                .containsExactly("stream MESH_EVENTS not found on " + NATS.url());
        Connection nc = NATS.connect();
        assertThat(nc.jetStreamManagement().getStreamNames()).isEmpty();
    }
}
