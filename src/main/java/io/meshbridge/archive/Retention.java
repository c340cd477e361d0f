package io.meshbridge.archive;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes finished archive files whose newest event (the manifest's {@code last_time}; the file's modification
 * time when it has no manifest) is older than a limit. {@code .part} files are never deleted. The manifest
 * goes first, so a crash in between leaves a finished file without manifest, which recovery completes.
 * Directories left empty are removed.
 */
final class Retention {

    private static final System.Logger LOG = System.getLogger(ArchiveWriter.class.getName());

    private Retention() {
    }

    /** Deletes the finished files below {@code root} whose newest event is older than the limit; returns them. */
    static List<Path> apply(Path root, Instant olderThan) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        List<Path> deleted = new ArrayList<>();
        for (Path file : files) {
            ArchiveFileName name = ArchiveFileName.parse(file.getFileName().toString());
            if (name == null || name.part()) {
                continue;
            }
            Path manifestPath = file.resolveSibling(name.manifest());
            Instant newest = Files.exists(manifestPath)
                    ? Manifest.readHeader(manifestPath).lastTime()
                    : Files.getLastModifiedTime(file).toInstant();
            if (newest.isBefore(olderThan)) {
                Files.deleteIfExists(manifestPath);
                Files.deleteIfExists(file);
                LOG.log(Level.DEBUG, "retention deleted {0}", file);
                deleted.add(file);
                deleteEmptyParents(root, file.getParent());
            }
        }
        return deleted;
    }

    /** Removes the directories left empty (an hour's partition), up to but not including the root. */
    private static void deleteEmptyParents(Path root, Path dir) throws IOException {
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            try (Stream<Path> entries = Files.list(d)) {
                if (entries.findAny().isPresent()) {
                    return;
                }
            }
            try {
                Files.delete(d);
            } catch (DirectoryNotEmptyException e) {
                return; // another worker wrote into it meanwhile
            }
        }
    }
}
