package io.meshbridge.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** An archive file open for writing ({@code .part}), holding one stream incarnation. Not thread-safe. */
final class PartFile {

    private final Path path;
    private final ArchiveFileName name;
    private final FileChannel channel;
    private final FileSummary summary;
    private final Instant openedAt;
    private long size;

    private PartFile(Path path, ArchiveFileName name, FileChannel channel, StreamKey key, Instant openedAt) {
        this.path = path;
        this.name = name;
        this.channel = channel;
        this.summary = new FileSummary(key);
        this.openedAt = openedAt;
    }

    /**
     * Creates a new part file in {@code dir} with a name neither a part nor a finished file has. The directories
     * created for it and the file itself are durable in their parents when this returns, so that the first
     * fsync of its data makes that data survive a power loss.
     */
    static PartFile create(Path dir, String worker, long firstSequence, Compression compression, StreamKey key,
                           Instant now) throws IOException {
        ArchiveFiles.createDirectories(dir);
        for (long counter = now.toEpochMilli(); ; counter++) {
            ArchiveFileName name = new ArchiveFileName(worker, firstSequence, counter, compression, true);
            Path path = dir.resolve(name.partName());
            if (Files.exists(dir.resolve(name.finished()))) {
                continue;
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                continue; // taken: try the next counter
            }
            try {
                ArchiveFiles.fsyncDirectory(dir);
            } catch (IOException e) {
                ch.close();
                Files.deleteIfExists(path);
                throw e;
            }
            return new PartFile(path, name, ch, key, now);
        }
    }

    /** Appends bytes at the end (not yet durable). */
    void write(byte[] bytes) throws IOException {
        ArchiveFiles.writeFully(channel, bytes, size);
        size += bytes.length;
    }

    void force() throws IOException {
        channel.force(false);
    }

    /** Cuts the file back to {@code length} bytes, durably. */
    void truncate(long length) throws IOException {
        channel.truncate(length);
        channel.force(false);
        size = length;
    }

    /** Records the events of a batch that is now durable. */
    void committed(Iterable<ArchiveRecord> records) {
        for (ArchiveRecord r : records) {
            summary.add(r.sequence(), r.time());
        }
    }

    /**
     * Fsyncs, closes, renames to the final name and writes the manifest; returns the manifest, or null when no
     * batch was ever committed and the file was deleted instead.
     */
    Manifest finish() throws IOException {
        try (channel) {
            channel.force(true);
        }
        if (summary.count() == 0) {
            // nothing was ever committed (the only batch failed): there is nothing to keep
            Files.deleteIfExists(path);
            return null;
        }
        return ArchiveFiles.finish(path, name, summary);
    }

    void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // the data that matters is fsynced; recovery reads the file again
        }
    }

    Path path() {
        return path;
    }

    /** The manifest's path once the file is finished. */
    Path manifestPath() {
        return path.resolveSibling(name.manifest());
    }

    StreamKey key() {
        return summary.key();
    }

    /** The sequences of the batches committed so far; grows with each {@link #committed}. */
    SequenceRanges sequences() {
        return summary.sequences();
    }

    ArchiveFileName name() {
        return name;
    }

    long size() {
        return size;
    }

    Instant openedAt() {
        return openedAt;
    }
}
