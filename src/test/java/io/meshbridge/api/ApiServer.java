package io.meshbridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshbridge.events.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The API over real HTTP for tests: a Camel context with platform-http on Vert.x on 127.0.0.1 and a free port,
 * one route on {@code /api/...} into the {@link ApiProcessor} with the operations a test registers, behind the
 * bearer token {@link #TOKEN}, as the worker wires it. Thread-safe client calls.
 */
final class ApiServer implements AutoCloseable {

    static final String TOKEN = "api-test-0123456789abcdef";

    private final CamelContext context;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiServer(CamelContext context, int port) {
        this.context = context;
        this.port = port;
    }

    /** Starts a server with the operations {@code operations} adds. */
    static ApiServer start(Consumer<ApiRouter> operations) throws Exception {
        ApiRouter router = new ApiRouter();
        operations.accept(router);
        ApiProcessor processor = new ApiProcessor(new ApiAuth(new ApiConfig(ApiConfig.Auth.TOKEN,
                List.of(new Secret(TOKEN)))), router);
        CamelContext context = new DefaultCamelContext();
        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindHost("127.0.0.1");
        http.setBindPort(0);
        VertxPlatformHttpServer server = new VertxPlatformHttpServer(http);
        context.addService(server);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:" + ApiProcessor.PATH + "?matchOnUriPrefix=true").routeId("api")
                        .process(processor);
            }
        });
        context.start();
        return new ApiServer(context, server.getPort());
    }

    /** {@code GET /api<path>} with the token; the body as text. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** {@code GET /api<path>} with the token; the body's bytes. */
    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code GET /api<path>}, which must answer 200; its body as JSON. */
    JsonNode ok(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /api" + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return ApiJson.MAPPER.readTree(r.body());
    }

    /** {@code text} percent-encoded for a query parameter. */
    static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ApiProcessor.PATH + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN).GET();
    }

    @Override
    public void close() throws Exception {
        context.close();
    }
}
