package io.meshbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Locates the {@code nats-server} executable used by the tests and reads its version.
 *
 * <p>Lookup order: environment variable {@code NATS_SERVER_BIN}, then system property
 * {@code nats.server.bin}, then {@code nats-server} on the {@code PATH}, in {@code /usr/sbin} or in
 * {@code /usr/local/bin}. An explicitly configured binary that is not executable is an error, never
 * silently replaced by another one. The version and path are printed to stdout once per JVM and binary,
 * so that test logs show which server ran.
 *
 * <p>Threading: immutable; the static lookup methods are safe to call from any thread.
 */
public final class NatsServerBinary {

    /** Environment variable naming the nats-server executable. */
    public static final String ENV = "NATS_SERVER_BIN";
    /** System property naming the nats-server executable (used when {@link #ENV} is unset). */
    public static final String PROPERTY = "nats.server.bin";

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)(\\S*)");
    private static final Set<Path> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final String version;

    private NatsServerBinary(Path path, String version) {
        this.path = path;
        this.version = version;
    }

    /** The executable. */
    public Path path() {
        return path;
    }

    /** The version without a leading "v", e.g. {@code "2.10.24"}. */
    public String version() {
        return version;
    }

    /** Whether {@link #version()} is at least {@code major.minor.patch}. */
    public boolean versionAtLeast(int major, int minor, int patch) {
        return compareVersions(version, major, minor, patch) >= 0;
    }

    @Override
    public String toString() {
        return "nats-server v" + version + " (" + path + ")";
    }

    /**
     * The configured or installed binary, with its version read from {@code nats-server --version}.
     *
     * @throws IllegalStateException if a configured binary is unusable
     * @return empty when nothing is configured and no {@code nats-server} was found
     */
    public static Optional<NatsServerBinary> find() {
        Optional<Path> path = locate();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        NatsServerBinary binary = new NatsServerBinary(path.get(), readVersion(path.get()));
        if (ANNOUNCED.add(binary.path())) {
            System.out.println(binary);
        }
        return Optional.of(binary);
    }

    /** Like {@link #find()}, but fails with installation instructions when there is no binary. */
    public static NatsServerBinary require() {
        return find().orElseThrow(() -> new IllegalStateException(notFoundMessage()));
    }

    /** Says where the binary was looked for and how to install one. */
    static String notFoundMessage() {
        return "No nats-server binary found (looked at $" + ENV + ", -D" + PROPERTY
                + ", the PATH, /usr/sbin and /usr/local/bin). " + installHint();
    }

    /** Tells how to provide a nats-server binary. */
    static String installHint() {
        return "Install it with `apt-get install -y nats-server`, or point " + ENV + " at an executable"
                + " (for a current version: `export " + ENV + "=$(.ci/nats-server-current)`).";
    }

    private static Optional<Path> locate() {
        String configured = System.getenv(ENV);
        String source = "environment variable " + ENV;
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty(PROPERTY);
            source = "system property " + PROPERTY;
        }
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured.trim());
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new IllegalStateException(source + " names " + path
                        + ", which is not an executable file. " + installHint());
            }
            return Optional.of(path.toAbsolutePath());
        }
        List<Path> candidates = new ArrayList<>();
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, "nats-server"));
                }
            }
        }
        candidates.add(Path.of("/usr/sbin/nats-server"));
        candidates.add(Path.of("/usr/local/bin/nats-server"));
        return candidates.stream()
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .map(Path::toAbsolutePath)
                .findFirst();
    }

    private static String readVersion(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(binary + " --version did not finish within 10 s");
            }
            Matcher m = VERSION.matcher(output);
            if (!m.find()) {
                throw new IllegalStateException("cannot parse the version of " + binary + " from: " + output);
            }
            return m.group(1) + "." + m.group(2) + "." + m.group(3) + m.group(4);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + binary + " --version", e);
        }
    }

    /** Compares a version string such as "2.9.10" or "2.11.0-RC.1" with major.minor.patch (suffix ignored). */
    static int compareVersions(String version, int major, int minor, int patch) {
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            throw new IllegalArgumentException("not a version: " + version);
        }
        int[] have = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        int[] want = {major, minor, patch};
        for (int i = 0; i < 3; i++) {
            if (have[i] != want[i]) {
                return Integer.compare(have[i], want[i]);
            }
        }
        return 0;
    }
}
