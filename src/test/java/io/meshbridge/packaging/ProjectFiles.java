package io.meshbridge.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The packaging files of the checkout (the tests' working directory is the project's root) read as data:
 * YAML through snakeyaml-engine (duplicate keys refused), the documented {@code mesh.*} keys of
 * {@code config/application.properties}, and small accessors for the maps and lists compose files hold.
 */
final class ProjectFiles {

    private ProjectFiles() {
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every path below {@code dir} (a stream to close). */
    static java.util.stream.Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One YAML document as maps, lists and scalars. */
    static Map<String, Object> yaml(String path) {
        LoadSettings settings = LoadSettings.builder().setAllowDuplicateKeys(false).setLabel(path).build();
        return map(new Load(settings).loadFromString(read(path)), path);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError(what + ": expected a mapping, was " + value);
        }
        return (Map<String, Object>) value;
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return map(parent.get(key), key);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof List<?>)) {
            throw new AssertionError(key + ": expected a sequence, was " + value);
        }
        return (List<Object>) value;
    }

    static List<String> strings(Map<String, Object> parent, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : list(parent, key)) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** The environment names of the documented {@code mesh.*} keys ({@code MESH_NATS_URL}, ...). */
    static Set<String> meshEnvironmentNames() {
        Set<String> names = new LinkedHashSet<>();
        for (String line : read("config/application.properties").split("\n")) {
            String l = line.strip();
            if (l.startsWith("mesh.") && l.contains("=")) {
                names.add(l.substring(0, l.indexOf('=')).strip().toUpperCase().replace('.', '_').replace('-', '_'));
            }
        }
        return names;
    }
}
