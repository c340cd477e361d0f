package io.meshbridge.archive;

import io.meshbridge.events.Bus;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventTypes;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * History that reaches past the stream into the archive: the questions of {@link PersistentBus#history} and
 * {@link PersistentBus#historySince}, answered in the same shape from the stream's messages ("hot") and the
 * archived messages the stream no longer holds ("cold").
 *
 * <p><b>Boundary.</b> The stream answers from its first message on; the archive answers what lies before:
 * the messages of the same stream name with a lower sequence in the current incarnation (same creation time,
 * from the stream info), and all messages of earlier incarnations (the stream deleted and created again).
 * So an event still in the stream comes from the stream only, and none comes twice. Archived messages of
 * other stream names are never read into the answer.
 *
 * <p><b>Order.</b> Oldest first by stream time: the archived part (incarnations in order of creation, each by
 * sequence), then the stream's part by sequence. That is the order of stored time as long as the servers'
 * clocks did not step back.
 *
 * <p><b>Queries.</b> {@link #historySince} answers the archived messages at or after {@code since} up to the
 * boundary, then the stream's, {@code limit} events in total; {@link #history} answers the stream's newest
 * {@code limit} events and, when the stream holds fewer (it dropped older ones), fills up with the newest
 * archived events before the boundary. Archived payloads are decoded with the codec the stream's history uses;
 * one that does not decode is reported among {@link HistoryResult#undecodable()} with its position, as a stored
 * message is. {@link HistoryResult#more()} says whether more matching messages exist, stream and archive
 * together.
 *
 * <p><b>Missing parts.</b> A missing or empty archive directory answers from the stream alone. A stream that
 * does not exist (deleted, or not created yet) answers from the archive alone, every incarnation of that
 * name: its archived events are all the history there is. The archive reader reads finished files only, not
 * the {@code .part} files still being written: their events are recent, normally still in the stream, so an
 * event that is neither in the stream nor in a finished file (the stream dropped it while its file was still
 * being written) is missing from the answer until that file is finished.
 *
 * <p><b>Consistency.</b> Each query asks the stream first, then for its info, then lists the archive; the
 * boundary is the first message of the stream's answer (without one, the stream's first message after it),
 * so messages the stream drops meanwhile leave no gap.
 * A query running while the stream is deleted or created again may miss or repeat the events of that moment.
 *
 * <p>Thread-safe; each query uses its own stream consumer and its own listing of the archive directory.
 */
public final class ArchiveHistory {

    private static final int STREAM_NOT_FOUND = 10059;
    private static final String NODE = "mesh-bridge-history";

    private final Connection connection;
    private final String stream;
    private final Path directory;
    private final ColdHistory cold;
    private final AtomicReference<PersistentBus> bus;

    private ArchiveHistory(Connection connection, String stream, Path directory, EventCodec codec,
                           PersistentBus bus) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.cold = new ColdHistory(directory, Objects.requireNonNull(codec, "codec"));
        this.bus = new AtomicReference<>(bus);
    }

    /** History of {@code bus}'s stream and the archive below {@code directory}. */
    public static ArchiveHistory of(PersistentBus bus, Path directory) {
        Objects.requireNonNull(bus, "bus");
        return new ArchiveHistory(bus.bus().connection(), bus.config().streamName(), directory,
                bus.bus().codec(), bus);
    }

    /**
     * History of the stream named {@code stream} and the archive below {@code directory}; the stream need not
     * exist (then the archive answers alone). Never creates or changes the stream.
     *
     * @throws IllegalArgumentException when {@code stream} is not a valid stream name
     */
    public static ArchiveHistory of(Connection connection, String stream, Path directory) {
        PersistConfig.defaults().withStreamName(stream);
        return new ArchiveHistory(connection, stream, directory, Bus.codecFor(connection), null);
    }

    /** The stream name. */
    public String stream() {
        return stream;
    }

    /** The archive directory. */
    public Path directory() {
        return directory;
    }

    /**
     * The most recent {@code limit} events matching {@code filter}, stream and archive together, oldest
     * first, with the undecodable messages stored among them.
     *
     * @param filter a subject filter under {@code events.} ({@code events.>}, {@code events.tool.*}, ...)
     * @throws ArchiveReadException when the archive cannot be read
     * @throws IOException           when the stream's history fails
     */
    public HistoryResult history(String filter, int limit) throws IOException, JetStreamApiException {
        requireQuery(filter, limit);
        Hot hot = hot(b -> b.history(filter, limit));
        HistoryResult streamPart = hot.result();
        int room = limit - streamPart.events().size();
        if (room <= 0) {
            return streamPart.more() ? streamPart : new HistoryResult(streamPart.events(),
                    streamPart.undecodable(), cold.any(hot.boundary(), filter));
        }
        HistoryEntries answer = cold.newest(hot.boundary(), filter, room);
        HistoryEntries.of(streamPart).forEach(answer::addLast);
        return answer.result(answer.more() || streamPart.more());
    }

    /**
     * The first {@code limit} events matching {@code filter} stored at or after {@code since}, archive and
     * stream together, oldest first, with the undecodable messages stored among them.
     *
     * @throws ArchiveReadException when the archive cannot be read
     * @throws IOException           when the stream's history fails
     */
    public HistoryResult historySince(String filter, Instant since, int limit)
            throws IOException, JetStreamApiException {
        Objects.requireNonNull(since, "since");
        requireQuery(filter, limit);
        Hot hot = hot(b -> b.historySince(filter, since, limit));
        HistoryEntries answer = new HistoryEntries();
        boolean moreCold = cold.forward(hot.boundary(), since, filter, limit, answer);
        List<Object> streamPart = HistoryEntries.of(hot.result());
        int taken = 0;
        while (taken < streamPart.size() && answer.events() < limit) {
            answer.addLast(streamPart.get(taken++));
        }
        return answer.result(moreCold || taken < streamPart.size() || hot.result().more());
    }

    /**
     * A place in the history order of this stream name (incarnations by creation time, each by sequence): the
     * message {@code sequence} of the incarnation created at {@code created}, stored at {@code time}
     * ({@code null} when not known). The time only narrows the files read: stored time follows the history order
     * as long as the servers' clocks did not step back.
     *
     * @param created  the creation time of the incarnation
     * @param sequence a sequence in it, 0 or more (0: before its first message)
     * @param time     the stored time of that message, or {@code null}
     */
    public record Mark(Instant created, long sequence, Instant time) {
        /** Validates the members. */
        public Mark {
            Objects.requireNonNull(created, "created");
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence must not be negative, was " + sequence);
            }
        }

        /** Whether this place comes before {@code record} (of this stream name). */
        boolean isBefore(ArchiveRecord record) {
            int incarnation = record.streamCreated().compareTo(created);
            return incarnation > 0 || incarnation == 0 && record.sequence() > sequence;
        }

        /** Whether this place comes after {@code record} (of this stream name). */
        boolean isAfter(ArchiveRecord record) {
            int incarnation = record.streamCreated().compareTo(created);
            return incarnation < 0 || incarnation == 0 && record.sequence() < sequence;
        }
    }

    /**
     * A page of archived messages, and the place of its last one.
     *
     * @param result the events and the undecodable messages, each oldest first; {@code more} when a message of the
     *               range follows the page
     * @param last   the place of the page's last message, or {@code null} when the page is empty
     */
    public record Page(HistoryResult result, Mark last) {
        /** Requires the result. */
        public Page {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * One page of the archived messages of this stream name that come after {@code after} ({@code null}: from the
     * first) and before {@code before} ({@code null}: to the last, e.g. when the stream is gone; normally the
     * stream's first message, so that nothing the stream still holds comes from the archive), match
     * {@code filter} and were stored in [{@code since}, {@code until}) ({@code null}: unbounded): at most
     * {@code limit} messages, events and undecodable messages together, oldest first. The stream is not asked.
     *
     * @throws ArchiveReadException when the archive cannot be read
     */
    public Page archived(String filter, Mark after, Mark before, Instant since, Instant until, int limit)
            throws ArchiveReadException {
        requireQuery(filter, limit);
        Instant from = after != null && after.time() != null && (since == null || after.time().isAfter(since))
                ? after.time() : since;
        Instant to = until;
        if (before != null && before.time() != null) {
            Instant bound = before.time().plusNanos(1); // a message in the same nanosecond is told apart by sequence
            to = to == null || bound.isBefore(to) ? bound : to;
        }
        if (from != null && to != null && !to.isAfter(from)) {
            return new Page(HistoryResult.EMPTY, null);
        }
        HistoryEntries answer = new HistoryEntries();
        ArchiveRecord last = cold.range(record -> record.stream().equals(stream)
                && (after == null || after.isBefore(record)) && (before == null || before.isAfter(record)),
                from, to, filter, limit, answer);
        return new Page(answer.result(answer.more()), last == null ? null
                : new Mark(last.streamCreated(), last.sequence(), last.time()));
    }

    private static void requireQuery(String filter, int limit) {
        EventTypes.requireValidFilter(filter);
        if (limit < 1) {
            throw new IllegalArgumentException("history limit must be at least 1, was " + limit);
        }
    }

    /** The stream's answer and the boundary after it; the archive answers alone when the stream is missing. */
    private Hot hot(Query query) throws IOException, JetStreamApiException {
        try {
            PersistentBus attached = attach();
            HistoryResult result = query.run(attached);
            StreamInfo info = connection.jetStreamManagement().getStreamInfo(stream);
            return new Hot(result, HistoryBoundary.of(info, result));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            return new Hot(HistoryResult.EMPTY, HistoryBoundary.noStream(stream));
        }
    }

    private PersistentBus attach() throws IOException, JetStreamApiException {
        PersistentBus current = bus.get();
        if (current == null) {
            current = PersistentBus.attach(connection, NODE, PersistConfig.defaults().withStreamName(stream));
            bus.compareAndSet(null, current);
        }
        return current;
    }

    /** One of the stream's history questions. */
    private interface Query {
        HistoryResult run(PersistentBus bus) throws IOException, JetStreamApiException;
    }

    /** The stream's answer and where it begins. */
    private record Hot(HistoryResult result, HistoryBoundary boundary) {
    }
}
