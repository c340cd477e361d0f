package io.meshbridge.archive;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * What one file holds: its stream incarnation, sequences, lowest and highest time and count. Not thread-safe.
 */
final class FileSummary implements Consumer<ArchiveRecord> {

    private final SequenceRanges sequences = new SequenceRanges();
    private StreamKey key;
    private boolean mixed;
    private Instant firstTime;
    private Instant lastTime;
    private long count;

    /** A summary of a file of one known stream incarnation (the writer's). */
    FileSummary(StreamKey key) {
        this.key = key;
    }

    /** A summary whose stream incarnation is that of the first event {@linkplain #accept accepted}. */
    FileSummary() {
        this(null);
    }

    /** Adds an event read from a file; notes when it is of another stream incarnation than the first. */
    @Override
    public void accept(ArchiveRecord event) {
        if (key == null) {
            key = event.key();
        } else if (!key.equals(event.key())) {
            mixed = true;
        }
        add(event.sequence(), event.time());
    }

    void add(long sequence, Instant time) {
        sequences.add(sequence);
        firstTime = firstTime == null || time.isBefore(firstTime) ? time : firstTime;
        lastTime = lastTime == null || time.isAfter(lastTime) ? time : lastTime;
        count++;
    }

    /** Whether events of more than one stream incarnation were accepted (never so in files this package writes). */
    boolean mixed() {
        return mixed;
    }

    StreamKey key() {
        return key;
    }

    SequenceRanges sequences() {
        return sequences;
    }

    Instant firstTime() {
        return firstTime;
    }

    Instant lastTime() {
        return lastTime;
    }

    long count() {
        return count;
    }
}
