package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mesh-bridge} run as users run it, with the packaged jar ({@code mesh.jar}) copied into a
 * checkout layout ({@code bin/} and {@code target/}) in a temporary directory: finding the jar and java,
 * passing the options, and the AppCDS archive (made once, renamed into place, rebuilt for a newer jar,
 * loaded from: asserted with {@code -Xlog:class+load}, which names the source of every class).
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("bin", "mesh-bridge");
    private static final String FROM_ARCHIVE = "io.meshbridge.cli.Main source: shared objects file";
    private static final String FROM_JAR = "io.meshbridge.cli.Main source: file:";

    @TempDir
    Path home;

    private static final String SETPRIV = "/usr/bin/setpriv";

    private Path launcher;
    private List<String> runAs = List.of();
    private Path target;
    private Path cache;

    @BeforeEach
    void checkoutLayout() throws IOException {
        Path bin = Files.createDirectories(home.resolve("checkout/bin"));
        target = Files.createDirectories(home.resolve("checkout/target"));
        cache = home.resolve("cache");
        launcher = Files.copy(LAUNCHER, bin.resolve("mesh-bridge"));
        Files.copy(CliProcess.jar(), target.resolve("mesh-bridge.jar"));
    }

    @Test
    void versionAndHelpFromTheCheckoutJar() throws Exception {
        Result version = run(Map.of(), "--version");
        assertThat(version.exit).as(version.toString()).isZero();
        assertThat(version.stdout).isEqualTo(CliProcess.run("--version").stdout());
        assertThat(version.stderr).isEmpty();

        Result help = run(Map.of(), "events", "--help");
        assertThat(help.exit).as(help.toString()).isZero();
        assertThat(help.stdout).contains("list", "watch", "emit");
    }

    @Test
    void theFirstRunMakesOneArchiveBesideTheJarAndLaterRunsLoadFromIt() throws Exception {
        assertThat(run(Map.of(), "--version").exit).isZero();
        assertThat(files(target, ".jsa")).hasSize(1);
        assertThat(files(target, ".tmp")).isEmpty();

        Result traced = run(Map.of("MESH_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(traced.exit).as(traced.toString()).isZero();
        assertThat(traced.stdout).contains(FROM_ARCHIVE).doesNotContain(FROM_JAR);
        assertThat(files(target, ".jsa")).hasSize(1);
    }

    @Test
    void cdsOffNeitherMakesNorUsesAnArchive() throws Exception {
        Result traced = run(Map.of("MESH_CDS", "off", "MESH_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(traced.exit).as(traced.toString()).isZero();
        assertThat(traced.stdout).contains(FROM_JAR).doesNotContain(FROM_ARCHIVE);
        assertThat(files(target, ".jsa")).isEmpty();
        assertThat(cache).doesNotExist();
    }

    @Test
    void aRebuiltJarGetsAFreshArchive() throws Exception {
        assertThat(run(Map.of(), "--version").exit).isZero();
        Path archive = files(target, ".jsa").get(0);
        Instant jarTime = Files.getLastModifiedTime(target.resolve("mesh-bridge.jar")).toInstant();
        Files.setLastModifiedTime(archive, FileTime.from(jarTime.minus(Duration.ofHours(1))));

        Result traced = run(Map.of("MESH_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(traced.exit).as(traced.toString()).isZero();
        assertThat(traced.stdout).contains(FROM_ARCHIVE);
        assertThat(files(target, ".jsa")).containsExactly(archive);
        assertThat(Files.getLastModifiedTime(archive).toInstant()).isAfterOrEqualTo(jarTime);
    }

    @Test
    void concurrentFirstRunsAllSucceedAndLeaveOneWholeArchive() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(builder(Map.of(), "events", "--help")
                    .redirectOutput(home.resolve("out-" + i).toFile())
                    .redirectError(home.resolve("err-" + i).toFile()).start());
        }
        for (int i = 0; i < processes.size(); i++) {
            assertThat(processes.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(processes.get(i).exitValue()).isZero();
            assertThat(Files.readString(home.resolve("out-" + i))).contains("list", "watch", "emit");
            assertThat(Files.readString(home.resolve("err-" + i))).isEmpty();
        }
        assertThat(files(target, ".jsa")).hasSize(1);
        assertThat(files(target, ".tmp")).isEmpty();
        assertThat(run(Map.of("MESH_JAVA_OPTS", "-Xlog:class+load=info"), "--version").stdout)
                .contains(FROM_ARCHIVE);
    }

    @Test
    void aReadOnlyInstallUsesTheUsersCache() throws Exception {
        Path archives = Files.createDirectories(cache.resolve("mesh-bridge/cds"));
        if ("root".equals(System.getProperty("user.name"))) {
            // root may write anywhere: run the launcher as nobody, for whom the install (root's, 755) is read-only
            assumeTrue(Files.isExecutable(Path.of(SETPRIV)), "running as root without " + SETPRIV
                    + ": a read-only install cannot be shown here");
            runAs = List.of(SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups", "--");
            for (Path d : List.of(home, home.resolve("checkout"), launcher.getParent(), target)) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.setPosixFilePermissions(target.resolve("mesh-bridge.jar"),
                    PosixFilePermissions.fromString("rw-r--r--"));
            for (Path d : List.of(cache, cache.resolve("mesh-bridge"), archives)) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
        } else {
            assertThat(target.toFile().setWritable(false)).isTrue();
        }
        Result first = run(Map.of(), "--version");
        assertThat(first.exit).as(first.toString()).isZero();
        assertThat(first.stderr).isEmpty();
        assertThat(files(target, ".jsa")).isEmpty();
        assertThat(files(archives, ".jsa")).hasSize(1);

        Result traced = run(Map.of("MESH_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(traced.exit).as(traced.toString()).isZero();
        assertThat(traced.stdout).contains(FROM_ARCHIVE);
        assertThat(files(archives, ".jsa")).hasSize(1);
        assertThat(files(archives, ".tmp")).isEmpty();
        target.toFile().setWritable(true);
    }

    @Test
    void aFailedTrainingRunLeavesNoArchiveAndTheCommandRunsWithout() throws Exception {
        // a java that dies while writing the archive (as when killed) and otherwise is the real one
        Path java = home.resolve("java");
        Files.writeString(java, "#!/bin/sh\ncase \"$1\" in -XX:ArchiveClassesAtExit=*) echo partial > \"${1#*=}\";"
                + " exit 137;; esac\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Result version = run(Map.of("JAVA", java.toString(), "MESH_JAVA_OPTS", "-Xlog:class+load=info"),
                "--version");
        assertThat(version.exit).as(version.toString()).isZero();
        assertThat(version.stdout).contains(FROM_JAR, "\nmesh-bridge " + versionOf() + "\n");
        assertThat(version.stderr).isEmpty();
        assertThat(files(target, ".jsa")).isEmpty();
        assertThat(files(target, ".tmp")).isEmpty();
        assertThat(files(cache.resolve("mesh-bridge/cds"), ".jsa")).isEmpty();
        assertThat(files(cache.resolve("mesh-bridge/cds"), ".tmp")).isEmpty();
    }

    @Test
    void javaOptsThenMeshJavaOptsReachTheJvmInThatOrder() throws Exception {
        Result run = run(Map.of("MESH_CDS", "off", "JAVA_OPTS", "-Dmesh.http.port=first",
                "MESH_JAVA_OPTS", "-Dmesh.http.port=second -Dmesh.stream.name=S"), "run");
        assertThat(run.exit).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr.lines()).singleElement().asString()
                .startsWith("invalid configuration: mesh.http.port: ").contains("second").doesNotContain("first");
    }

    @Test
    void javaHomeIsUsedWhenJavaIsNotOnThePath() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("MESH_CDS", "off");
        Result version = run(env, "--version");
        assertThat(version.exit).as(version.toString()).isZero();
        assertThat(version.stdout).startsWith("mesh-bridge ");
    }

    @Test
    void whatIsMissingIsOneLineAndExitCodeOne() throws Exception {
        Result noJava = run(Map.of("JAVA", home.resolve("no-java").toString()), "--version");
        assertThat(noJava.exit).isEqualTo(1);
        assertThat(noJava.stderr).isEqualTo("mesh-bridge: " + home.resolve("no-java")
                + " is not an executable java (from JAVA, JAVA_HOME or the PATH)\n");

        Result badCds = run(Map.of("MESH_CDS", "sometimes"), "--version");
        assertThat(badCds.exit).isEqualTo(1);
        assertThat(badCds.stderr).isEqualTo("mesh-bridge: MESH_CDS must be auto or off, was 'sometimes'\n");

        Files.delete(target.resolve("mesh-bridge.jar"));
        assumeFalse(Files.exists(Path.of("/app/mesh-bridge.jar")), "an image's /app/mesh-bridge.jar is found");
        Result noJar = run(Map.of(), "--version");
        assertThat(noJar.exit).isEqualTo(1);
        assertThat(noJar.stderr.lines()).singleElement().asString()
                .startsWith("mesh-bridge: cannot find mesh-bridge.jar").contains("mvn -q -B package", "MESH_JAR");
    }

    @Test
    void aSymlinkedLauncherFindsTheCheckoutJar() throws Exception {
        Path link = Files.createSymbolicLink(Files.createDirectories(home.resolve("usr/bin")).resolve("mesh-bridge"),
                launcher.toAbsolutePath());
        Result version = result(builder(link, Map.of("MESH_CDS", "off"), "--version"));
        assertThat(version.exit).as(version.toString()).isZero();
        assertThat(version.stdout).startsWith("mesh-bridge ");
    }

    private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return result(builder(env, args));
    }

    private ProcessBuilder builder(Map<String, String> env, String... args) {
        return builder(launcher, env, args);
    }

    private ProcessBuilder builder(Path script, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(runAs);
        command.add(script.toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("MESH_") || k.startsWith("NATS_") || k.startsWith("JAVA"));
        environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        environment.put("XDG_CACHE_HOME", cache.toString());
        environment.putAll(env);
        return builder;
    }

    private Result result(ProcessBuilder builder) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not end within 120 s: " + builder.command());
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String versionOf() throws IOException, InterruptedException {
        return CliProcess.run("--version").stdout().strip().substring("mesh-bridge ".length());
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
