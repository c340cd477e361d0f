package io.meshbridge.archive;

import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of a combined history answer in order, events ({@link ReceivedEvent}) and undecodable messages
 * ({@link EventDecodeException}) mixed as they were stored, counting the events: only they count towards a
 * limit, as in the stream's own history. Not thread-safe; one per query.
 */
final class HistoryEntries {

    private final ArrayDeque<Object> entries = new ArrayDeque<>();
    private int events;
    private boolean more;

    /** An archived message as the stream's history returns it: decoded, with its id and position. */
    static Object decode(EventCodec codec, ArchiveRecord record) {
        StreamPosition position = new StreamPosition(record.stream(), record.sequence(), record.time());
        try {
            return codec.decode(record.subject(), record.payload()).withDelivery(record.id(), position);
        } catch (EventDecodeException e) {
            return e.at(position);
        }
    }

    /** The entries of a stream's answer (all of one incarnation) in stream order. */
    static List<Object> of(HistoryResult result) {
        List<Object> out = new ArrayList<>(result.events().size() + result.undecodable().size());
        int e = 0;
        int u = 0;
        while (e < result.events().size() || u < result.undecodable().size()) {
            boolean event = u == result.undecodable().size() || e < result.events().size()
                    && result.events().get(e).position().sequence()
                    < result.undecodable().get(u).position().sequence();
            out.add(event ? result.events().get(e++) : result.undecodable().get(u++));
        }
        return out;
    }

    /** Appends an entry, newest last. */
    void addLast(Object entry) {
        entries.addLast(entry);
        if (entry instanceof ReceivedEvent) {
            events++;
        }
    }

    /**
     * Drops the oldest entries beyond {@code limit} events, and undecodable messages older than the first
     * event once the limit is reached; then more exist than these entries.
     */
    void trimToNewest(int limit) {
        while (!entries.isEmpty()
                && (events > limit || events == limit && !(entries.peekFirst() instanceof ReceivedEvent))) {
            more = true;
            if (entries.removeFirst() instanceof ReceivedEvent) {
                events--;
            }
        }
    }

    /** The number of entries held, events and undecodable messages. */
    int size() {
        return entries.size();
    }

    /** The number of events held. */
    int events() {
        return events;
    }

    /** Notes that more matching messages exist than these entries. */
    void markMore() {
        more = true;
    }

    /** Whether more matching messages exist: {@link #trimToNewest} dropped some, or {@link #markMore} said so. */
    boolean more() {
        return more;
    }

    /** The answer: the events and the undecodable messages, each in order. */
    HistoryResult result(boolean more) {
        return HistoryResult.of(entries, more);
    }
}
