package io.meshbridge.cli;

import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.ReceivedEvent;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.util.List;

/**
 * Makes {@code --limit N} mean N events: the library counts undecodable messages within a history limit, so
 * when they take up room and more messages exist, the query is repeated with a larger limit. Of the answer,
 * the newest N events are kept (the oldest N from a start time), with the undecodable messages among them.
 */
final class HistoryWindow {

    /** Largest number of messages asked for in one query. */
    static final int MAX_ASK = 1_000_000;

    /** One history query with a given limit. */
    @FunctionalInterface
    interface Query {
        HistoryResult read(int limit) throws IOException, JetStreamApiException;
    }

    private HistoryWindow() {
    }

    /**
     * Up to {@code limit} events and the undecodable messages stored among them.
     *
     * @param newest true for the most recent events ({@code history}), false for the first ones after a
     *               start time ({@code historySince})
     */
    static HistoryResult read(Query query, int limit, boolean newest) throws IOException, JetStreamApiException {
        int ask = limit;
        while (true) {
            HistoryResult result = query.read(ask);
            if (result.events().size() >= limit || !result.more() || ask >= MAX_ASK) {
                return trim(result, limit, newest);
            }
            long missing = (long) limit - result.events().size();
            ask = (int) Math.min(MAX_ASK, Math.max(2L * ask, (long) ask + 2 * missing));
        }
    }

    /**
     * Keeps {@code limit} events (the newest or the oldest) and the undecodable messages from the start of
     * the kept events on (newest) or up to their end (oldest).
     */
    static HistoryResult trim(HistoryResult result, int limit, boolean newest) {
        List<ReceivedEvent> events = result.events();
        if (events.size() < limit) {
            return result;
        }
        List<ReceivedEvent> kept = newest ? events.subList(events.size() - limit, events.size())
                : events.subList(0, limit);
        long from = newest ? sequence(kept.get(0)) : Long.MIN_VALUE;
        long to = newest ? Long.MAX_VALUE : sequence(kept.get(kept.size() - 1));
        List<EventDecodeException> undecodable = result.undecodable().stream()
                .filter(e -> e.position() == null
                        || e.position().sequence() >= from && e.position().sequence() <= to)
                .toList();
        boolean dropped = kept.size() < events.size() || undecodable.size() < result.undecodable().size();
        return new HistoryResult(kept, undecodable, result.more() || dropped);
    }

    private static long sequence(ReceivedEvent event) {
        return event.position() == null ? 0 : event.position().sequence();
    }
}
