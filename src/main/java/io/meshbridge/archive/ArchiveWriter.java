package io.meshbridge.archive;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes stream messages to rolling JSON Lines files below an archive directory, crash-safe and exactly once
 * per worker.
 *
 * <p><b>Lifecycle.</b> {@link #open} recovers this worker's files left by a process that died (see below) and
 * learns what the worker has archived. Then {@link #append} is called with each batch of messages; the caller
 * acknowledges a batch's messages only after {@code append} returned. {@link #finishExpired} finishes files
 * older than the roll age (call it from a timer, so idle files roll too), {@link #applyRetention} deletes old
 * finished files. {@link #close} finishes every open file; call it on shutdown (SIGTERM).
 *
 * <p><b>Guarantees.</b> When {@code append} returns, every line of the batch is written and fsynced, and so is
 * every directory entry leading to it (a new directory in its parent, a new file in its directory). Each batch
 * is one unit that can be checked on its own: a gzip member, a zstd frame, or a plain batch whose first line
 * carries its length and CRC-32 (see {@link PlainBatches}); a file cut after any batch still reads. A file is
 * written as {@code <name>.part}; finishing it (roll by size or age, eviction beyond the maximum of open files,
 * close) fsyncs it, renames it atomically to its final name, fsyncs the directory and writes the manifest
 * {@code <file>.manifest.json} atomically. A finished file is never rewritten. Each file holds one stream
 * incarnation (stream name and creation time). Messages are keyed by stream name, stream creation time and
 * sequence; {@code append} skips those already archived by this worker (redeliveries after a lost
 * acknowledgement), so with one worker per directory every message is archived exactly once. Several workers
 * sharing a directory each write their own files (the worker id is in the name): at least once.
 *
 * <p><b>Memory.</b> What the worker archived is held per file, not per event ({@link ArchiveIndex}): the
 * sequences of the open files and of a few recently finished ones, and the span and manifest of every other
 * finished file, read again when a redelivery falls into it. {@link #acknowledgedUpTo} drops the files below
 * the consumer's acknowledgement floor.
 *
 * <p><b>Fault model.</b> The process may die at any moment (SIGKILL), and the machine may lose power: on the
 * next {@code open}, each {@code .part} file of this worker is cut back to its last complete batch (a torn or
 * scrambled batch was never acknowledged) and finished; it is never deleted unless it holds no complete batch.
 * What {@code append} returned for survives both.
 *
 * <p><b>Failures.</b> An {@link IOException} (full disk, I/O error) is retriable: nothing of the failed part of
 * the batch counts as archived, files are cut back to their state before it, and the same batch may be
 * appended again; what did become durable is skipped then. An {@link IllegalArgumentException} is permanent.
 *
 * <p><b>Threading.</b> Used by one consumer thread at a time, which calls {@code append}; a timer may call
 * {@code finishExpired} and {@code applyRetention} from another thread: every method is synchronized, and an
 * {@code append} (with its fsyncs) holds the writer until it returns.
 */
public final class ArchiveWriter implements Closeable {

    private static final int MIN_CACHED_MANIFESTS = 16;

    private static final class Pending {
        /** Sized for a batch of a few dozen lines, so that writing them rarely grows the buffer. */
        final ByteArrayOutputStream lines = new ByteArrayOutputStream(16 * 1024);
        final List<ArchiveRecord> records = new ArrayList<>();
    }

    private final ArchiveConfig config;
    private final Clock clock;
    private final ArchiveIndex archived;
    private final OpenFiles files;
    private final WriterStats stats = new WriterStats();
    private final DirectoryLock lock;
    private boolean closed;
    /** The line start of the stream incarnation written last ({@link Lines#head}): one per batch, not per line. */
    private StreamKey headKey;
    private byte[] head;

    private ArchiveWriter(ArchiveConfig config, Clock clock, DirectoryLock lock, ArchiveIndex archived) {
        this.config = config;
        this.clock = clock;
        this.lock = lock;
        this.archived = archived;
        this.files = new OpenFiles(config, clock, archived, stats);
    }

    /** Opens a writer with the system clock (UTC); recovers this worker's files first. */
    public static ArchiveWriter open(ArchiveConfig config) throws IOException {
        return open(config, Clock.systemUTC());
    }

    /**
     * Opens a writer whose roll age and retention use {@code clock}; recovers this worker's files first.
     *
     * @throws IOException when another writer (in this or another process) has the same directory and worker
     *                     id open, or recovery fails
     */
    public static ArchiveWriter open(ArchiveConfig config, Clock clock) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        DirectoryLock lock = DirectoryLock.acquire(config.directory(), config.workerId());
        try {
            ArchiveIndex index = new ArchiveIndex(Math.max(MIN_CACHED_MANIFESTS, config.maxOpenFiles()));
            Recovery.run(config.directory(), config.workerId(), index);
            return new ArchiveWriter(config, clock, lock, index);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Writes and fsyncs a batch, skipping messages this worker already archived; then finishes files that
     * reached the roll size or age.
     *
     * @throws IOException              a retriable failure; the batch may be appended again
     * @throws IllegalArgumentException when a payload is not a JSON object or a time has no RFC 3339 form;
     *                                  nothing of the batch is written
     */
    public synchronized AppendResult append(List<ArchiveRecord> batch) throws IOException {
        requireOpen();
        batch.forEach(Lines::validate);
        files.recoverFailed();
        Map<PartFile, Pending> pending = new LinkedHashMap<>();
        Map<StreamKey, SequenceRanges> inBatch = new HashMap<>();
        OpenFiles.BeforeEviction flushPending = eldest -> {
            Pending p = pending.remove(eldest);
            if (p != null) {
                files.flush(eldest, p.lines.toByteArray(), p.records);
            }
        };
        int skipped = 0;
        int written = 0;
        for (ArchiveRecord record : batch) {
            StreamKey key = record.key();
            if (archived.contains(key, record.sequence())
                    || !inBatch.computeIfAbsent(key, k -> new SequenceRanges()).add(record.sequence())) {
                skipped++;
                continue;
            }
            Pending p = pending.computeIfAbsent(files.fileFor(record, flushPending), f -> new Pending());
            if (!key.equals(headKey)) {
                headKey = key;
                head = Lines.head(key);
            }
            Lines.write(record, head, p.lines);
            p.records.add(record);
            written++;
        }
        for (Map.Entry<PartFile, Pending> e : pending.entrySet()) {
            files.flush(e.getKey(), e.getValue().lines.toByteArray(), e.getValue().records);
        }
        for (PartFile file : pending.keySet()) {
            if (file.size() >= config.rollBytes() && files.isOpen(file)) {
                files.finish(file);
            }
        }
        finishExpired();
        return new AppendResult(written, skipped);
    }

    /** Finishes the files that have been open for the roll age or longer; returns how many. */
    public synchronized int finishExpired() throws IOException {
        requireOpen();
        List<PartFile> expired = files.openedUpTo(clock.instant().minus(config.rollAge()));
        for (PartFile file : expired) {
            files.finish(file);
        }
        return expired.size();
    }

    /** Deletes finished files (any worker's) whose newest event is older than the retention; returns how many. */
    public synchronized int applyRetention() throws IOException {
        requireOpen();
        if (config.retention() == null) {
            return 0;
        }
        List<Path> deleted = Retention.apply(config.directory(), clock.instant().minus(config.retention()));
        archived.deleted(deleted);
        return deleted.size();
    }

    /**
     * Whether this worker archived the message {@code sequence} of the stream incarnation.
     *
     * @throws IOException when the manifest of a finished file spanning the sequence cannot be read
     */
    public synchronized boolean isArchived(String stream, Instant streamCreated, long sequence) throws IOException {
        return archived.contains(new StreamKey(stream, streamCreated), sequence);
    }

    /** The highest sequence of the stream incarnation this worker archived, or 0 when none. */
    public synchronized long highWater(String stream, Instant streamCreated) {
        return archived.highWater(new StreamKey(stream, streamCreated));
    }

    /**
     * Tells the writer that no message at or below {@code ackFloor} will be delivered again (the consumer's
     * acknowledgement floor), so that it forgets the finished files holding only such messages. Asked about
     * them later, it answers that they are not archived: a new consumer delivering them again has them
     * archived again (at least once).
     */
    public synchronized void acknowledgedUpTo(String stream, Instant streamCreated, long ackFloor) {
        archived.acknowledgedUpTo(new StreamKey(stream, streamCreated), ackFloor);
    }

    /** The number of sequence ranges held in memory: open files and cached manifests (for tests). */
    synchronized long rangesHeld() {
        return archived.rangesHeld();
    }

    /** The number of finished files of this worker it knows of (for tests). */
    synchronized long finishedFilesKnown() {
        return archived.finishedFiles();
    }

    /** The number of files open for writing. */
    public synchronized int openFiles() {
        return files.size();
    }

    /**
     * What this writer did on disk since it was opened: files finished and open, bytes written. Not
     * synchronized: the stats are read without the writer's lock, so a reader never waits for an append.
     */
    public WriterStats stats() {
        return stats;
    }

    /** The configuration. */
    public ArchiveConfig config() {
        return config;
    }

    /** Finishes every open file. Idempotent; the first failure is thrown after trying them all. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        IOException failure = null;
        for (PartFile file : files.all()) {
            try {
                files.finish(file);
            } catch (IOException e) {
                failure = add(failure, e);
            }
        }
        try {
            files.recoverFailed();
        } catch (IOException e) {
            failure = add(failure, e);
        }
        closed = true;
        try {
            lock.close();
        } catch (IOException e) {
            failure = add(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Leaves the writer as a killed process would: nothing finished, the lock released. For tests of
     * recovery within one JVM.
     */
    synchronized void abandon() throws IOException {
        closed = true;
        lock.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("archive writer is closed");
        }
    }

    private static IOException add(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
