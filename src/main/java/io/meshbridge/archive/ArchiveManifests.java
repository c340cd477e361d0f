package io.meshbridge.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Questions answered from the manifests of an archive's finished files (any worker's), without reading the
 * files themselves. Stateless and thread-safe; each call walks the directory, so it is meant for rare
 * questions (a retention gap was found), not for every event.
 */
public final class ArchiveManifests {

    private ArchiveManifests() {
    }

    /**
     * The newest stream time archived in a finished file of the stream incarnation, or null when none.
     *
     * @throws IOException when the directory or a manifest cannot be read
     */
    public static Instant newestTime(Path directory, String stream, Instant streamCreated) throws IOException {
        StreamKey key = new StreamKey(stream, streamCreated);
        Instant newest = null;
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : (Iterable<Path>) walk.filter(f -> f.getFileName().toString()
                    .endsWith(ArchiveFileName.MANIFEST_SUFFIX))::iterator) {
                Manifest m = ArchiveFiles.readManifest(p);
                if (m.key().equals(key) && (newest == null || m.lastTime().isAfter(newest))) {
                    newest = m.lastTime();
                }
            }
        }
        return newest;
    }
}
