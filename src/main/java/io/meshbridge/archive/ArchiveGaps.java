package io.meshbridge.archive;

import java.util.Optional;

/**
 * Finds the messages a stream dropped before they were archived (its retention ran out while the worker was
 * down). Pure functions; the caller knows the times of the range and emits the gap event. Thread-safe.
 */
public final class ArchiveGaps {

    private ArchiveGaps() {
    }

    /**
     * The sequences lost between the archive and the stream: those after the archive's high-water mark and
     * before the stream's first sequence now.
     *
     * @param streamFirstSequence the stream's first (oldest) sequence now, from its stream state; a stream
     *                            without messages reports its last sequence + 1
     * @param archivedHighWater   the highest sequence archived of the same stream incarnation
     *                            ({@link ArchiveWriter#highWater}); 0 when nothing of it was archived, then
     *                            every sequence from 1 before the first counts as lost
     * @return the missing range, or empty when nothing is missing
     */
    public static Optional<SequenceRange> missing(long streamFirstSequence, long archivedHighWater) {
        if (streamFirstSequence < 1 || archivedHighWater < 0) {
            throw new IllegalArgumentException("invalid sequences: stream first " + streamFirstSequence
                    + ", archived high-water " + archivedHighWater);
        }
        return streamFirstSequence > archivedHighWater + 1
                ? Optional.of(new SequenceRange(archivedHighWater + 1, streamFirstSequence - 1))
                : Optional.empty();
    }
}
