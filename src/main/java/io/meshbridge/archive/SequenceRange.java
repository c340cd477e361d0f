package io.meshbridge.archive;

/**
 * An inclusive range of stream sequences.
 *
 * @param first the first sequence
 * @param last  the last sequence, at least {@code first}
 */
public record SequenceRange(long first, long last) {

    /** Validates the bounds. */
    public SequenceRange {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("invalid sequence range " + first + ".." + last);
        }
    }

    /** How many sequences the range holds. */
    public long count() {
        return last - first + 1;
    }
}
