package io.meshbridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A worker's working directory for a test: {@code config/application.properties} and {@code routes/}. Public for
 * the tests of the command line against a worker.
 */
public final class WorkDir {

    private WorkDir() {
    }

    /**
     * Prepares {@code dir} for a worker on {@code natsUrl} (never an embedded server, a free HTTP port,
     * unlimited stream) with {@code extra} configuration and one route file {@code routes/test.yaml}.
     * The key {@code out.dir} names {@code dir/out}, for routes writing files.
     */
    public static Path create(Path dir, String natsUrl, String routesYaml, Map<String, String> extra)
            throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mesh.nats.url", natsUrl);
        p.put("mesh.nats.embedded", "never");
        p.put("mesh.http.port", "0");
        p.put("mesh.node.name", "it-worker");
        p.put("mesh.stream.max-msgs", "0");
        p.put("mesh.shutdown.timeout", "20s");
        p.put("out.dir", dir.resolve("out").toString());
        p.putAll(extra);
        Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(dir.resolve("routes"));
        Files.createDirectories(dir.resolve("out"));
        writeProperties(dir.resolve("config/application.properties"), p);
        Files.writeString(dir.resolve("routes/test.yaml"), routesYaml, StandardCharsets.UTF_8);
        return dir;
    }

    /** Writes a properties file (values without characters that need escaping). */
    static Path writeProperties(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** A {@code --config} file for one worker process, setting {@code out.name} (its own id file). */
    static Path processConfig(Path dir, String outName) throws IOException {
        return writeProperties(dir.resolve(outName + ".properties"), Map.of("out.name", outName));
    }

    /**
     * A routes file with one {@code mesh-archive} route {@code routeId} writing below {@code directory} as worker
     * {@code w1}, with further template {@code parameters} (in their order).
     */
    static String archiveRoute(String routeId, Path directory, Map<String, String> parameters) {
        StringBuilder yaml = new StringBuilder()
                .append("- templatedRoute:\n")
                .append("    routeTemplateRef: mesh-archive\n")
                .append("    routeId: ").append(routeId).append('\n')
                .append("    parameters:\n");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("directory", directory.toString());
        all.put("workerId", "w1");
        all.putAll(parameters);
        all.forEach((name, value) -> yaml.append("      - name: ").append(name).append('\n')
                .append("        value: \"").append(value).append("\"\n"));
        return yaml.toString();
    }
}
