package io.meshbridge.api;

import io.meshbridge.archive.ArchiveHistory;
import io.meshbridge.archive.ArchiveReadException;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pages of {@code GET /api/history}: the stream's history read forward and, before it, what the archive
 * holds of that stream name and the stream no longer does, in one order (incarnations of the stream by
 * creation time, each by sequence), with no message twice and none left out.
 *
 * <p><b>One page.</b> The stream's info says its incarnation (creation time) and first message. When the
 * cursor lies before that message (or there is none, or it names an earlier incarnation), the archive answers
 * first: its messages after the cursor and before the stream's first message. Then the stream answers from the
 * message after the cursor (same incarnation) or, for a cursor of another incarnation (the stream was deleted
 * and created again), from the first message stored after the cursor's time: sequences of another incarnation
 * are never read. Should the stream drop messages while the page is read, the archive fills the gap between
 * the two parts. A stream that does not exist leaves the archive to answer alone.
 *
 * <p><b>Bounds.</b> A page holds at most {@code limit} messages, events and undecodable messages together; its
 * {@code next} is the place of its last message, {@code null} when nothing more lies within the query. A query
 * running while the stream is deleted and created again may miss or repeat the events of that moment.
 *
 * <p>Thread-safe; each page uses its own stream consumer and its own listing of the archive directory.
 */
final class HistoryPaging {

    private static final int STREAM_NOT_FOUND = 10059;
    private static final String NODE = "mesh-bridge-api";

    /**
     * What to read: the matching messages stored in [{@code since}, {@code until}).
     *
     * @param filter a valid subject filter under {@code events.}
     * @param since  inclusive lower bound of the stored time, or {@code null}
     * @param until  exclusive upper bound, or {@code null}
     * @param limit  most messages a page holds, 1 or more
     */
    record Query(String filter, Instant since, Instant until, int limit) {
        /** Validates the members. */
        Query {
            Objects.requireNonNull(filter, "filter");
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, was " + limit);
            }
        }
    }

    /**
     * One page: its events and undecodable messages, each oldest first, and the cursor of the next page.
     *
     * @param events      the events
     * @param undecodable the matching stored messages that are not events
     * @param next        where the next page starts, or {@code null} at the end
     */
    record Page(List<ReceivedEvent> events, List<EventDecodeException> undecodable, HistoryCursor next) {
        /** Freezes the lists. */
        Page {
            events = List.copyOf(events);
            undecodable = List.copyOf(undecodable);
        }
    }

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final String stream;
    private final ArchiveHistory archive;
    private final AtomicReference<PersistentBus> bus = new AtomicReference<>();

    /** Pages of {@code stream}, reaching into {@code archive} (or {@code null} for the stream alone). */
    HistoryPaging(Connection connection, String stream, ArchiveHistory archive) throws IOException {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.jsm = connection.jetStreamManagement();
        this.stream = Objects.requireNonNull(stream, "stream");
        this.archive = archive;
    }

    /** The page of {@code query} after {@code after} ({@code null}: the first page). */
    Page page(Query query, HistoryCursor after) throws IOException, JetStreamApiException, ArchiveReadException {
        StreamInfo info = streamInfo();
        Instant created = info == null ? null : info.getCreateTime().toInstant();
        StreamState state = info == null ? null : info.getStreamState();
        long first = state == null ? 0 : state.getMsgCount() == 0 ? state.getLastSequence() + 1
                : state.getFirstSequence();
        boolean inStream = after != null && after.created().equals(created) && after.sequence() + 1 >= first;
        Parts page = new Parts(query.limit());
        HistoryCursor at = after;
        if (!inStream && archive != null) {
            Instant firstTime = state == null || state.getMsgCount() == 0 ? null : state.getFirstTime().toInstant();
            ArchiveHistory.Page cold = archive.archived(query.filter(), at == null ? null : at.mark(),
                    info == null ? null : new ArchiveHistory.Mark(created, first, firstTime), query.since(),
                    query.until(), query.limit());
            page.add(cold.result());
            at = cold.last() == null ? at : HistoryCursor.of(cold.last());
            if (cold.result().more() || page.full()) {
                return page.page(at, true);
            }
        }
        if (info == null || query.until() != null && state.getMsgCount() > 0
                && !query.until().isAfter(state.getFirstTime().toInstant())) {
            return page.page(at, false); // no stream, or it holds nothing before until
        }
        long from;
        Instant since = query.since();
        if (at == null) {
            from = 0;
        } else if (at.created().equals(created)) {
            from = at.sequence() + 1;
        } else {
            from = 0; // another incarnation: continue by time
            Instant after1 = at.time().plusNanos(1);
            since = since == null || after1.isAfter(since) ? after1 : since;
        }
        HistoryResult hot;
        try {
            hot = bus().historyPage(query.filter(), from, since, query.until(), page.room());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            return page.page(at, false); // deleted meanwhile
        }
        if (!inStream && archive != null) {
            fillGap(query, page, at, created, Math.max(first, from), hot);
        }
        return page.withStream(hot, created, at);
    }

    /**
     * The archived messages the stream dropped between its info and its answer: those of its incarnation from
     * {@code expected} on and before the answer's first message, when its first sequence has moved past it.
     */
    private void fillGap(Query query, Parts page, HistoryCursor at, Instant created, long expected,
                         HistoryResult hot) throws IOException, JetStreamApiException, ArchiveReadException {
        StreamInfo now = streamInfo();
        if (now == null || !now.getCreateTime().toInstant().equals(created)
                || now.getStreamState().getFirstSequence() <= expected) {
            return;
        }
        StreamPosition firstHot = Parts.first(hot);
        ArchiveHistory.Mark from = at != null && at.created().equals(created) ? at.mark()
                : new ArchiveHistory.Mark(created, expected - 1, null);
        ArchiveHistory.Mark to = new ArchiveHistory.Mark(created, firstHot == null ? Long.MAX_VALUE
                : firstHot.sequence(), firstHot == null ? null : firstHot.time());
        ArchiveHistory.Page gap = archive.archived(query.filter(), from, to, query.since(), query.until(),
                page.room());
        page.add(gap.result());
        page.gapLast = gap.last() == null ? null : HistoryCursor.of(gap.last());
    }

    /** The stream's info, or {@code null} when it does not exist. */
    private StreamInfo streamInfo() throws IOException, JetStreamApiException {
        try {
            return jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private PersistentBus bus() throws IOException, JetStreamApiException {
        PersistentBus current = bus.get();
        if (current == null) {
            current = PersistentBus.attach(connection, NODE, PersistConfig.defaults().withStreamName(stream));
            bus.compareAndSet(null, current);
        }
        return current;
    }

    /** The parts of one page as they are read: archive, gap, stream; at most {@code limit} messages. */
    private static final class Parts {
        private final int limit;
        private final List<ReceivedEvent> events = new ArrayList<>();
        private final List<EventDecodeException> undecodable = new ArrayList<>();
        private HistoryCursor gapLast;

        Parts(int limit) {
            this.limit = limit;
        }

        void add(HistoryResult result) {
            events.addAll(result.events());
            undecodable.addAll(result.undecodable());
        }

        int room() {
            return limit - events.size() - undecodable.size();
        }

        boolean full() {
            return room() <= 0;
        }

        Page page(HistoryCursor last, boolean more) {
            return new Page(events, undecodable, more && last != null ? last : null);
        }

        /**
         * The page with the stream's answer (of the incarnation created at {@code created}) after the other
         * parts, cut to the room left (a gap filled from the archive took some); {@code at} is the place before.
         */
        Page withStream(HistoryResult hot, Instant created, HistoryCursor at) {
            int room = room();
            int e = 0;
            int u = 0;
            StreamPosition last = null;
            while (room > 0 && (e < hot.events().size() || u < hot.undecodable().size())) {
                boolean event = u == hot.undecodable().size() || e < hot.events().size()
                        && hot.events().get(e).position().sequence()
                        < hot.undecodable().get(u).position().sequence();
                last = event ? hot.events().get(e++).position() : hot.undecodable().get(u++).position();
                room--;
            }
            events.addAll(hot.events().subList(0, e));
            undecodable.addAll(hot.undecodable().subList(0, u));
            boolean cut = e < hot.events().size() || u < hot.undecodable().size();
            HistoryCursor end = last != null ? new HistoryCursor(created, last.sequence(), last.time())
                    : gapLast != null ? gapLast : at;
            return page(end, cut || hot.more() || gapLast != null && room == 0);
        }

        /** The first position of a stream's answer, or {@code null} when it is empty. */
        static StreamPosition first(HistoryResult hot) {
            StreamPosition event = hot.events().isEmpty() ? null : hot.events().get(0).position();
            StreamPosition failure = hot.undecodable().isEmpty() ? null : hot.undecodable().get(0).position();
            if (event == null || failure == null) {
                return event != null ? event : failure;
            }
            return event.sequence() <= failure.sequence() ? event : failure;
        }
    }
}
