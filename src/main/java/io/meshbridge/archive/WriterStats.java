package io.meshbridge.archive;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link ArchiveWriter} did on disk since it was opened: the files it finished, the files it has open,
 * and the bytes it wrote to them. The payload of the events does not tell how fast the archive grows on disk
 * (compression) nor how fast files roll; these do.
 *
 * <ul>
 *   <li>{@link #filesFinished()}: files renamed from {@code .part} to their final name with their manifest:
 *       rolled by size or age, finished to make room beyond the maximum of open files, finished at close, or
 *       recovered after an I/O error while this writer had them open. Not counted: files recovered by
 *       {@link ArchiveWriter#open} (a dead process left them), and part files deleted because none of their
 *       batches became durable.</li>
 *   <li>{@link #openFiles()}: the {@code .part} files open for writing now.</li>
 *   <li>{@link #writtenBytes()}: the bytes of each batch as stored (gzip member, zstd frame or plain batch with
 *       its mark), counted once its fsync succeeded. A batch that failed and was cut back does not count, so
 *       the count is the size of the data files this writer wrote, finished and open (manifests not
 *       included), until retention deletes some. Only when cutting a failed batch back fails too may the
 *       recovery of that file keep bytes that are not counted.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Updated by the writer under its lock (the commit thread appending, a timer finishing
 * expired files, close); read from any thread without that lock, so that a metrics scrape never waits behind
 * an fsync. Each value is current on its own; two read one after the other may straddle a batch. The cost is
 * one addition per file written to in a batch, none per event.
 */
public final class WriterStats {

    private final LongAdder filesFinished = new LongAdder();
    private final LongAdder writtenBytes = new LongAdder();
    // set to the size of the open-file map rather than counted up and down, so it cannot drift from it
    private volatile int openFiles;

    WriterStats() {
    }

    /** Files finished by this writer (renamed to their final name, with manifest). */
    public long filesFinished() {
        return filesFinished.sum();
    }

    /** {@code .part} files open for writing now. */
    public int openFiles() {
        return openFiles;
    }

    /** Bytes of the batches made durable in the data files (after compression). */
    public long writtenBytes() {
        return writtenBytes.sum();
    }

    void finished(int files) {
        filesFinished.add(files);
    }

    void wrote(long bytes) {
        writtenBytes.add(bytes);
    }

    void open(int files) {
        openFiles = files;
    }
}
