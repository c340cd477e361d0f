package io.meshbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code docker compose config} on both compose files, where a docker client with compose (the plugin, or
 * the standalone {@code docker-compose}) exists; it validates a file against the compose specification
 * without a container engine. Without one the tests are skipped and say so; {@link ComposeFilesTest}
 * checks the structure either way.
 */
class ComposeConfigIT {

    private static List<String> compose;
    private static String missing;

    @BeforeAll
    static void findCompose() throws InterruptedException {
        List<String> tried = new ArrayList<>();
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            Optional<Result> result = run(version);
            if (result.isPresent() && result.get().exit == 0) {
                compose = candidate;
                return;
            }
            tried.add(String.join(" ", version) + ": " + result.map(r -> "exit " + r.exit + ", "
                    + r.output.strip().lines().findFirst().orElse("")).orElse("not found"));
        }
        missing = "no docker client with compose on this machine, docker compose config was not run ("
                + String.join("; ", tried) + ")";
    }

    @ParameterizedTest
    @CsvSource({"docker-compose.yml,", "docker-compose.yml,monitoring", "docker-compose.cluster.yml,"})
    void composeAcceptsTheFile(String file, String profile) throws InterruptedException {
        assumeTrue(compose != null, missing);
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of("-f", file));
        if (profile != null) {
            command.addAll(List.of("--profile", profile));
        }
        command.addAll(List.of("config", "--quiet"));
        Result result = run(command).orElseThrow();
        assertThat(result.exit).as(String.join(" ", command) + "\n" + result.output).isZero();
    }

    private record Result(int exit, String output) {
    }

    private static Optional<Result> run(List<String> command) throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
            }
            return Optional.of(new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            process.destroyForcibly();
            return Optional.empty();
        }
    }
}
