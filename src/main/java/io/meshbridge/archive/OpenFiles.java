package io.meshbridge.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The part files a writer has open, one per layout directory and stream incarnation, at most the maximum of
 * open files (opening one more finishes the least recently used); and those whose writing or finishing
 * failed, until they are recovered from disk. Keeps the {@link ArchiveIndex} told of every change, and counts
 * what reaches the disk in the {@link WriterStats}. Not thread-safe (the writer serialises calls).
 */
final class OpenFiles {

    private static final System.Logger LOG = System.getLogger(ArchiveWriter.class.getName());

    /** Called with the least recently used file before it is finished to make room. */
    @FunctionalInterface
    interface BeforeEviction {
        void accept(PartFile file) throws IOException;
    }

    private record FileKey(Path directory, StreamKey stream) {
    }

    private final ArchiveConfig config;
    private final Clock clock;
    private final PathLayout layout;
    private final ArchiveIndex archived;
    private final WriterStats stats;
    private final LinkedHashMap<FileKey, PartFile> open = new LinkedHashMap<>(16, 0.75f, true);
    private final List<PartFile> failed = new ArrayList<>();

    OpenFiles(ArchiveConfig config, Clock clock, ArchiveIndex archived, WriterStats stats) {
        this.config = config;
        this.clock = clock;
        this.layout = new PathLayout(config.directory(), config.layout());
        this.archived = archived;
        this.stats = stats;
    }

    /** The open file for {@code record}, created when there is none (finishing the eldest beyond the maximum). */
    PartFile fileFor(ArchiveRecord record, BeforeEviction beforeEviction) throws IOException {
        FileKey key = new FileKey(layout.directoryFor(record.time(), record.subject()), record.key());
        PartFile file = open.get(key);
        if (file != null) {
            return file;
        }
        while (open.size() >= config.maxOpenFiles()) {
            PartFile eldest = open.values().iterator().next();
            beforeEviction.accept(eldest);
            finish(eldest);
        }
        file = PartFile.create(key.directory(), config.workerId(), record.sequence(), config.compression(),
                record.key(), clock.instant());
        open.put(key, file);
        stats.open(open.size());
        archived.opened(record.key(), file.sequences());
        return file;
    }

    /** Writes and fsyncs one file's part of a batch; on failure cuts the file back and rethrows. */
    void flush(PartFile file, byte[] lines, List<ArchiveRecord> records) throws IOException {
        long before = file.size();
        byte[] unit = Members.encode(config.compression(), lines);
        try {
            file.write(unit);
            file.force();
        } catch (IOException e) {
            rollBack(file, before);
            throw e;
        }
        // counted once durable: a batch cut back after a failure never reached the disk for good
        stats.wrote(unit.length);
        file.committed(records);
        archived.committed(file.key(), file.sequences().max());
    }

    /** Finishes an open file; on failure it is recovered later, and the failure is thrown. */
    void finish(PartFile file) throws IOException {
        forget(file);
        try {
            if (file.finish() != null) {
                stats.finished(1);
            }
            archived.finished(file.key(), file.sequences(), file.manifestPath());
        } catch (IOException e) {
            file.closeQuietly();
            failed.add(file);
            throw e;
        }
    }

    /** Recovers the files whose writing or finishing failed, and tells the index what they hold. */
    void recoverFailed() throws IOException {
        while (!failed.isEmpty()) {
            PartFile file = failed.get(0);
            List<Manifest> recovered = Recovery.afterFailure(file.path(), file.name());
            archived.replaced(file.key(), file.sequences(), recovered, file.path().getParent());
            // a file this writer opened, finished by its recovery: one manifest (one incarnation per file)
            stats.finished(recovered.size());
            failed.remove(0);
        }
    }

    /** Whether {@code file} is still open (not finished or failed meanwhile). */
    boolean isOpen(PartFile file) {
        return open.containsValue(file);
    }

    /** The open files, eldest first. */
    List<PartFile> all() {
        return new ArrayList<>(open.values());
    }

    /** The open files opened at or before {@code limit}. */
    List<PartFile> openedUpTo(Instant limit) {
        return open.values().stream().filter(f -> !f.openedAt().isAfter(limit)).toList();
    }

    int size() {
        return open.size();
    }

    private void rollBack(PartFile file, long length) {
        try {
            file.truncate(length);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot cut back " + file.path() + "; it is recovered later", e);
            forget(file);
            file.closeQuietly();
            failed.add(file);
        }
    }

    private void forget(PartFile file) {
        open.values().removeIf(f -> f == file);
        stats.open(open.size());
    }
}
