package io.meshbridge.events;

import java.util.List;

/**
 * The answer to a history query: the matching events, oldest first, and the stored messages in the same
 * range that did not decode (reported, not skipped), also oldest first. Both lists together hold at most the
 * query's limit of messages.
 *
 * @param events      decoded events with their stream positions
 * @param undecodable stored messages that are not events, with their positions
 * @param more        whether more matching messages exist beyond this answer (older ones for
 *                    {@code history}, newer ones for {@code historySince})
 */
public record HistoryResult(List<ReceivedEvent> events, List<EventDecodeException> undecodable, boolean more) {

    /** An empty answer. */
    public static final HistoryResult EMPTY = new HistoryResult(List.of(), List.of(), false);

    /** Freezes the lists. */
    public HistoryResult {
        events = List.copyOf(events);
        undecodable = List.copyOf(undecodable);
    }
}
