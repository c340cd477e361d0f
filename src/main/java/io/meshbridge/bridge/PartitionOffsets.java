package io.meshbridge.bridge;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The records of one Kafka partition handed out and not yet committable, in the order they were handed out
 * (increasing offsets), and the offset that may be committed: one past the last record of the longest prefix
 * whose records all completed. So a committed offset never passes a record that has not completed.
 *
 * <p>A record that failed is dropped with every later one ({@link #failed}); the caller seeks back to its
 * offset, and completions of dropped records are ignored. {@link #clear} drops everything (the partition was
 * revoked or lost). Confined to the subscriber's poll thread; {@link Entry} is only a handle.
 */
final class PartitionOffsets {

    /** One handed-out record. */
    static final class Entry {
        private final long offset;
        private boolean completed;
        private boolean dropped;

        private Entry(long offset) {
            this.offset = offset;
        }

        long offset() {
            return offset;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long committable = -1;
    private long requested = -1;
    private long confirmed = -1;

    /** Tracks the record at {@code offset}, the next one handed out. */
    Entry handOut(long offset) {
        Entry e = new Entry(offset);
        entries.addLast(e);
        return e;
    }

    /** The record completed; returns whether the offset to commit moved. */
    boolean completed(Entry e) {
        if (e.dropped) {
            return false;
        }
        e.completed = true;
        boolean moved = false;
        while (!entries.isEmpty() && entries.peekFirst().completed) {
            committable = entries.pollFirst().offset + 1;
            moved = true;
        }
        return moved;
    }

    /**
     * The record failed: it and every record handed out after it are dropped. Returns the offset to seek to (the
     * failed record's), or {@code -1} when the record had been dropped already (an earlier one failed).
     */
    long failed(Entry e) {
        if (e.dropped) {
            return -1;
        }
        Iterator<Entry> back = entries.descendingIterator();
        while (back.hasNext()) {
            Entry last = back.next();
            last.dropped = true;
            back.remove();
            if (last == e) {
                break;
            }
        }
        return e.offset;
    }

    /** Drops every record. */
    void clear() {
        entries.forEach(e -> e.dropped = true);
        entries.clear();
    }

    /** Records handed out and not completed, or completed behind one that is not. */
    int outstanding() {
        return entries.size();
    }

    /**
     * The offset to commit, or {@code -1} when there is none: for an asynchronous commit when it moved past the
     * last one requested, for a synchronous one ({@code all}) when it moved past the last one confirmed.
     */
    long toCommit(boolean all) {
        return committable > (all ? confirmed : requested) ? committable : -1;
    }

    /** A commit of {@code offset} was requested. */
    void requested(long offset) {
        requested = Math.max(requested, offset);
    }

    /** The commit of {@code offset} succeeded ({@code true}) or failed: a failed one is requested again. */
    void commitEnded(long offset, boolean ok) {
        if (ok) {
            confirmed = Math.max(confirmed, offset);
        } else if (requested == offset) {
            requested = confirmed;
        }
    }
}
