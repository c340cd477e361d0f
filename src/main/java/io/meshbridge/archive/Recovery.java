package io.meshbridge.archive;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Brings one worker's files in an archive directory to a clean state after the process died, and rebuilds
 * what the worker has archived: {@code .part} files are cut back to their complete batches and finished
 * (they hold acknowledged events), finished files without a manifest get one, stale temporary files are
 * removed. A file holding several stream incarnations is split into one file per incarnation
 * ({@link FileSplit}); one whose complete batches hold no readable line is set aside as
 * {@code <name>.unreadable}, where readers do not look and {@code verify} reports it. Files of other workers
 * are left alone.
 */
final class Recovery {

    /** The suffix of a file set aside: it cannot be archived as it is. */
    static final String UNREADABLE_SUFFIX = ".unreadable";

    private static final System.Logger LOG = System.getLogger(ArchiveWriter.class.getName());
    private static final List<String> TEMPORARY_SUFFIXES = List.of(ArchiveFileName.MANIFEST_SUFFIX + ".tmp",
            FileSplit.SUFFIX);

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

    /**
     * Recovers one part file (also used after an I/O error while writing it); returns the manifests of what it
     * holds now: none, its own, or one per incarnation when it held several.
     */
    static List<Manifest> recoverPart(Path part, ArchiveFileName name) throws IOException {
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
            return List.of();
        }
        if (summary.count() > 0 && !summary.mixed()) {
            LOG.log(Level.INFO, "finishing {0} with {1} events after a restart", part, summary.count());
            return List.of(ArchiveFiles.finish(part, name.asFinished(), summary));
        }
        return settle(part, name, summary);
    }

    /**
     * Recovers a part file whose writing or finishing failed: the part file when it is still there, else the
     * manifest of the finished file when that is missing. Returns the manifests of what it holds.
     */
    static List<Manifest> afterFailure(Path part, ArchiveFileName name) throws IOException {
        if (Files.exists(part)) {
            return recoverPart(part, name);
        }
        Path finished = part.resolveSibling(name.finished());
        if (!Files.exists(finished)) {
            return List.of();
        }
        Path manifest = part.resolveSibling(name.manifest());
        if (!Files.exists(manifest)) {
            return completeFinished(finished, name.asFinished());
        }
        // the finish failed after its manifest was in place (its last directory fsync): finished as it is; what
        // it holds stays known, so a redelivery of it is not archived twice
        ArchiveFiles.fsyncDirectory(part.getParent());
        return List.of(ArchiveFiles.readManifest(manifest));
    }

    /**
     * Writes the manifest of a finished file that has none (renamed, then the process died or an I/O error
     * came before the manifest was written); returns the manifests of what it holds then.
     */
    static List<Manifest> completeFinished(Path file, ArchiveFileName name) throws IOException {
        FileSummary summary = new FileSummary();
        ArchiveFiles.Scan scan = ArchiveFiles.scan(file, name.compression(), summary);
        if (summary.count() > 0 && !summary.mixed()) {
            Manifest manifest = Manifest.of(name, summary, scan.size(), scan.sha256());
            ArchiveFiles.writeAtomically(file.resolveSibling(name.manifest()), manifest.toJson());
            return List.of(manifest);
        }
        return settle(file, name, summary);
    }

    /** Renames {@code file} to {@code <name>.unreadable}, durably, and says why in the log. */
    static void setAside(Path file, String why) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + UNREADABLE_SUFFIX);
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        ArchiveFiles.fsyncDirectory(file.getParent());
        LOG.log(Level.ERROR, "set {0} aside as {1}: {2}", file, aside.getFileName(), why);
    }

    /** A file of complete batches that cannot be finished as it is: split, or set aside. */
    private static List<Manifest> settle(Path file, ArchiveFileName name, FileSummary summary) throws IOException {
        if (summary.mixed()) {
            return FileSplit.split(file, name);
        }
        setAside(file, "its complete batches hold no readable archive line");
        return List.of();
    }

    private void visit(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        for (String suffix : TEMPORARY_SUFFIXES) {
            if (fileName.endsWith(suffix)) {
                ArchiveFileName data = ArchiveFileName.parse(fileName.substring(0,
                        fileName.length() - suffix.length()));
                if (data != null && data.worker().equals(worker)) {
                    Files.deleteIfExists(file);
                }
                return;
            }
        }
        ArchiveFileName name = ArchiveFileName.parse(fileName);
        if (name == null || !name.worker().equals(worker)) {
            return;
        }
        Path manifestPath = file.resolveSibling(name.manifest());
        List<Manifest> manifests;
        if (name.part()) {
            manifests = recoverPart(file, name);
        } else if (Files.exists(manifestPath)) {
            archived.recovered(Manifest.readHeader(manifestPath), manifestPath);
            return;
        } else {
            manifests = completeFinished(file, name);
        }
        for (Manifest m : manifests) {
            archived.recovered(m, m.path(file.getParent()));
        }
    }
}
