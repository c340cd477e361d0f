package io.meshbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code dlq} command group: {@code ls}, {@code redrive} and {@code rm} on the dead letters of a running
 * worker, over its HTTP API ({@code /api/dlq}, {@link ApiClient}: {@code --api}, the token from
 * {@code MESH_API_TOKEN}). Results go to stdout, one line each (with {@code --json}, JSON for scripts); a refused
 * or failed request is one line on stderr and exit 1 (with {@code rm --json}, an unknown id is its JSON line on
 * stdout instead); a bad option exit 2.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"List, redrive and delete the dead letters of a running worker (over its HTTP API;",
            "the token comes from MESH_API_TOKEN)."},
        subcommands = {DlqCommand.Ls.class, DlqCommand.Redrive.class, DlqCommand.Rm.class})
final class DlqCommand {

    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code dlq ls}. */
    @Command(name = "ls", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"List dead letters, oldest first: id, route, attempts, when, error.",
                "With --json one dead letter per line as the API gives it (with its event)."})
    static final class Ls implements Callable<Integer> {
        @Mixin
        ApiTarget options;

        @Spec
        CommandSpec spec;

        @Option(names = "--route", paramLabel = "ROUTE", description = "only this route's dead letters")
        String route;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "most dead letters to list (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--all", description = "list every dead letter, page after page (no --limit)")
        boolean all;

        @Option(names = "--json", description = "one dead letter per line as JSON")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            if (limit < 1) {
                throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
            }
            ApiClient client = options.client(spec.commandLine(), Duration.ofSeconds(10));
            PrintWriter out = spec.commandLine().getOut();
            List<JsonNode> rows = new ArrayList<>();
            int shown = 0;
            long total = 0;
            String cursor = null;
            do {
                int page = all ? 1000 : Math.min(1000, limit - shown);
                StringBuilder path = new StringBuilder("/dlq?limit=").append(page);
                if (route != null) {
                    path.append("&route=").append(URLEncoder.encode(route, StandardCharsets.UTF_8));
                }
                if (cursor != null) {
                    path.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                }
                JsonNode answer = client.get(path.toString());
                total = answer.path("total").asLong();
                for (JsonNode letter : answer.path("deadLetters")) {
                    if (json) {
                        out.println(letter.toString());
                    } else {
                        rows.add(letter);
                    }
                    shown++;
                }
                out.flush();
                cursor = answer.path("next").isTextual() ? answer.get("next").asText() : null;
            } while (cursor != null && (all || shown < limit));
            if (!json) {
                DlqTable.print(out, rows, total, cursor != null);
            }
            out.flush();
            return 0;
        }
    }

    /** {@code dlq redrive}. */
    @Command(name = "redrive", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Send dead letters back to the route that failed them, and only to it (never published",
                "again). Each one the route then processes is deleted. Exit 1 unless every one was redriven."})
    static final class Redrive implements Callable<Integer> {
        @Mixin
        ApiTarget options;

        @Spec
        CommandSpec spec;

        @Option(names = "--all", description = "every dead letter")
        boolean all;

        @Option(names = "--route", paramLabel = "ROUTE", description = "this route's dead letters")
        String route;

        @Option(names = "--limit", paramLabel = "N",
                description = "most dead letters this call considers, 1 to 1000 (default: the worker's, 1000)")
        Integer limit;

        @Parameters(paramLabel = "ID", arity = "0..*", description = "these dead letters (ids as dlq ls shows them)")
        List<String> ids = new ArrayList<>();

        @Option(names = "--json", description = "the worker's answer as one JSON object (redriven, failed, skipped,"
                + " more)")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            int chosen = (all ? 1 : 0) + (route != null ? 1 : 0) + (ids.isEmpty() ? 0 : 1);
            if (chosen != 1) {
                throw new ParameterException(spec.commandLine(), "give exactly one of --all, --route ROUTE or IDs");
            }
            ObjectNode body = JSON.createObjectNode();
            if (all) {
                body.put("all", true);
            } else if (route != null) {
                body.put("route", route);
            } else {
                ids.forEach(id -> requireId(spec, id));
                ids.forEach(body.putArray("ids")::add);
            }
            if (limit != null) {
                if (limit < 1 || limit > 1000) {
                    throw new ParameterException(spec.commandLine(), "--limit must be 1 to 1000, was " + limit);
                }
                body.put("limit", limit);
            }
            JsonNode answer = options.client(spec.commandLine(), Duration.ofMinutes(10)).post("/dlq/redrive", body);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(answer.toString());
            } else {
                print(out, answer);
            }
            out.flush();
            return answer.path("failed").isEmpty() && answer.path("skipped").isEmpty() ? 0 : CliException.RUNTIME;
        }

        private static void print(PrintWriter out, JsonNode answer) {
            out.println("redriven " + answer.path("redriven").asLong());
            for (JsonNode f : answer.path("failed")) {
                out.println("failed " + f.path("id").asText() + ": " + Failures.oneLine(f.path("reason").asText()));
            }
            for (JsonNode s : answer.path("skipped")) {
                out.println("skipped " + s.path("id").asText() + ": " + Failures.oneLine(s.path("reason").asText()));
            }
            if (answer.path("more").asBoolean()) {
                out.println("more dead letters remain: run it again");
            }
        }
    }

    /** {@code dlq rm}. */
    @Command(name = "rm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Delete dead letters. One line per id; an unknown one is said on stderr and the others",
                "are still deleted (exit 1)."})
    static final class Rm implements Callable<Integer> {
        @Mixin
        ApiTarget options;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "the dead letters (ids as dlq ls shows them)")
        List<String> ids;

        @Option(names = "--json", description = "one JSON object per id on stdout: id, deleted, and the reason when"
                + " it was not")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            ids.forEach(id -> requireId(spec, id));
            ApiClient client = options.client(spec.commandLine(), Duration.ofSeconds(10));
            PrintWriter out = spec.commandLine().getOut();
            int exit = 0;
            for (String id : ids) {
                try {
                    client.delete("/dlq/" + id);
                    out.println(json ? result(id, null) : "deleted " + id);
                    out.flush();
                } catch (CliException e) {
                    if (!e.getMessage().startsWith("HTTP 404 ")) {
                        throw e; // the worker refuses all of them (401) or cannot be reached: said once
                    }
                    PrintWriter where = json ? out : spec.commandLine().getErr();
                    where.println(json ? result(id, e.getMessage()) : Failures.oneLine(e.getMessage()));
                    where.flush();
                    exit = CliException.RUNTIME;
                }
            }
            return exit;
        }
    }

    /** The {@code --json} line of {@code rm} for one id: deleted, or not and why. */
    private static String result(String id, String notDeleted) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", id);
        line.put("deleted", notDeleted == null);
        if (notDeleted != null) {
            line.put("reason", Failures.oneLine(notDeleted));
        }
        return line.toString();
    }

    private static void requireId(CommandSpec spec, String id) {
        if (!ID.matcher(id).matches()) {
            throw new ParameterException(spec.commandLine(), "'" + id + "' is not a dead letter's id (a positive"
                    + " integer, as dlq ls shows)");
        }
    }
}
