package io.meshbridge.archive;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Brings one worker's files in an archive directory to a clean state after the process died, and rebuilds
 * what the worker has archived: {@code .part} files are cut back to their complete batches and finished
 * (they hold acknowledged events), finished files without a manifest get one, stale temporary manifests are
 * removed. Files of other workers are left alone.
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger(ArchiveWriter.class.getName());

    private final String worker;
    private final ArchiveIndex archived;

    private Recovery(String worker, ArchiveIndex archived) {
        this.worker = worker;
        this.archived = archived;
    }

    /**
     * Recovers the worker's files below {@code root} and adds what they hold to {@code archived}: the part
     * files it recovers with their sequences, finished files by their manifests' headers.
     */
    static void run(Path root, String worker, ArchiveIndex archived) throws IOException {
        ArchiveFiles.createDirectories(root);
        Recovery recovery = new Recovery(worker, archived);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            recovery.visit(file);
        }
    }

    /** Recovers one part file (also used after an I/O error while writing it); returns its manifest or null. */
    static Manifest recoverPart(Path part, ArchiveFileName name) throws IOException {
        FileSummary summary = new FileSummary();
        ArchiveFiles.Scan scan = ArchiveFiles.scan(part, name.compression(), summary);
        if (scan.validLength() < scan.size()) {
            LOG.log(Level.WARNING, "cutting {0} back from {1} to {2} bytes: its last batch was not complete",
                    part, scan.size(), scan.validLength());
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                ch.truncate(scan.validLength());
                ch.force(true);
            }
        }
        scan.problems().forEach(p -> LOG.log(Level.WARNING, "unreadable archive line: {0}", p));
        if (scan.validLength() == 0) {
            // no complete batch, so nothing in it was acknowledged
            Files.delete(part);
            ArchiveFiles.fsyncDirectory(part.getParent());
            return null;
        }
        if (summary.count() == 0 || summary.mixed()) {
            LOG.log(Level.ERROR, "{0} holds no readable archive line or several streams; left as it is", part);
            return null;
        }
        LOG.log(Level.INFO, "finishing {0} with {1} events after a restart", part, summary.count());
        return ArchiveFiles.finish(part, name.asFinished(), summary);
    }

    /**
     * Recovers a part file whose writing or finishing failed: the part file when it is still there, else the
     * manifest of the finished file when that is missing. Returns what it holds, or null.
     */
    static Manifest afterFailure(Path part, ArchiveFileName name) throws IOException {
        if (Files.exists(part)) {
            return recoverPart(part, name);
        }
        Path finished = part.resolveSibling(name.finished());
        if (Files.exists(finished) && !Files.exists(part.resolveSibling(name.manifest()))) {
            return completeFinished(finished, name.asFinished());
        }
        return null;
    }

    private void visit(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        if (fileName.endsWith(ArchiveFileName.MANIFEST_SUFFIX + ".tmp")) {
            ArchiveFileName data = ArchiveFileName.parse(fileName.substring(0,
                    fileName.length() - (ArchiveFileName.MANIFEST_SUFFIX + ".tmp").length()));
            if (data != null && data.worker().equals(worker)) {
                Files.deleteIfExists(file);
            }
            return;
        }
        ArchiveFileName name = ArchiveFileName.parse(fileName);
        if (name == null || !name.worker().equals(worker)) {
            return;
        }
        Path manifestPath = file.resolveSibling(name.manifest());
        if (name.part()) {
            merge(recoverPart(file, name), manifestPath);
        } else if (Files.exists(manifestPath)) {
            archived.recovered(Manifest.readHeader(manifestPath), manifestPath);
        } else {
            merge(completeFinished(file, name), manifestPath);
        }
    }

    /**
     * Writes the manifest of a finished file that has none (renamed, then the process died or an I/O error
     * came before the manifest was written); returns it, or null when the file holds no readable line.
     */
    static Manifest completeFinished(Path file, ArchiveFileName name) throws IOException {
        Path manifestPath = file.resolveSibling(name.manifest());
        FileSummary summary = new FileSummary();
        ArchiveFiles.Scan scan = ArchiveFiles.scan(file, name.compression(), summary);
        if (summary.count() == 0 || summary.mixed()) {
            LOG.log(Level.ERROR, "finished archive file {0} holds no readable line or several streams; "
                    + "no manifest written", file);
            return null;
        }
        Manifest manifest = Manifest.of(name, summary, scan.size(), scan.sha256());
        ArchiveFiles.writeAtomically(manifestPath, manifest.toJson());
        return manifest;
    }

    private void merge(Manifest manifest, Path manifestPath) {
        if (manifest != null) {
            archived.recovered(manifest, manifestPath);
        }
    }
}
