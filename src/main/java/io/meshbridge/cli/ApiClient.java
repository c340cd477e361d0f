package io.meshbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The command line's client of a running worker's HTTP API ({@code <base>/api/...}): JSON in and out, the
 * token from {@code MESH_API_TOKEN} as {@code Authorization: Bearer} (never printed), no redirects followed, at
 * most 16 MiB of an answer read. A non-2xx answer is a {@link CliException} of one line with the status and the
 * worker's reason; a worker that cannot be reached, or does not answer within the timeout, too.
 */
final class ApiClient {

    private static final int MAX_BODY = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Duration timeout;
    private final String token;
    private final HttpClient client;

    private ApiClient(URI base, Duration timeout, String token) {
        this.base = base;
        this.timeout = timeout;
        this.token = token;
        this.client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A client of the worker at {@code api} ({@code --api}, else {@code http://127.0.0.1:$MESH_HTTP_PORT}).
     *
     * @throws ParameterException naming the option when the URL is not usable
     */
    static ApiClient of(CommandLine cl, String api, Duration timeout, Map<String, String> env) {
        String token = env.get("MESH_API_TOKEN");
        return new ApiClient(base(cl, api, env), timeout, token == null || token.isBlank() ? null : token.strip());
    }

    /**
     * The worker's base URL without a trailing {@code /}: {@code api}, or the default of {@code env}; an unusable
     * one is a usage error naming {@code --api} or {@code MESH_HTTP_PORT}.
     */
    static URI base(CommandLine cl, String api, Map<String, String> env) {
        String text = api != null ? api : defaultApi(env);
        String option = api != null ? "--api" : "MESH_HTTP_PORT";
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new ParameterException(cl, option + ": not a URL: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null) {
            throw new ParameterException(cl, option
                    + ": credentials in the URL are refused (set MESH_API_TOKEN instead)");
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ParameterException(cl, option
                    + ": must be an http:// or https:// URL with a host and no query, was '" + text + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return uri.resolve(path.isEmpty() ? "/" : path);
    }

    /** {@code http://127.0.0.1:<MESH_HTTP_PORT or 8080>}. */
    static String defaultApi(Map<String, String> env) {
        String port = env.get("MESH_HTTP_PORT");
        if (port == null || port.isBlank()) {
            return "http://127.0.0.1:" + HealthCommand.DEFAULT_PORT;
        }
        if (!port.strip().matches("[0-9]{1,5}") || Integer.parseInt(port.strip()) < 1
                || Integer.parseInt(port.strip()) > 65535) {
            throw new CliException("MESH_HTTP_PORT: must be a port from 1 to 65535 (or give --api), was '"
                    + port + "'", CliException.USAGE);
        }
        return "http://127.0.0.1:" + port.strip();
    }

    /** {@code base} + {@code path} (which starts with {@code /}). */
    static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    /** The worker's base URL. */
    URI base() {
        return base;
    }

    /** {@code GET /api<path>} ({@code path} with its query, already encoded). */
    JsonNode get(String path) throws InterruptedException {
        return send("GET", path, null);
    }

    /** {@code POST /api<path>} with {@code body} (or none). */
    JsonNode post(String path, JsonNode body) throws InterruptedException {
        return send("POST", path, body);
    }

    /** {@code PUT /api<path>} with {@code body}. */
    JsonNode put(String path, JsonNode body) throws InterruptedException {
        return send("PUT", path, body);
    }

    /** {@code DELETE /api<path>}. */
    JsonNode delete(String path) throws InterruptedException {
        return send("DELETE", path, null);
    }

    private JsonNode send(String method, String path, JsonNode body) throws InterruptedException {
        URI url = resolve(base, "/api" + path);
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).method(method, publisher)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        int status;
        byte[] bytes;
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(MAX_BODY);
            }
        } catch (HttpTimeoutException e) {
            throw CliException.runtime("no answer from " + url + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw CliException.runtime("cannot reach " + url + ": " + HealthCommand.reason(e), e);
        }
        JsonNode node = null;
        try {
            node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // not JSON: said below
        }
        if (status / 100 != 2) {
            String reason = node != null && node.hasNonNull("reason") ? Failures.oneLine(node.get("reason").asText())
                    : "no reason given";
            String hint = status == 401 && token == null ? " (set MESH_API_TOKEN)" : "";
            throw new CliException("HTTP " + status + " from " + method + " " + url.getRawPath() + ": " + reason
                    + hint, CliException.RUNTIME);
        }
        if (node == null || node.isMissingNode()) {
            throw new CliException("the worker's answer to " + method + " " + url.getRawPath() + " is not JSON",
                    CliException.RUNTIME);
        }
        return node;
    }
}
