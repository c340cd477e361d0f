package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code health} against a real HTTP server (the JDK's) standing in for the worker: in process for the
 * answers, and as the packaged jar for what comes from the environment ({@code MESH_HTTP_PORT},
 * {@code MESH_API_TOKEN}).
 */
class HealthCommandIT {

    private HttpServer server;
    private volatile int status = 200;
    private volatile String body = "{\"status\":\"UP\"}\n";
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                + exchange.getRequestHeaders().getFirst("Authorization"));
        if (hang) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        ((HealthCommand) cl.getSubcommands().get("health").getCommand()).env = Map.of();
        return cl.execute(args);
    }

    @Test
    void readyIsExitZeroAndOneLine() {
        assertThat(run("health", "--api", base())).isZero();
        assertThat(out).hasToString("UP (" + base() + "/health)\n");
        assertThat(err.toString()).isEmpty();
        assertThat(requests).containsExactly("GET /health auth=null");
    }

    @Test
    void notReadyIsExitOneWithTheWorkersProblems() {
        status = 503;
        body = "{\"status\":\"DOWN\",\"problems\":[\"NATS connection DISCONNECTED\",\"route archive-events Stopped\"]}";
        assertThat(run("health", "--api", base() + "/")).isEqualTo(1);
        assertThat(out).hasToString("DOWN (" + base() + "/health): HTTP 503: NATS connection DISCONNECTED;"
                + " route archive-events Stopped\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withJsonTheLineIsOneJsonObjectAndTheExitCodesStay() {
        assertThat(run("health", "--api", base(), "--json")).isZero();
        assertThat(out).hasToString("{\"status\":\"UP\",\"http\":200,\"url\":\"" + base()
                + "/health\",\"problems\":[]}\n");
        out.getBuffer().setLength(0);
        status = 503;
        body = "{\"status\":\"DOWN\",\"problems\":[\"NATS connection DISCONNECTED\",\"a \\\"quoted\\\" one\"]}";
        assertThat(run("health", "--api", base(), "--json")).isEqualTo(1);
        assertThat(out).hasToString("{\"status\":\"DOWN\",\"http\":503,\"url\":\"" + base()
                + "/health\",\"problems\":[\"NATS connection DISCONNECTED\",\"a \\\"quoted\\\" one\"]}\n");
        out.getBuffer().setLength(0);
        status = 404;
        body = "not json";
        assertThat(run("health", "--api", base(), "--json")).isEqualTo(1);
        assertThat(out).hasToString("{\"status\":\"DOWN\",\"http\":404,\"url\":\"" + base()
                + "/health\",\"problems\":[]}\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void anyOtherStatusIsNotReady() {
        status = 404;
        body = "";
        assertThat(run("health", "--api", base())).isEqualTo(1);
        assertThat(out).hasToString("DOWN (" + base() + "/health): HTTP 404\n");
        status = 302;
        assertThat(run("health", "--api", base())).isEqualTo(1);
        assertThat(requests).hasSize(2);
    }

    @Test
    void nothingListeningIsOneLineOnStderrAndExitOne() {
        String url = base();
        server.stop(0);
        assertThat(run("health", "--api", url, "--timeout", "2s")).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err).hasToString("cannot reach " + url + "/health: connection refused\n");
    }

    @Test
    void anUnknownHostIsSaidSo() {
        assertThat(run("health", "--api", "http://no-such-host.invalid:8080", "--timeout", "5s")).isEqualTo(1);
        assertThat(err).hasToString("cannot reach http://no-such-host.invalid:8080/health: unknown host\n");
    }

    @Test
    void aWorkerThatDoesNotAnswerInTimeIsExitOne() {
        hang = true;
        assertThat(run("health", "--api", base(), "--timeout", "300ms")).isEqualTo(1);
        assertThat(err).hasToString("no answer from " + base() + "/health within 300ms\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void thePackagedJarTakesThePortAndTheTokenFromTheEnvironment() throws Exception {
        String token = "s3cret-token-for-health-probe";
        CliProcess.Result result = CliProcess.run(Map.of("MESH_HTTP_PORT",
                String.valueOf(server.getAddress().getPort()), "MESH_API_TOKEN", token), "health");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("UP (" + base() + "/health)\n");
        assertThat(result.stdout() + result.stderr()).doesNotContain(token);
        assertThat(requests).containsExactly("GET /health auth=Bearer " + token);

        status = 503;
        CliProcess.Result down = CliProcess.run(Map.of("MESH_HTTP_PORT",
                String.valueOf(server.getAddress().getPort())), "health");
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(1);
        assertThat(down.stdout()).isEqualTo("DOWN (" + base() + "/health): HTTP 503\n");
        assertThat(requests).hasSize(2).last().isEqualTo("GET /health auth=null");
    }
}
