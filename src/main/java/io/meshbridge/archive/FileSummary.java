package io.meshbridge.archive;

import java.io.IOException;
import java.time.Instant;

/** What one file holds so far: its stream incarnation, sequences, time bounds and count. Not thread-safe. */
final class FileSummary {

    private final StreamKey key;
    private final SequenceRanges sequences = new SequenceRanges();
    private Instant firstTime;
    private Instant lastTime;
    private long count;

    FileSummary(StreamKey key) {
        this.key = key;
    }

    /** Summarises events read from one file; they must all be of one stream incarnation. */
    static FileSummary of(Iterable<ArchivedEvent> events) throws IOException {
        FileSummary summary = null;
        for (ArchivedEvent e : events) {
            if (summary == null) {
                summary = new FileSummary(e.key());
            } else if (!summary.key.equals(e.key())) {
                throw new IOException("file holds events of " + summary.key + " and of " + e.key());
            }
            summary.add(e.sequence(), e.time());
        }
        return summary;
    }

    void add(long sequence, Instant time) {
        sequences.add(sequence);
        firstTime = firstTime == null || time.isBefore(firstTime) ? time : firstTime;
        lastTime = lastTime == null || time.isAfter(lastTime) ? time : lastTime;
        count++;
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
