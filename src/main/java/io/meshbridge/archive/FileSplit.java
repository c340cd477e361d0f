package io.meshbridge.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a data file that holds events of several stream incarnations into one finished file per
 * incarnation, each with its manifest, so that every readable event of it is archived once, where readers
 * look. The writer never writes such a file; a copy or an edit by hand can leave one.
 *
 * <p>Crash-safe and repeatable: each output is written under a temporary name ({@value #SUFFIX}) and renamed
 * when complete; the source is removed only after all outputs are finished. The outputs' names derive from
 * the source's (its worker, the first sequence of the incarnation, the source's counter plus one and up), so
 * a split interrupted by a crash is done again on the next start, reusing the outputs already finished.
 */
final class FileSplit {

    /** The suffix of an output being written; recovery deletes stale ones. */
    static final String SUFFIX = ".split";

    private static final System.Logger LOG = System.getLogger(ArchiveWriter.class.getName());
    private static final int BATCH_BYTES = 1024 * 1024;

    private FileSplit() {
    }

    /**
     * Splits {@code source} (its complete batches) by incarnation and removes it; returns the outputs'
     * manifests. When some of its lines could not be read, the source is set aside instead of removed.
     */
    static List<Manifest> split(Path source, ArchiveFileName name) throws IOException {
        Map<StreamKey, FileSummary> parts = new LinkedHashMap<>();
        Map<StreamKey, Long> firstSequence = new LinkedHashMap<>();
        ArchiveFiles.Scan scan = ArchiveFiles.scan(source, name.compression(), r -> {
            parts.computeIfAbsent(r.key(), FileSummary::new).add(r.sequence(), r.time());
            firstSequence.putIfAbsent(r.key(), r.sequence());
        });
        List<Manifest> manifests = new ArrayList<>();
        long counter = name.counter() + 1;
        for (Map.Entry<StreamKey, FileSummary> part : parts.entrySet()) {
            StreamKey key = part.getKey();
            while (true) {
                ArchiveFileName out = new ArchiveFileName(name.worker(), firstSequence.get(key), counter++,
                        name.compression(), false);
                Path target = source.resolveSibling(out.finished());
                if (Files.exists(source.resolveSibling(out.partName()))) {
                    continue;
                }
                if (!Files.exists(target)) {
                    manifests.add(write(source, name.compression(), key, part.getValue(), target, out));
                    break;
                }
                Manifest done = finishedEarlier(target, out, key);
                if (done != null) {
                    manifests.add(done);
                    break;
                }
            }
        }
        if (scan.problems().isEmpty()) {
            Files.delete(source);
            ArchiveFiles.fsyncDirectory(source.getParent());
        } else {
            Recovery.setAside(source, scan.problems().size() + " unreadable lines are left in it");
        }
        LOG.log(Level.WARNING, "split {0}, which held {1} stream incarnations, into {2}", source, parts.size(),
                manifests.stream().map(Manifest::file).toList());
        return manifests;
    }

    /** Writes the events of {@code key} into {@code target}, in batches, and finishes it. */
    private static Manifest write(Path source, Compression compression, StreamKey key, FileSummary summary,
                                  Path target, ArchiveFileName out) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            long[] position = {0};
            try {
                ArchiveFiles.scan(source, compression, r -> {
                    if (r.key().equals(key)) {
                        Lines.write(r, batch);
                        if (batch.size() >= BATCH_BYTES) {
                            position[0] = append(ch, compression, batch, position[0]);
                        }
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            append(ch, compression, batch, position[0]);
            ch.force(true);
        }
        return ArchiveFiles.finish(temp, out, summary);
    }

    private static long append(FileChannel ch, Compression compression, ByteArrayOutputStream batch, long at) {
        if (batch.size() == 0) {
            return at;
        }
        byte[] unit = Members.encode(compression, batch.toByteArray());
        try {
            ArchiveFiles.writeFully(ch, unit, at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        batch.reset();
        return at + unit.length;
    }

    /**
     * The manifest of {@code target} when it is the output for {@code key} of an earlier, interrupted split
     * (written when missing), else null: the name is someone else's.
     */
    private static Manifest finishedEarlier(Path target, ArchiveFileName out, StreamKey key) throws IOException {
        Path manifestPath = target.resolveSibling(out.manifest());
        if (Files.exists(manifestPath)) {
            Manifest manifest = ArchiveFiles.readManifest(manifestPath);
            return manifest.key().equals(key) ? manifest : null;
        }
        FileSummary summary = new FileSummary();
        ArchiveFiles.scan(target, out.compression(), summary);
        if (summary.count() == 0 || summary.mixed() || !summary.key().equals(key)) {
            return null;
        }
        return Recovery.completeFinished(target, out).get(0);
    }
}
