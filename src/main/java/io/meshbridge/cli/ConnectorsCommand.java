package io.meshbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.events.Timestamps;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code connectors ls|pause|resume|restart|position}: a running worker's connectors through its HTTP API
 * ({@code /api/connectors...}, see {@link ApiClient}: {@code --api}, the token from {@code MESH_API_TOKEN}).
 * {@code ls} prints a table, the others one line; {@code --json} prints the API's answer instead. A refusal of the
 * worker (its status and reason) or a worker that cannot be reached is one line on stderr and exit 1; a bad option
 * exit 2.
 */
@Command(name = "connectors", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"List, pause, resume, restart and reposition a running worker's connectors (its routes",
            "consuming mesh:) through its HTTP API. The token comes from MESH_API_TOKEN."},
        subcommands = {ConnectorsCommand.Ls.class, ConnectorsCommand.Pause.class, ConnectorsCommand.Resume.class,
            ConnectorsCommand.Restart.class, ConnectorsCommand.Position.class})
final class ConnectorsCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The options of every subcommand: the worker ({@link ApiTarget}) and the output. */
    static final class ApiOptions {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Mixin
        ApiTarget target;

        @Option(names = "--json", description = "print the API's JSON answer instead")
        boolean json;

        /** A restart or a position waits up to twice the worker's mesh.shutdown.timeout: 60 s by default. */
        ApiClient client() {
            return target.client(spec.commandLine(), Duration.ofSeconds(60));
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Prints {@code answer} as JSON with {@code --json}, else {@code line}; flushes. */
        int print(JsonNode answer, String line) {
            PrintWriter out = out();
            try {
                out.println(json ? JSON.writeValueAsString(answer) : line);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            out.flush();
            return 0;
        }
    }

    /** {@code /connectors/<id>} with the id encoded as one path segment. */
    static String path(String id) {
        return "/connectors/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "List the worker's connectors: state, events pending on the durable, and this worker's"
                    + " counts.")
    static final class Ls implements Callable<Integer> {
        @Mixin
        ApiOptions options;

        @Override
        public Integer call() throws InterruptedException {
            JsonNode answer = options.client().get("/connectors");
            if (options.json) {
                return options.print(answer, null);
            }
            PrintWriter out = options.out();
            table(answer.path("connectors")).forEach(out::println);
            out.flush();
            return 0;
        }

        /** The table's lines: a header, then one line per connector. */
        static List<String> table(JsonNode connectors) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "STATE", "PENDING", "ACK PENDING", "DELIVERED", "ACKED", "FAILED", "DLQ",
                "NOTE"});
            for (JsonNode c : connectors) {
                JsonNode server = c.path("server");
                JsonNode counts = c.path("counts");
                JsonNode pause = c.path("pause");
                String note = pause.hasNonNull("reason") ? "paused: " + pause.get("reason").asText()
                        : server.hasNonNull("problem") ? server.get("problem").asText() : "";
                rows.add(new String[] {c.path("id").asText(), c.path("state").asText(), number(server, "pending"),
                    number(server, "ackPending"), number(counts, "delivered"), number(counts, "acknowledged"),
                    number(counts, "failed"), number(counts, "deadLettered"), Failures.oneLine(note)});
            }
            int[] widths = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            List<String> lines = new ArrayList<>();
            for (String[] row : rows) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    boolean numeric = i >= 2 && i <= 7;
                    String cell = numeric ? " ".repeat(widths[i] - row[i].length()) + row[i]
                            : i == row.length - 1 ? row[i] : row[i] + " ".repeat(widths[i] - row[i].length());
                    b.append(i == 0 ? "" : "  ").append(cell);
                }
                lines.add(b.toString().stripTrailing());
            }
            if (rows.size() == 1) {
                lines.add("(no connectors)");
            }
            return lines;
        }

        private static String number(JsonNode node, String field) {
            JsonNode v = node.path(field);
            return v.isNumber() ? v.asText() : "-";
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Pause a connector on every worker sharing its durable (kept in NATS until resumed or"
                    + " its route starts again).")
    static final class Pause implements Callable<Integer> {
        @Mixin
        ApiOptions options;

        @Parameters(paramLabel = "ID", description = "the connector's route id")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why (shown by ls and in the worker's log)")
        String reason;

        @Override
        public Integer call() throws InterruptedException {
            ObjectNode body = JSON.createObjectNode();
            if (reason != null) {
                body.put("reason", reason);
            }
            JsonNode c = options.client().post(path(id) + "/pause", body);
            return options.print(c, "paused " + c.path("id").asText() + " on every worker sharing durable "
                    + c.path("durable").asText() + " (reason: " + c.path("pause").path("reason").asText("?") + ")");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Resume a paused connector on every worker.")
    static final class Resume implements Callable<Integer> {
        @Mixin
        ApiOptions options;

        @Parameters(paramLabel = "ID", description = "the connector's route id")
        String id;

        @Override
        public Integer call() throws InterruptedException {
            JsonNode c = options.client().post(path(id) + "/resume", null);
            return options.print(c, "resumed " + c.path("id").asText() + " (state " + c.path("state").asText()
                    + ")");
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Restart a connector's route on this worker (its start resumes it on every worker).")
    static final class Restart implements Callable<Integer> {
        @Mixin
        ApiOptions options;

        @Parameters(paramLabel = "ID", description = "the connector's route id")
        String id;

        @Override
        public Integer call() throws InterruptedException {
            JsonNode c = options.client().post(path(id) + "/restart", null);
            return options.print(c, "restarted " + c.path("id").asText() + " (state " + c.path("state").asText()
                    + ")");
        }
    }

    @Command(name = "position", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Move a connector's durable to a stream sequence or a time, to rewind or skip: it",
                "delivers next the first event at or after it (every worker pauses meanwhile)."})
    static final class Position implements Callable<Integer> {
        @Mixin
        ApiOptions options;

        @Parameters(paramLabel = "ID", description = "the connector's route id")
        String id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Where where;

        static final class Where {
            @Option(names = "--sequence", paramLabel = "N", description = "a stream sequence (at least 1)")
            Long sequence;

            @Option(names = "--time", paramLabel = "TIME", converter = SinceParser.Converter.class,
                    description = "RFC 3339 (2026-11-29T10:00:00Z) or a duration back from now (30s, 10m, 2h, 1d)")
            Instant time;
        }

        @Override
        public Integer call() throws InterruptedException {
            ObjectNode body = JSON.createObjectNode();
            if (where.sequence != null) {
                if (where.sequence < 1) {
                    throw new ParameterException(options.spec.commandLine(), "--sequence must be at least 1, was "
                            + where.sequence);
                }
                body.put("sequence", where.sequence);
            } else {
                body.put("time", Timestamps.format(where.time));
            }
            JsonNode c = options.client().put(path(id) + "/position", body);
            JsonNode p = c.path("position");
            String note = p.hasNonNull("note") ? " (" + p.get("note").asText() + ")" : "";
            return options.print(c, "repositioned " + c.path("id").asText() + ": durable "
                    + c.path("durable").asText() + " delivers next from stream sequence "
                    + p.path("nextSequence").asText() + note);
        }
    }
}
