package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.app.WorkDir;
import io.meshbridge.app.WorkerProcess;
import io.meshbridge.app.Workers;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code connectors ls|pause|resume|restart|position} against a worker process (the packaged jar) with an API
 * token, over real HTTP: exact deliveries after each command, the answers with and without the token
 * ({@code MESH_API_TOKEN}), and the one-line errors with their exit codes.
 */
class ConnectorsCommandIT {

    private static final String TOKEN = "connectors-cli-token-0123456789";
    private static final Duration DONE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    /** What one run of the command line printed. */
    private record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.strip().split("\n"));
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.strip().split("\n"));
        }

        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @Test
    void lsPauseResumePositionAndRestartAgainstAWorker() throws Exception {
        Connection nc = NATS.connect();
        WorkDir.create(dir, NATS.url(), """
                - route:
                    id: cli
                    from:
                      uri: "mesh:events.cli.>"
                      steps:
                        - log: "got ${header.CamelMeshSequence}"
                """, Map.of("mesh.api.tokens", TOKEN));
        WorkerProcess w = workers.startWorker("cli", dir);
        String api = "http://127.0.0.1:" + w.httpPort();
        Map<String, String> env = Map.of("MESH_API_TOKEN", TOKEN);

        Run ls = run(env, "connectors", "ls", "--api", api);
        assertThat(ls.exit).as(ls.toString()).isZero();
        assertThat(ls.outLines()).hasSize(2);
        assertThat(ls.outLines().get(0)).startsWith("ID").contains("STATE", "PENDING", "ACK PENDING", "DELIVERED",
                "ACKED", "FAILED", "DLQ");
        assertThat(ls.outLines().get(1).split(" +")).startsWith("cli", "running", "0", "0", "0", "0", "0", "0");
        assertThat(ls.err).isEmpty();

        Run refused = run(Map.of(), "connectors", "ls", "--api", api);
        assertThat(refused.exit).isEqualTo(1);
        assertThat(refused.out).isEmpty();
        assertThat(refused.errLines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("HTTP 401 from GET /api/connectors: ").endsWith("(set MESH_API_TOKEN)"));
        Run wrong = run(Map.of("MESH_API_TOKEN", "not-the-token-0123456789"), "connectors", "pause", "cli", "--api",
                api);
        assertThat(wrong.exit).isEqualTo(1);
        assertThat(wrong.errLines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("HTTP 401 from POST /api/connectors/cli/pause").doesNotContain(TOKEN));
        assertThat(state(env, api).get("state").asText()).as("the refused pause changed nothing")
                .isEqualTo("running");
        everyCommandIsRefusedWithoutTheTokenAndWithAWrongOne(nc, env, api);

        Run paused = run(env, "connectors", "pause", "cli", "--reason", "disk swap", "--api", api);
        assertThat(paused.exit).as(paused.toString()).isZero();
        assertThat(paused.outLines()).containsExactly("paused cli on every worker sharing durable cli (reason: disk"
                + " swap)");
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seqs.add(MeshTests.publishEvent(nc, "cli.item", "{\"i\":" + i + "}", "cli-" + i));
        }
        await().atMost(DONE).failFast("worker exited", w::exited)
                .until(() -> state(env, api).path("server").path("pending").asLong() == 4);
        JsonNode whilePaused = state(env, api);
        assertThat(whilePaused.get("state").asText()).isEqualTo("paused");
        assertThat(whilePaused.get("pause").get("reason").asText()).isEqualTo("disk swap");
        assertThat(whilePaused.get("counts").get("delivered").asLong()).isZero();
        Run pausedTable = run(env, "connectors", "ls", "--api", api);
        assertThat(pausedTable.outLines().get(1).split(" +")).startsWith("cli", "paused", "4", "0", "0");
        assertThat(pausedTable.outLines().get(1)).endsWith("paused: disk swap");

        Run resumed = run(env, "connectors", "resume", "cli", "--api", api);
        assertThat(resumed.outLines()).containsExactly("resumed cli (state running)");
        await().atMost(DONE).failFast("worker exited", w::exited).until(() -> acknowledged(env, api) >= 4);
        assertThat(state(env, api).get("counts").get("delivered").asLong()).isEqualTo(4);

        Run moved = run(env, "connectors", "position", "cli", "--sequence", Long.toString(seqs.get(1)), "--api", api);
        assertThat(moved.exit).as(moved.toString()).isZero();
        assertThat(moved.outLines()).containsExactly("repositioned cli: durable cli delivers next from stream"
                + " sequence " + seqs.get(1));
        await().atMost(DONE).failFast("worker exited", w::exited).until(() -> acknowledged(env, api) >= 7);
        MeshTests.awaitDrained(nc, "MESH_EVENTS", "cli", 3);
        assertThat(state(env, api).get("counts").get("delivered").asLong()).as("sequences 2 to 4 again")
                .isEqualTo(7);

        String time = nc.jetStreamManagement().getMessage("MESH_EVENTS", seqs.get(3)).getTime().toInstant()
                .toString();
        Run byTime = run(env, "connectors", "position", "cli", "--time", time, "--json", "--api", api);
        assertThat(byTime.exit).as(byTime.toString()).isZero();
        assertThat(byTime.json().get("position").get("nextSequence").asLong()).isEqualTo(seqs.get(3));
        await().atMost(DONE).failFast("worker exited", w::exited).until(() -> acknowledged(env, api) >= 8);
        MeshTests.awaitDrained(nc, "MESH_EVENTS", "cli", 1);
        assertThat(state(env, api).get("counts").get("delivered").asLong()).isEqualTo(8);

        Run restarted = run(env, "connectors", "restart", "cli", "--api", api);
        assertThat(restarted.outLines()).containsExactly("restarted cli (state running)");
        assertThat(state(env, api).get("counts").get("delivered").asLong()).as("nothing delivered again")
                .isEqualTo(8);

        Run unknown = run(env, "connectors", "resume", "nope", "--api", api);
        assertThat(unknown.exit).isEqualTo(1);
        assertThat(unknown.errLines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("HTTP 404 from POST /api/connectors/nope/resume: no connector 'nope'"));
        Run neither = run(env, "connectors", "position", "cli", "--api", api);
        assertThat(neither.exit).isEqualTo(2);
        assertThat(neither.errLines()).singleElement().satisfies(line -> assertThat(line).contains("--sequence",
                "--time"));
        Run both = run(env, "connectors", "position", "cli", "--sequence", "1", "--time", "1h", "--api", api);
        assertThat(both.exit).isEqualTo(2);
        Run tooFar = run(env, "connectors", "position", "cli", "--sequence", "999999", "--api", api);
        assertThat(tooFar.exit).isEqualTo(1);
        assertThat(tooFar.errLines()).singleElement().satisfies(line -> assertThat(line)
                .contains("HTTP 400", "sequence must be at most"));
    }

    /**
     * Each subcommand without {@code MESH_API_TOKEN} and with a wrong one: exit 1, nothing on stdout, the one line of
     * the worker's 401 on stderr (with the hint to set the token when none was), and the connector as it was.
     */
    private void everyCommandIsRefusedWithoutTheTokenAndWithAWrongOne(Connection nc, Map<String, String> env,
                                                                      String api) throws Exception {
        String wrongToken = "not-the-token-0123456789";
        String refusal = "the API needs Authorization: Bearer <token> with one of mesh.api.tokens";
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("GET /api/connectors", List.of("ls"));
        commands.put("POST /api/connectors/cli/pause", List.of("pause", "cli", "--reason", "refused"));
        commands.put("POST /api/connectors/cli/resume", List.of("resume", "cli"));
        commands.put("POST /api/connectors/cli/restart", List.of("restart", "cli"));
        commands.put("PUT /api/connectors/cli/position", List.of("position", "cli", "--sequence", "1"));
        ConsumerInfo before = nc.jetStreamManagement().getConsumerInfo("MESH_EVENTS", "cli");
        for (Map.Entry<String, List<String>> command : commands.entrySet()) {
            List<String> args = new ArrayList<>(List.of("connectors"));
            args.addAll(command.getValue());
            args.addAll(List.of("--api", api));
            for (boolean withWrongToken : new boolean[] {false, true}) {
                Run r = run(withWrongToken ? Map.of("MESH_API_TOKEN", wrongToken) : Map.of(),
                        args.toArray(String[]::new));
                String what = String.join(" ", args) + (withWrongToken ? " with a wrong token" : " without a token");
                assertThat(r.exit).as(what).isEqualTo(1);
                assertThat(r.out).as(what).isEmpty();
                assertThat(r.errLines()).as(what).containsExactly("HTTP 401 from " + command.getKey() + ": " + refusal
                        + (withWrongToken ? "" : " (set MESH_API_TOKEN)"));
            }
        }
        JsonNode after = state(env, api);
        assertThat(after.get("state").asText()).as("no refused command changed the connector").isEqualTo("running");
        assertThat(after.get("pause").isNull()).isTrue();
        assertThat(after.get("counts").get("delivered").asLong()).isZero();
        assertThat(nc.jetStreamManagement().getConsumerInfo("MESH_EVENTS", "cli").getCreationTime())
                .as("the durable was not repositioned").isEqualTo(before.getCreationTime());
    }

    private JsonNode state(Map<String, String> env, String api) throws Exception {
        Run r = run(env, "connectors", "ls", "--json", "--api", api);
        assertThat(r.exit).as(r.toString()).isZero();
        return r.json().get("connectors").get(0);
    }

    private long acknowledged(Map<String, String> env, String api) throws Exception {
        return state(env, api).get("counts").get("acknowledged").asLong();
    }

    /** Runs the command line in this JVM with {@code env} as its environment. */
    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        for (CommandLine sub : cl.getSubcommands().get("connectors").getSubcommands().values()) {
            ((ConnectorsCommand.ApiOptions) sub.getCommandSpec().mixins().get("options").userObject()).target.env = env;
        }
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
