package io.meshbridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the file a {@code *-file} key names (a container secret); errors name the key, never the content. */
final class SecretFiles {

    private SecretFiles() {
    }

    /**
     * The content of {@code file} as UTF-8.
     *
     * @throws ConfigException naming {@code key} when it cannot be read
     */
    static String read(String key, String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(key, "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
