package io.meshbridge.archive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of stream sequences kept as disjoint inclusive ranges; memory grows with the number of holes, not
 * with the number of sequences. Not thread-safe.
 *
 * <p>The highest range is held in two fields while sequences are added above it (the archive adds each batch's
 * sequences in stream order): such an add costs no map operation and no allocation. Any other change puts it
 * into the map first.
 */
final class SequenceRanges {

    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private long count;
    /** The highest range when {@link #tailFirst} is positive, and then not in {@link #ranges}. */
    private long tailFirst;
    private long tailLast;

    boolean contains(long seq) {
        if (tailFirst > 0 && seq >= tailFirst) {
            return seq <= tailLast;
        }
        Map.Entry<Long, Long> e = ranges.floorEntry(seq);
        return e != null && e.getValue() >= seq;
    }

    /** Adds a sequence; returns {@code false} when it was already present. */
    boolean add(long seq) {
        if (tailFirst > 0 && seq == tailLast + 1) {
            tailLast = seq;
            count++;
            return true;
        }
        if (seq > 0 && seq > max()) { // above everything: becomes (or extends) the highest range, in the fields
            if (tailFirst == 0 && !ranges.isEmpty() && ranges.lastEntry().getValue() == seq - 1) {
                tailFirst = ranges.pollLastEntry().getKey();
            } else {
                settleTail();
                tailFirst = seq;
            }
            tailLast = seq;
            count++;
            return true;
        }
        settleTail();
        if (contains(seq)) {
            return false;
        }
        long start = seq;
        long end = seq;
        Map.Entry<Long, Long> below = ranges.floorEntry(seq);
        if (below != null && below.getValue() == seq - 1) {
            start = below.getKey();
        }
        Long aboveEnd = ranges.remove(seq + 1);
        if (aboveEnd != null) {
            end = aboveEnd;
        }
        ranges.put(start, end);
        count++;
        return true;
    }

    /** Puts the highest range held in the fields into the map. */
    private void settleTail() {
        if (tailFirst > 0) {
            ranges.put(tailFirst, tailLast);
            tailFirst = 0;
        }
    }

    void addRange(long first, long last) {
        settleTail();
        for (Map.Entry<Long, Long> e = ranges.ceilingEntry(first); e != null && e.getKey() <= last;
                e = ranges.ceilingEntry(first)) {
            // an existing range inside or overlapping from the right: absorb it
            ranges.remove(e.getKey());
            count -= e.getValue() - e.getKey() + 1;
            last = Math.max(last, e.getValue());
        }
        Map.Entry<Long, Long> below = ranges.floorEntry(first);
        if (below != null && below.getValue() >= first - 1) {
            ranges.remove(below.getKey());
            count -= below.getValue() - below.getKey() + 1;
            first = below.getKey();
            last = Math.max(last, below.getValue());
        }
        Map.Entry<Long, Long> above = ranges.ceilingEntry(last + 1);
        if (above != null && above.getKey() == last + 1) {
            ranges.remove(above.getKey());
            count -= above.getValue() - above.getKey() + 1;
            last = above.getValue();
        }
        ranges.put(first, last);
        count += last - first + 1;
    }

    void addAll(SequenceRanges other) {
        other.settleTail();
        other.ranges.forEach(this::addRange);
    }

    /** Marks every sequence from the lowest one present up to {@code seq} as present. */
    void fillUpTo(long seq) {
        settleTail();
        if (!ranges.isEmpty() && ranges.firstKey() <= seq) {
            addRange(ranges.firstKey(), seq);
        }
    }

    /** The number of disjoint ranges held: what the set costs in memory. */
    int size() {
        return ranges.size() + (tailFirst > 0 ? 1 : 0);
    }

    boolean isEmpty() {
        return ranges.isEmpty() && tailFirst == 0;
    }

    long count() {
        return count;
    }

    /** The lowest sequence, or 0 when empty. */
    long min() {
        return !ranges.isEmpty() ? ranges.firstKey() : tailFirst;
    }

    /** The highest sequence, or 0 when empty. */
    long max() {
        return tailFirst > 0 ? tailLast : ranges.isEmpty() ? 0 : ranges.lastEntry().getValue();
    }

    List<SequenceRange> ranges() {
        settleTail();
        List<SequenceRange> out = new ArrayList<>(ranges.size());
        ranges.forEach((first, last) -> out.add(new SequenceRange(first, last)));
        return out;
    }

    /** The missing ranges between the lowest and the highest sequence. */
    List<SequenceRange> holes() {
        settleTail();
        List<SequenceRange> out = new ArrayList<>();
        long next = -1;
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            if (next > 0 && e.getKey() > next) {
                out.add(new SequenceRange(next, e.getKey() - 1));
            }
            next = e.getValue() + 1;
        }
        return out;
    }
}
