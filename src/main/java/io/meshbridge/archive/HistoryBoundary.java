package io.meshbridge.archive;

import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.StreamPosition;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a stream's messages begin, for {@link ArchiveHistory}: an archived message before it is answered from
 * the archive, one at or after it from the stream only, so no message comes twice.
 *
 * <p>Before the boundary: every archived message of an earlier incarnation of the stream (same name, earlier
 * creation time), and those of the current incarnation below {@code sequence}. When the stream does not exist,
 * every archived message of that name is. Messages of other stream names, and of an incarnation created after
 * the current one, never are.
 *
 * @param stream   the stream name
 * @param created  the creation time of the current incarnation; {@code null} when the stream does not exist
 * @param sequence the first sequence answered from the stream (ignored without a current incarnation)
 * @param time     the stored time of that message, bounding the archive read; {@code null} for no bound (no
 *                 stream, or a stream without messages)
 */
record HistoryBoundary(String stream, Instant created, long sequence, Instant time) {

    /** Validates the members. */
    HistoryBoundary {
        Objects.requireNonNull(stream, "stream");
        if (created != null && sequence < 1) {
            throw new IllegalArgumentException("boundary sequence must be at least 1, was " + sequence);
        }
    }

    /** The boundary when the stream does not exist: the archive answers alone. */
    static HistoryBoundary noStream(String stream) {
        return new HistoryBoundary(stream, null, 0, null);
    }

    /**
     * The boundary of a stream that answered {@code hot}, whose info was taken after that answer: its first
     * message, or the stream's first message when the answer was empty. The stream answered every match from
     * there on (a newest-N answer that filled its limit is not extended), so nothing is left out in between,
     * even when the stream dropped messages after answering.
     */
    static HistoryBoundary of(StreamInfo info, HistoryResult hot) {
        String stream = info.getConfiguration().getName();
        Instant created = info.getCreateTime().toInstant();
        StreamPosition first = first(hot);
        if (first != null) {
            return new HistoryBoundary(stream, created, first.sequence(), first.time());
        }
        StreamState state = info.getStreamState();
        if (state.getMsgCount() == 0) {
            return new HistoryBoundary(stream, created, state.getLastSequence() + 1, null);
        }
        return new HistoryBoundary(stream, created, state.getFirstSequence(),
                state.getFirstTime().toInstant());
    }

    /** Whether an archived message is answered from the archive. */
    boolean before(ArchiveRecord record) {
        if (!record.stream().equals(stream)) {
            return false;
        }
        if (created == null) {
            return true;
        }
        int incarnation = record.streamCreated().compareTo(created);
        return incarnation < 0 || incarnation == 0 && record.sequence() < sequence;
    }

    /**
     * The exclusive upper time bound of the archive read: just after the boundary's time, so that a message
     * stored in the same nanosecond is still read (and then told apart by its sequence); {@code null} for none.
     */
    Instant until() {
        return time == null ? null : time.plusNanos(1);
    }

    private static StreamPosition first(HistoryResult hot) {
        StreamPosition event = hot.events().isEmpty() ? null : hot.events().get(0).position();
        StreamPosition failure = hot.undecodable().isEmpty() ? null : hot.undecodable().get(0).position();
        if (event == null || failure == null) {
            return event != null ? event : failure;
        }
        return event.sequence() <= failure.sequence() ? event : failure;
    }
}
