package io.meshbridge.events;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a history query: at most the query's limit of matching events, oldest first, and the
 * matching stored messages among them that did not decode (reported, not skipped, and not counted in the
 * limit), also oldest first.
 *
 * @param events      decoded events with their stream positions
 * @param undecodable stored messages that are not events, with their positions
 * @param more        whether more matching messages exist beyond this answer (older ones for
 *                    {@code history}, newer ones for {@code historySince}) at the time of the query
 */
public record HistoryResult(List<ReceivedEvent> events, List<EventDecodeException> undecodable, boolean more) {

    /** An empty answer. */
    public static final HistoryResult EMPTY = new HistoryResult(List.of(), List.of(), false);

    /** Freezes the lists. */
    public HistoryResult {
        events = List.copyOf(events);
        undecodable = List.copyOf(undecodable);
    }

    /**
     * The answer made of entries in order, each a {@link ReceivedEvent} or an {@link EventDecodeException}.
     *
     * @throws ClassCastException when an entry is neither
     */
    public static HistoryResult of(Iterable<?> entries, boolean more) {
        List<ReceivedEvent> ok = new ArrayList<>();
        List<EventDecodeException> failed = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof ReceivedEvent e) {
                ok.add(e);
            } else {
                failed.add((EventDecodeException) entry);
            }
        }
        return new HistoryResult(ok, failed, more);
    }
}
