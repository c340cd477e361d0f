package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshbridge.app.WorkDir;
import io.meshbridge.app.WorkerProcess;
import io.meshbridge.app.Workers;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.MessageInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dlq ls|rm|redrive} against a worker process with a webhook route whose endpoint refuses events
 * (400: dead-lettered at once) until the test lets them through, over real HTTP with the API token from
 * {@code MESH_API_TOKEN}, and refused without it. The command runs in process (its environment replaced) and
 * once as the packaged jar.
 */
class DlqCommandIT {

    private static final String TOKEN = "dlq-cli-token-0123456789abcdef";
    private static final Duration DONE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    private String api;

    /** One run of the command line in process. */
    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    private Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        for (CommandLine sub : cl.getSubcommands().get("dlq").getSubcommands().values()) {
            ((ApiTarget) sub.getCommandSpec().mixins().get("options").userObject()).env = env;
        }
        List<String> all = new ArrayList<>(List.of(args));
        if (args.length > 1) {
            all.addAll(2, List.of("--api", api));
        }
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private Run withToken(String... args) {
        return run(Map.of("MESH_API_TOKEN", TOKEN), args);
    }

    @Test
    void listRemoveAndRedriveTheDeadLettersOfAWebhookRoute() throws Exception {
        Connection nc = NATS.connect();
        List<String> webhookIds = new CopyOnWriteArrayList<>();
        int[] status = {400};
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhookIds.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        receiver.start();
        try {
            WorkDir.create(dir, NATS.url(), """
                    - templatedRoute:
                        routeTemplateRef: mesh-webhook
                        routeId: hook
                        parameters:
                          - name: filter
                            value: events.dlqcli.>
                          - name: url
                            value: "http://127.0.0.1:%d/hook"
                    """.formatted(receiver.getAddress().getPort()), Map.of("mesh.api.tokens", TOKEN));
            WorkerProcess w = workers.startWorker("dlq", dir);
            api = "http://127.0.0.1:" + w.httpPort();
            commands(nc, w, webhookIds, status);
        } finally {
            receiver.stop(0);
        }
    }

    private void commands(Connection nc, WorkerProcess w, List<String> webhookIds, int[] status) throws Exception {
        List<String> ids = List.of("dlqcli-0", "dlqcli-1", "dlqcli-2");
        for (String id : ids) {
            MeshTests.publishEvent(nc, "dlqcli.x", "{\"id\":\"" + id + "\"}", id);
        }
        await().atMost(DONE).failFast("worker exited", w::exited)
                .until(() -> MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.hook").size() == 3);
        List<MessageInfo> stored = MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.hook");
        List<String> letters = stored.stream().map(MessageInfo::getSeq).map(String::valueOf).toList();
        // the webhook posts concurrently: the dead letters' order is the order the endpoint refused them in
        List<String> dead = stored.stream().map(m -> m.getHeaders().getFirst(MeshConstants.DLQ_ORIGINAL_ID)).toList();
        assertThat(dead).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(webhookIds).containsExactlyInAnyOrderElementsOf(ids);

        Run ls = withToken("dlq", "ls");
        assertThat(ls.exit()).as(ls.err()).isZero();
        assertThat(ls.lines()).hasSize(5);
        assertThat(ls.lines().get(0)).matches("ID +ROUTE +ATTEMPTS +DEAD-LETTERED +ERROR");
        for (int i = 0; i < 3; i++) {
            assertThat(ls.lines().get(i + 1)).matches(" *" + letters.get(i) + " +hook +1 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:"
                    + "\\d\\d:\\d\\dZ +MeshPermanentException: HTTP 400 from http://127\\.0\\.0\\.1:\\d+");
        }
        assertThat(ls.lines().get(4)).isEqualTo("3 dead letters");
        Run two = withToken("dlq", "ls", "--limit", "2");
        assertThat(two.lines()).hasSize(4).last().isEqualTo("2 of 3 dead letters (--all lists every one)");
        Run json = withToken("dlq", "ls", "--json", "--route", "hook");
        List<JsonNode> rows = new ArrayList<>();
        for (String line : json.lines()) {
            rows.add(JSON.readTree(line));
        }
        assertThat(rows).extracting(r -> r.get("eventId").asText()).containsExactlyElementsOf(dead);
        assertThat(rows).extracting(r -> r.get("event").get("data").get("id").asText()).containsExactlyElementsOf(dead);

        // each command with the request it sends
        List<Map.Entry<String[], String>> commands = List.of(
                Map.entry(new String[] {"dlq", "ls"}, "GET /api/dlq"),
                Map.entry(new String[] {"dlq", "rm", letters.get(0)}, "DELETE /api/dlq/" + letters.get(0)),
                Map.entry(new String[] {"dlq", "redrive", "--all"}, "POST /api/dlq/redrive"),
                Map.entry(new String[] {"dlq", "redrive", "--route", "hook"}, "POST /api/dlq/redrive"),
                Map.entry(new String[] {"dlq", "redrive", letters.get(1)}, "POST /api/dlq/redrive"));
        for (Map.Entry<String[], String> command : commands) {
            for (boolean withWrongToken : new boolean[] {false, true}) {
                String[] args = command.getKey();
                Run refused = run(withWrongToken ? Map.of("MESH_API_TOKEN", "not-the-token-0123456789") : Map.of(),
                        args);
                String what = String.join(" ", args) + (withWrongToken ? " with a wrong token" : " without a token");
                assertThat(refused.exit()).as(what).isEqualTo(1);
                assertThat(refused.out()).as(what).isEmpty();
                assertThat(refused.err()).as(what).isEqualTo("HTTP 401 from " + command.getValue() + ": the API"
                        + " needs Authorization: Bearer <token> with one of mesh.api.tokens"
                        + (withWrongToken ? "" : " (set MESH_API_TOKEN)") + "\n");
            }
        }
        assertThat(MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq.hook")).as("nothing removed or redriven")
                .extracting(MessageInfo::getSeq).containsExactlyElementsOf(stored.stream().map(MessageInfo::getSeq)
                        .toList());
        assertThat(webhookIds).as("nothing redriven").hasSize(3);

        Run rm = withToken("dlq", "rm", letters.get(0), "999999");
        assertThat(rm.exit()).isEqualTo(1);
        assertThat(rm.out()).isEqualTo("deleted " + letters.get(0) + "\n");
        assertThat(rm.err()).isEqualTo("HTTP 404 from DELETE /api/dlq/999999: no dead letter with id 999999"
                + " (deleted, redriven or expired)\n");

        Run rmJson = withToken("dlq", "rm", "--json", "999999");
        assertThat(rmJson.exit()).isEqualTo(1);
        assertThat(rmJson.out()).isEqualTo("{\"id\":\"999999\",\"deleted\":false,\"reason\":\"HTTP 404 from DELETE"
                + " /api/dlq/999999: no dead letter with id 999999 (deleted, redriven or expired)\"}\n");
        assertThat(rmJson.err()).isEmpty();

        status[0] = 204;
        Run byId = withToken("dlq", "redrive", "--json", letters.get(1));
        assertThat(byId.exit()).as(byId.out() + byId.err()).isZero();
        assertThat(byId.out()).isEqualTo("{\"redriven\":1,\"failed\":[],\"skipped\":[],\"more\":false}\n");
        assertThat(webhookIds).hasSize(4).last().as("the same webhook-id").isEqualTo(dead.get(1));
        Run byRoute = withToken("dlq", "redrive", "--route", "hook");
        assertThat(byRoute.out()).isEqualTo("redriven 1\n");
        assertThat(webhookIds).hasSize(5).last().isEqualTo(dead.get(2));
        assertThat(withToken("dlq", "ls").out()).isEqualTo("no dead letters\n");
        assertThat(MeshTests.messages(nc, MeshConstants.DLQ_STREAM, null)).isEmpty();
        assertThat(withToken("dlq", "redrive", "--all").out()).isEqualTo("redriven 0\n");
        Run gone = withToken("dlq", "redrive", "--json", letters.get(2));
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.out()).isEqualTo("{\"redriven\":0,\"failed\":[],\"skipped\":[{\"id\":\"" + letters.get(2)
                + "\",\"reason\":\"no dead letter with this id (deleted, redriven or expired)\"}],\"more\":false}\n");

        assertThat(withToken("dlq", "redrive").exit()).isEqualTo(2);
        assertThat(withToken("dlq", "redrive", "--all", "12").exit()).isEqualTo(2);
        Run badId = withToken("dlq", "rm", "abc");
        assertThat(badId.exit()).isEqualTo(2);
        assertThat(badId.err().lines()).singleElement().asString().startsWith("'abc' is not a dead letter's id");

        CliProcess.Result jar = CliProcess.run(Map.of("MESH_API_TOKEN", TOKEN), "dlq", "ls", "--api", api);
        assertThat(jar.exitCode()).as(jar.toString()).isZero();
        assertThat(jar.stdout()).isEqualTo("no dead letters\n");
        CliProcess.Result noToken = CliProcess.run(Map.of("MESH_API_TOKEN", ""), "dlq", "ls", "--api", api);
        assertThat(noToken.exitCode()).as(noToken.toString()).isEqualTo(1);
        assertThat(noToken.stderrLines()).singleElement().asString().startsWith("HTTP 401 from GET /api/dlq");
    }
}
