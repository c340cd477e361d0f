package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code connectors} table, the path of an id, and the usage errors, without a worker. */
class ConnectorsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theTableAlignsItsColumnsAndSaysWhatIsUnknown() throws Exception {
        JsonNode connectors = JSON.readTree("""
                [{"id":"archive-events","state":"paused","pause":{"reason":"disk swap"},
                  "counts":{"delivered":1200,"acknowledged":1190,"failed":3,"deadLettered":1},
                  "server":{"pending":40,"ackPending":0,"problem":null}},
                 {"id":"hook","state":"running","pause":null,
                  "counts":{"delivered":7,"acknowledged":7,"failed":0,"deadLettered":0},
                  "server":{"pending":null,"ackPending":null,"problem":"NATS did not answer: timeout"}}]
                """);
        assertThat(ConnectorsCommand.Ls.table(connectors)).containsExactly(
                "ID              STATE    PENDING  ACK PENDING  DELIVERED  ACKED  FAILED  DLQ  NOTE",
                "archive-events  paused        40            0       1200   1190       3    1  paused: disk swap",
                "hook            running        -            -          7      7       0    0  NATS did not answer:"
                        + " timeout");
        assertThat(ConnectorsCommand.Ls.table(JSON.readTree("[]"))).containsExactly(
                "ID  STATE  PENDING  ACK PENDING  DELIVERED  ACKED  FAILED  DLQ  NOTE", "(no connectors)");
    }

    @Test
    void anIdIsOnePathSegment() {
        assertThat(ConnectorsCommand.path("archive-events")).isEqualTo("/connectors/archive-events");
        assertThat(ConnectorsCommand.path("a b/c+d")).isEqualTo("/connectors/a%20b%2Fc%2Bd");
    }

    @Test
    void badOptionsAreUsageErrorsOfOneLine() {
        for (String[] args : new String[][] {
            {"connectors", "position", "x"},
            {"connectors", "position", "x", "--sequence", "1", "--time", "1h"},
            {"connectors", "position", "x", "--time", "yesterday"},
            {"connectors", "position", "x", "--sequence", "0"},
            {"connectors", "ls", "--api", "ftp://host"},
            {"connectors", "pause"},
        }) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
            for (CommandLine sub : cl.getSubcommands().get("connectors").getSubcommands().values()) {
                ((ConnectorsCommand.ApiOptions) sub.getCommandSpec().mixins().get("options").userObject()).target.env =
                        Map.of();
            }
            assertThat(cl.execute(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(out.toString()).isEmpty();
            assertThat(err.toString().strip()).as(String.join(" ", args)).doesNotContain("\n")
                    .endsWith("--help')");
        }
    }
}
