package io.meshbridge.api;

import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.ReceivedEvent;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/history/last?by=node}: the last stored event of every (subject, node) pair matching a filter,
 * e.g. the latest {@code node.health} of every node when all of them publish on the one subject
 * {@code events.node.health}, as the reference producers do.
 *
 * <p><b>Window.</b> JetStream keeps no last message per node, so the answer reads the stream forward over a
 * bounded window: the stream sequences {@code max(first, last - window + 1)} to {@code last} as its info gives
 * them when the query starts, in pages of {@value #PAGE} matching messages ({@link PersistentBus#historyPage},
 * one short-lived consumer each). Messages stored after the query started are left out. The answer says the
 * window it read and whether matching messages older than it exist ({@link Answer#windowed()}, one message get
 * of the first match): a pair whose last event lies before the window is then missing.
 *
 * <p><b>Undecodable messages</b> have no node: the last one of each subject is listed, keyed by its subject
 * alone, and {@link Answer#undecodableCount()} counts every one the window held. Events and listed undecodable
 * messages together are at most {@value #MAX_PAIRS}; a filter with more pairs in the window gets a 400 naming
 * it. Only the stream is read; a stream that does not exist or holds nothing gives an empty answer.
 *
 * <p>A stream deleted and created again during the read may make the answer miss events of the new stream.
 * Thread-safe: each query uses its own consumers.
 */
final class LastByNode {

    /** The most (subject, node) pairs one answer covers. */
    static final int MAX_PAIRS = 1000;
    /** The messages read back from the stream's last one when no window is given. */
    static final int DEFAULT_WINDOW = 100_000;
    /** The largest window a query may ask for. */
    static final int MAX_WINDOW = 1_000_000;

    /** The most messages one consumer of the read delivers (and one page holds in memory). */
    private static final int PAGE = 1000;
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int NO_MESSAGE = 10037;
    private static final String NODE = "mesh-bridge-api";

    /**
     * The stream sequences a query read, both inclusive.
     *
     * @param from the first sequence read, 1 or more
     * @param to   the stream's last sequence when the query started, {@code from} or more
     */
    record Range(long from, long to) {
        /** Validates the bounds. */
        Range {
            if (from < 1 || to < from) {
                throw new IllegalArgumentException("a window must run from 1 or more to no less, was " + from
                        + " to " + to);
            }
        }
    }

    /**
     * The last event of each pair, and the last undecodable message of each subject, each ordered by sequence.
     *
     * @param events           the events, one per (subject, node)
     * @param undecodable      the last message of each subject that is not an event
     * @param undecodableCount how many messages of the window were not events, 0 or more
     * @param range            the window read, {@code null} when the stream does not exist or holds nothing
     * @param windowed         whether the stream holds matching messages older than the window
     */
    record Answer(List<ReceivedEvent> events, List<EventDecodeException> undecodable, long undecodableCount,
                  Range range, boolean windowed) {
        /** The answer of a stream that does not exist or holds nothing. */
        static final Answer EMPTY = new Answer(List.of(), List.of(), 0, null, false);

        /** Freezes the lists; validates the count. */
        Answer {
            events = List.copyOf(events);
            undecodable = List.copyOf(undecodable);
            if (undecodableCount < undecodable.size()) {
                throw new IllegalArgumentException("undecodableCount " + undecodableCount + " is below the "
                        + undecodable.size() + " listed");
            }
        }

    }

    /** What the answer keeps per entry: a (subject, node) pair; {@code node} is {@code null} when undecodable. */
    private record Pair(String subject, String node) {
    }

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final String stream;

    LastByNode(Connection connection, String stream) throws IOException {
        this.connection = connection;
        this.jsm = connection.jetStreamManagement();
        this.stream = stream;
    }

    /**
     * The last event of every (subject, node) pair matching {@code filter} among the stream's last
     * {@code window} messages.
     *
     * @throws ApiException 400 naming {@code filter} when the window holds more than {@link #MAX_PAIRS} pairs
     */
    Answer last(String filter, int window) throws IOException, JetStreamApiException {
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be 1 to " + MAX_WINDOW + ", was " + window);
        }
        PersistentBus bus;
        StreamState state;
        try {
            bus = PersistentBus.attach(connection, NODE, PersistConfig.defaults().withStreamName(stream));
            state = jsm.getStreamInfo(stream).getStreamState();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return Answer.EMPTY;
            }
            throw e;
        }
        if (state.getMsgCount() == 0) {
            return Answer.EMPTY;
        }
        Range range = new Range(Math.max(state.getFirstSequence(), state.getLastSequence() - window + 1),
                state.getLastSequence());
        Map<Pair, Object> last = new HashMap<>();
        long undecodable = 0;
        long next = range.from();
        while (next <= range.to()) {
            HistoryResult page = bus.historyPage(filter, next, null, null, PAGE);
            long read = 0;
            for (ReceivedEvent e : page.events()) {
                read = Math.max(read, keep(last, new Pair(e.subject(), e.event().node()), e,
                        e.position().sequence(), range, filter));
            }
            for (EventDecodeException e : page.undecodable()) {
                if (e.position().sequence() <= range.to()) {
                    undecodable++;
                }
                read = Math.max(read, keep(last, new Pair(e.subject(), null), e, e.position().sequence(), range,
                        filter));
            }
            if (!page.more() || read == 0) {
                break;
            }
            next = read + 1;
        }
        return answer(last, undecodable, range, range.from() > state.getFirstSequence() && olderMatch(filter,
                range.from()));
    }

    /** Keeps {@code entry} as the last of {@code pair} when it lies in the window; returns its sequence. */
    private static long keep(Map<Pair, Object> last, Pair pair, Object entry, long sequence, Range range,
                             String filter) {
        if (sequence > range.to()) {
            return sequence; // stored after the query started
        }
        last.put(pair, entry); // pages come in sequence order: a later entry replaces an earlier one
        if (last.size() > MAX_PAIRS) {
            throw ApiException.badRequest("filter " + ApiJson.printable(filter) + " matches more than "
                    + MAX_PAIRS + " (subject, node) pairs in the window of sequences " + range.from() + " to "
                    + range.to() + ", more than one answer covers: narrow it or the window");
        }
        return sequence;
    }

    /** Whether a message matching {@code filter} is stored before sequence {@code from}. */
    private boolean olderMatch(String filter, long from) throws IOException, JetStreamApiException {
        try {
            return jsm.getFirstMessage(stream, filter).getSeq() < from;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE || e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static Answer answer(Map<Pair, Object> last, long undecodableCount, Range range, boolean windowed) {
        List<Object> entries = new ArrayList<>(last.values());
        entries.sort(Comparator.comparingLong(LastEvents::sequence));
        HistoryResult sorted = HistoryResult.of(entries, false);
        return new Answer(sorted.events(), sorted.undecodable(), undecodableCount, range, windowed);
    }
}
