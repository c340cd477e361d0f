package io.meshbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code health [--api URL] [--timeout D]}: one {@code GET <api>/health} to a running worker, as a
 * container's health probe. Prints one line on stdout, {@code UP (<url>)} and exit 0 for a 200 answer,
 * {@code DOWN (<url>): <what is down>} and exit 1 for any other status (the worker's problems, when its
 * body lists them); a worker that cannot be reached or does not answer within the timeout is one line on
 * stderr and exit 1; a bad option exit 2. The default URL is {@code http://127.0.0.1:$MESH_HTTP_PORT}
 * (8080 when unset), so a probe inside the worker's container needs no options. When {@code MESH_API_TOKEN}
 * is set it is sent as {@code Authorization: Bearer} (for a worker whose health is behind the API token) and
 * never printed. Redirects are not followed; at most 64 KiB of the body is read. With {@code --json} the one line
 * is a JSON object instead, for scripts: {@code {"status":"UP"|"DOWN","http":<status>,"url":...,"problems":[...]}}
 * (the same exit codes; an unreachable worker is still one line on stderr).
 */
@Command(name = "health", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Ask a running worker whether it is ready (GET <api>/health): exit 0 when it is,",
            "1 when it is not or cannot be reached, 2 for a bad option. One line on stdout or stderr",
            "(with --json a JSON object on stdout)."})
final class HealthCommand implements Callable<Integer> {

    static final int DEFAULT_PORT = 8080;
    private static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--api", paramLabel = "URL",
            description = "the worker's HTTP base URL (default: http://127.0.0.1:$MESH_HTTP_PORT, port 8080"
                    + " when unset)")
    String api;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = TimeoutConverter.class,
            description = "time allowed to connect and to answer, e.g. 5s, 500ms (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--json", description = "one JSON object: status, http, url, problems")
    boolean json;

    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws InterruptedException {
        URI url = healthUrl();
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).GET()
                .header("Accept", "application/json");
        String token = env.get("MESH_API_TOKEN");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        int status;
        byte[] body;
        try {
            HttpResponse<InputStream> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY);
            }
        } catch (HttpTimeoutException e) {
            throw CliException.runtime("no answer from " + url + " within " + format(timeout), e);
        } catch (IOException e) {
            throw CliException.runtime("cannot reach " + url + ": " + reason(e), e);
        }
        boolean up = status == 200;
        if (json) {
            spec.commandLine().getOut().println(asJson(up, status, url, body));
        } else if (up) {
            spec.commandLine().getOut().println("UP (" + url + ")");
        } else {
            spec.commandLine().getOut().println("DOWN (" + url + "): " + problems(status, body));
        }
        spec.commandLine().getOut().flush();
        return up ? 0 : CliException.RUNTIME;
    }

    /** The {@code --json} line: the verdict, the HTTP status, the URL asked and the worker's problems. */
    static String asJson(boolean up, int status, URI url, byte[] body) {
        ObjectNode line = JSON.createObjectNode();
        line.put("status", up ? "UP" : "DOWN");
        line.put("http", status);
        line.put("url", url.toString());
        ArrayNode problems = line.putArray("problems");
        workerProblems(body).forEach(problems::add);
        return line.toString();
    }

    /** {@code <api>/health}, the default API URL from {@code MESH_HTTP_PORT}; usage errors name the option. */
    URI healthUrl() {
        return ApiClient.resolve(ApiClient.base(spec.commandLine(), api, env), "/health");
    }

    /** {@code http://127.0.0.1:<MESH_HTTP_PORT or 8080>}. */
    static String defaultApi(Map<String, String> env) {
        return ApiClient.defaultApi(env);
    }

    /** What is down: the {@code problems} of the worker's JSON body, else the status alone. */
    static String problems(int status, byte[] body) {
        List<String> problems = workerProblems(body);
        return problems.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + String.join("; ", problems);
    }

    /** The {@code problems} of the worker's JSON body, one line each; none when the body is not such JSON. */
    private static List<String> workerProblems(byte[] body) {
        List<String> problems = new ArrayList<>();
        try {
            JsonNode node = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            if (node != null && node.path("problems").isArray()) {
                node.path("problems").forEach(p -> problems.add(Failures.oneLine(p.asText())));
            }
        } catch (IOException e) {
            // not JSON (or cut at the limit): the status says enough
        }
        return problems;
    }

    /** Why a worker could not be reached, in a few words (the JDK client's exceptions often carry none). */
    static String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        if (e instanceof ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "connection refused";
        }
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : Failures.oneLine(message);
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Reads {@code 5s}, {@code 500ms} or {@code 1m}; positive. */
    static final class TimeoutConverter implements ITypeConverter<Duration> {
        private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s|m)");

        @Override
        public Duration convert(String value) {
            Matcher m = DURATION.matcher(value.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new TypeConversionException("'" + value + "' is not a positive duration such as 5s or 500ms");
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
    }
}
