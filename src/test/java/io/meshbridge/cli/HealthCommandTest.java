package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The health probe without a server: its URL, its reading of an answer and its usage errors. */
class HealthCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private static HealthCommand parsed(String... args) {
        CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        String[] all = new String[args.length + 1];
        all[0] = "health";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine.ParseResult result = cl.parseArgs(all);
        HealthCommand command = (HealthCommand) result.subcommand().commandSpec().userObject();
        command.env = Map.of();
        return command;
    }

    @Test
    void theDefaultIsLoopbackOnMeshHttpPortElse8080() {
        assertThat(HealthCommand.defaultApi(Map.of())).isEqualTo("http://127.0.0.1:8080");
        assertThat(HealthCommand.defaultApi(Map.of("MESH_HTTP_PORT", " 9090 "))).isEqualTo("http://127.0.0.1:9090");
        assertThat(parsed().healthUrl()).hasToString("http://127.0.0.1:8080/health");
    }

    @Test
    void aBadMeshHttpPortIsAUsageErrorNamingIt() {
        for (String bad : new String[] {"0", "65536", "http", "-1"}) {
            assertThatThrownBy(() -> HealthCommand.defaultApi(Map.of("MESH_HTTP_PORT", bad)))
                    .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                    .hasMessage("MESH_HTTP_PORT: must be a port from 1 to 65535 (or give --api), was '" + bad + "'");
        }
    }

    @Test
    void theApiBaseGetsHealthAppendedOnce() {
        assertThat(parsed("--api", "http://w:1").healthUrl()).hasToString("http://w:1/health");
        assertThat(parsed("--api", "https://w.example/mesh/").healthUrl()).hasToString("https://w.example/mesh/health");
        assertThat(parsed("--api", "http://w:1//").healthUrl()).hasToString("http://w:1/health");
    }

    @Test
    void badApiUrlsAreUsageErrorsAndCredentialsAreNotEchoed() {
        assertThat(run("health", "--api", "ftp://w/")).isEqualTo(2);
        assertThat(run("health", "--api", "http://w/?x=1")).isEqualTo(2);
        assertThat(run("health", "--api", "not a url")).isEqualTo(2);
        assertThat(run("health", "--api", "http://admin:hunter2@w:8080")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(4).allSatisfy(l -> assertThat(l).startsWith("--api: ")
                .endsWith("(see 'mesh-bridge health --help')"));
        assertThat(err.toString()).doesNotContain("hunter2")
                .contains("--api: credentials in the URL are refused (set MESH_API_TOKEN instead)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void timeouts() {
        assertThat(parsed("--timeout", "500ms").timeout).isEqualTo(Duration.ofMillis(500));
        assertThat(parsed().timeout).isEqualTo(Duration.ofSeconds(5));
        assertThat(parsed("--timeout", "1m").timeout).isEqualTo(Duration.ofMinutes(1));
        assertThat(run("health", "--timeout", "0s")).isEqualTo(2);
        assertThat(run("health", "--timeout", "5")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("is not a positive duration such as 5s or 500ms"));
    }

    @Test
    void theWorkersProblemsAreJoinedOnOneLine() {
        byte[] body = "{\"status\":\"DOWN\",\"problems\":[\"NATS connection DISCONNECTED\",\"route a\\nStopped\"]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(HealthCommand.problems(503, body))
                .isEqualTo("HTTP 503: NATS connection DISCONNECTED; route a Stopped");
        assertThat(HealthCommand.problems(503, "{\"status\":\"DOWN\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("HTTP 503");
        assertThat(HealthCommand.problems(404, "<html>no</html>".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("HTTP 404");
        assertThat(HealthCommand.problems(502, new byte[0])).isEqualTo("HTTP 502");
    }

    @Test
    void helpNamesTheCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("health");
        assertThat(run("health", "--help")).isZero();
        assertThat(out.toString()).contains("--api", "--timeout", "MESH_HTTP_PORT");
    }
}
