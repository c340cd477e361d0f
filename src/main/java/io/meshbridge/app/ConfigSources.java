package io.meshbridge.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Collects the worker's configuration from its layers, each overriding the ones before:
 * <ol>
 *   <li>{@code config/application.properties} in the working directory when it exists, else the same
 *   defaults bundled in the jar;</li>
 *   <li>the file given with {@code --config};</li>
 *   <li>environment variables: {@code MESH_NATS_URL} for {@code mesh.nats.url}, generally the key in upper
 *   case with {@code .} and {@code -} as {@code _} (only the worker's known keys are looked up);</li>
 *   <li>{@code -D} system properties {@code mesh.*}.</li>
 * </ol>
 * Files are read as UTF-8 properties. Keys outside {@code mesh.*} from the files are kept too: they are
 * Camel Main's settings and placeholders for routes.
 */
public final class ConfigSources {

    /** The configuration file looked for in the working directory. */
    public static final Path WORKING_DIR_FILE = Path.of("config", "application.properties");

    /** The defaults inside the jar (a copy of {@code config/application.properties}). */
    static final String BUNDLED = "/io/meshbridge/app/application.properties";

    private ConfigSources() {
    }

    /** The layered properties and the sources they came from, for the log. */
    public record Layered(Map<String, String> properties, List<String> sources) {
        /** Freezes both. */
        public Layered {
            properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            sources = List.copyOf(sources);
        }
    }

    /** The layers of this process: its working directory, environment and system properties. */
    public static Layered load(Path configFile) {
        return load(Path.of(""), configFile, System.getenv(), System.getProperties());
    }

    /**
     * The layers for a given working directory, {@code --config} file (or {@code null}), environment and
     * system properties.
     *
     * @throws ConfigException when a file cannot be read, or the environment or a system property would turn on
     *                         one of Camel's developer endpoints
     */
    public static Layered load(Path workDir, Path configFile, Map<String, String> env, Properties system) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        Path local = workDir.resolve(WORKING_DIR_FILE);
        if (Files.isRegularFile(local)) {
            out.putAll(readFile(local, "config/application.properties"));
            sources.add(local.toString());
        } else {
            out.putAll(bundled());
            sources.add("defaults in the jar");
        }
        if (configFile != null) {
            Path file = workDir.resolve(configFile);
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("--config", "no such file: " + configFile);
            }
            out.putAll(readFile(file, "--config"));
            sources.add(file.toString());
        }
        // Camel Main reads its own keys from these too: none may turn on its developer endpoints
        HttpServerWiring.checkCamelSources(env, system);
        boolean fromEnv = false;
        for (String key : ConfigKeys.DEFAULTS.keySet()) {
            String value = env.get(ConfigKeys.environmentName(key));
            if (value != null) {
                out.put(key, value);
                fromEnv = true;
            }
        }
        if (fromEnv) {
            sources.add("environment");
        }
        boolean fromSystem = false;
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("mesh.")) {
                out.put(name, system.getProperty(name));
                fromSystem = true;
            }
        }
        if (fromSystem) {
            sources.add("system properties");
        }
        return new Layered(out, sources);
    }

    /** The defaults bundled in the jar. */
    static Map<String, String> bundled() {
        try (InputStream in = ConfigSources.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks its default configuration " + BUNDLED);
            }
            return read(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the default configuration " + BUNDLED, e);
        }
    }

    private static Map<String, String> readFile(Path file, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> read(InputStream in) throws IOException {
        Properties p = new Properties();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            out.put(name, p.getProperty(name).trim());
        }
        return out;
    }
}
