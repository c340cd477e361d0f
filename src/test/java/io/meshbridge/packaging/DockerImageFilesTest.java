package io.meshbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile and .dockerignore read as text (no container engine needed): the stages, the non-root
 * user owning the data directories, the health check through the image's own probe, and a build context
 * that holds what the Dockerfile copies and nothing of target/ or data/.
 */
class DockerImageFilesTest {

    private static final List<String> LINES = instructions(ProjectFiles.read("Dockerfile"));

    @Test
    void threeStagesBuildCopyNatsServerAndRunOnAJre() {
        List<String> froms = LINES.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(froms).hasSize(3);
        assertThat(froms.get(0)).matches("FROM maven:\\S*temurin-17\\S* AS build");
        assertThat(froms.get(1)).isEqualTo("FROM nats:${NATS_VERSION} AS nats");
        assertThat(froms.get(2)).matches("FROM eclipse-temurin:17-jre\\S*");
        assertThat(LINES).contains("ARG NATS_VERSION=2.15", "COPY --from=nats /nats-server /usr/local/bin/nats-server",
                "COPY --from=build /src/target/mesh-bridge.jar /app/mesh-bridge.jar",
                "COPY bin/mesh-bridge /app/bin/mesh-bridge");
        assertThat(LINES.indexOf("ARG NATS_VERSION=2.15")).isLessThan(LINES.indexOf(froms.get(0)));
    }

    @Test
    void theRuntimeRunsAsANonRootUserWhoOwnsTheDataDirectories() {
        List<String> runtime = LINES.subList(lastIndexStartingWith("FROM "), LINES.size());
        List<String> users = runtime.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).singleElement().isEqualTo("USER 10001:10001");
        String run = runtime.stream().filter(l -> l.contains("mkdir -p /app/data/archive")).findFirst().orElseThrow();
        assertThat(run).contains("chown -R 10001:10001 /app/data");
        assertThat(String.join("\n", runtime)).contains("useradd --system --uid 10001 --gid mesh");
        assertThat(runtime.indexOf(run)).isLessThan(runtime.indexOf(users.get(0)));
    }

    @Test
    void theLauncherIsTheEntrypointAndTheHealthCheckUsesItsProbe() {
        assertThat(LINES).contains("ENTRYPOINT [\"mesh-bridge\"]", "CMD [\"run\"]", "EXPOSE 8080");
        String health = LINES.stream().filter(l -> l.startsWith("HEALTHCHECK ")).findFirst().orElseThrow();
        assertThat(health).contains("CMD [", "\"mesh-bridge\", \"health\"", "--start-period=");
        assertThat(String.join("\n", LINES)).contains("mesh-bridge --version", "ls /app/mesh-bridge-*.jsa");
        assertThat(Files.isExecutable(Path.of("bin/mesh-bridge"))).isTrue();
    }

    @Test
    void theBuildContextHoldsWhatTheDockerfileCopiesButNoBuildOutputOrData() throws IOException {
        List<PathMatcher> ignored = new ArrayList<>();
        for (String line : ProjectFiles.read(".dockerignore").split("\n")) {
            String pattern = line.strip();
            if (!pattern.isEmpty() && !pattern.startsWith("#")) {
                assertThat(pattern).as("no exceptions (!) in .dockerignore, so that this check stays simple")
                        .doesNotStartWith("!");
                ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceAll("/+$", "")));
            }
        }
        for (String path : List.of("target/mesh-bridge.jar", "target/classes/x.class", "data/nats/jetstream/x",
                "data/archive/2026/x.jsonl.gz", "src/test/java/X.java", ".git/HEAD", "worker.log")) {
            assertThat(excluded(ignored, path)).as(path).isTrue();
        }
        List<String> copied = new ArrayList<>(List.of("pom.xml"));
        try (Stream<Path> files = Stream.of("src/main", "config", "routes", "bin").map(Path::of)
                .flatMap(ProjectFiles::walk)) {
            files.filter(Files::isRegularFile).forEach(p -> copied.add(p.toString()));
        }
        assertThat(copied).hasSizeGreaterThan(100);
        for (String path : copied) {
            assertThat(excluded(ignored, path)).as(path + " is copied by the Dockerfile").isFalse();
        }
    }

    /** Docker's rule: a path is excluded when a pattern matches it or one of its parent directories. */
    private static boolean excluded(List<PathMatcher> patterns, String path) {
        for (Path p = Path.of(path); p != null; p = p.getParent()) {
            for (PathMatcher m : patterns) {
                if (m.matches(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int lastIndexStartingWith(String prefix) {
        for (int i = LINES.size() - 1; i >= 0; i--) {
            if (LINES.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix);
    }

    /** The instructions, continuation lines joined, comments and blank lines dropped, spaces collapsed. */
    private static List<String> instructions(String dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                current.append(line);
                out.add(current.toString().replaceAll("\\s+", " ").strip());
                current.setLength(0);
            }
        }
        return out;
    }
}
