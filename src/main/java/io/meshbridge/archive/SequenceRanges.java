package io.meshbridge.archive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of stream sequences kept as disjoint inclusive ranges; memory grows with the number of holes, not
 * with the number of sequences. Not thread-safe.
 *
 * <p>The ranges are two sorted arrays of first and last sequences (16 bytes a range, no boxing). The archive adds
 * sequences in stream order, and a file of one event type among several gets a hole between most of its events,
 * so the common adds extend the highest range or append one after it: no search, no allocation beyond the arrays'
 * growth. An add below the highest range (a redelivery, a recovery) searches and may shift the ranges above it.
 */
final class SequenceRanges {

    private static final int INITIAL = 8;

    private long[] firsts = new long[INITIAL];
    private long[] lasts = new long[INITIAL];
    private int size;
    private long count;

    boolean contains(long seq) {
        int i = floor(seq);
        return i >= 0 && lasts[i] >= seq;
    }

    /** Adds a sequence; returns {@code false} when it was already present. */
    boolean add(long seq) {
        if (size > 0 && seq == lasts[size - 1] + 1) {
            lasts[size - 1] = seq;
            count++;
            return true;
        }
        if (size == 0 || seq > lasts[size - 1] + 1) {
            insert(size, seq, seq);
            count++;
            return true;
        }
        int below = floor(seq);
        if (below >= 0 && lasts[below] >= seq) {
            return false;
        }
        boolean joinsBelow = below >= 0 && lasts[below] == seq - 1;
        boolean joinsAbove = below + 1 < size && firsts[below + 1] == seq + 1;
        if (joinsBelow && joinsAbove) {
            lasts[below] = lasts[below + 1];
            remove(below + 1, below + 2);
        } else if (joinsBelow) {
            lasts[below] = seq;
        } else if (joinsAbove) {
            firsts[below + 1] = seq;
        } else {
            insert(below + 1, seq, seq);
        }
        count++;
        return true;
    }

    void addRange(long first, long last) {
        // the ranges that overlap [first, last] or touch it: from the first whose last reaches first - 1 to the last
        // whose first is at most last + 1
        int lo = firstEndingAtOrAbove(first - 1);
        int hi = floor(last + 1);
        if (lo > hi) {
            insert(lo, first, last);
            count += last - first + 1;
            return;
        }
        long merged = 0;
        for (int i = lo; i <= hi; i++) {
            merged += lasts[i] - firsts[i] + 1;
        }
        long newFirst = Math.min(first, firsts[lo]);
        long newLast = Math.max(last, lasts[hi]);
        firsts[lo] = newFirst;
        lasts[lo] = newLast;
        remove(lo + 1, hi + 1);
        count += newLast - newFirst + 1 - merged;
    }

    void addAll(SequenceRanges other) {
        for (int i = 0; i < other.size; i++) {
            addRange(other.firsts[i], other.lasts[i]);
        }
    }

    /** Marks every sequence from the lowest one present up to {@code seq} as present. */
    void fillUpTo(long seq) {
        if (size > 0 && firsts[0] <= seq) {
            addRange(firsts[0], seq);
        }
    }

    /** The number of disjoint ranges held: what the set costs in memory. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long count() {
        return count;
    }

    /** The lowest sequence, or 0 when empty. */
    long min() {
        return size > 0 ? firsts[0] : 0;
    }

    /** The highest sequence, or 0 when empty. */
    long max() {
        return size > 0 ? lasts[size - 1] : 0;
    }

    List<SequenceRange> ranges() {
        List<SequenceRange> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new SequenceRange(firsts[i], lasts[i]));
        }
        return out;
    }

    /** The missing ranges between the lowest and the highest sequence. */
    List<SequenceRange> holes() {
        List<SequenceRange> out = new ArrayList<>(Math.max(0, size - 1));
        for (int i = 1; i < size; i++) {
            out.add(new SequenceRange(lasts[i - 1] + 1, firsts[i] - 1));
        }
        return out;
    }

    /** The index of the range with the greatest first sequence at or below {@code seq}, or -1. */
    private int floor(long seq) {
        if (size > 0 && firsts[size - 1] <= seq) {
            return size - 1;
        }
        int i = Arrays.binarySearch(firsts, 0, size, seq);
        return i >= 0 ? i : -i - 2;
    }

    /** The index of the first range whose last sequence is at or above {@code seq}, or {@code size}. */
    private int firstEndingAtOrAbove(long seq) {
        int i = Arrays.binarySearch(lasts, 0, size, seq);
        return i >= 0 ? i : -i - 1;
    }

    private void insert(int at, long first, long last) {
        if (size == firsts.length) {
            int grown = size + (size >> 1) + 1;
            firsts = Arrays.copyOf(firsts, grown);
            lasts = Arrays.copyOf(lasts, grown);
        }
        System.arraycopy(firsts, at, firsts, at + 1, size - at);
        System.arraycopy(lasts, at, lasts, at + 1, size - at);
        firsts[at] = first;
        lasts[at] = last;
        size++;
    }

    /** Removes the ranges at indexes {@code from} (inclusive) to {@code to} (exclusive). */
    private void remove(int from, int to) {
        if (from >= to) {
            return;
        }
        System.arraycopy(firsts, to, firsts, from, size - to);
        System.arraycopy(lasts, to, lasts, from, size - to);
        size -= to - from;
        if (firsts.length > 4 * INITIAL && size < firsts.length / 4) { // a fill merged many: give the memory back
            firsts = Arrays.copyOf(firsts, Math.max(INITIAL, 2 * size));
            lasts = Arrays.copyOf(lasts, firsts.length);
        }
    }
}
