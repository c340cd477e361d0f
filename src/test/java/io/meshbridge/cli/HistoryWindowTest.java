package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.events.Event;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A fake stream of 10 messages of which 4, 5, 9 and 10 do not decode. */
class HistoryWindowTest {

    private static final Set<Long> BROKEN = Set.of(4L, 5L, 9L, 10L);
    private static final long LAST = 10;
    private final List<Integer> asked = new ArrayList<>();

    @Test
    void newestFillsTheLimitWithEventsDespiteUndecodableMessages() throws Exception {
        HistoryResult result = HistoryWindow.read(this::newest, 3, true);

        assertThat(sequences(result)).containsExactly(6L, 7L, 8L);
        assertThat(brokenSequences(result)).containsExactly(9L, 10L);
        assertThat(asked.get(0)).isEqualTo(3);
        assertThat(asked).hasSizeGreaterThan(1);
    }

    @Test
    void newestAsksOnceWhenTheAnswerIsComplete() throws Exception {
        HistoryResult result = HistoryWindow.read(this::newest, 50, true);

        assertThat(sequences(result)).containsExactly(1L, 2L, 3L, 6L, 7L, 8L);
        assertThat(brokenSequences(result)).containsExactly(4L, 5L, 9L, 10L);
        assertThat(asked).containsExactly(50);
    }

    @Test
    void oldestKeepsTheFirstEventsAndTheProblemsAmongThem() throws Exception {
        HistoryResult result = HistoryWindow.read(this::oldest, 4, false);

        assertThat(sequences(result)).containsExactly(1L, 2L, 3L, 6L);
        assertThat(brokenSequences(result)).containsExactly(4L, 5L);
    }

    private HistoryResult newest(int limit) {
        asked.add(limit);
        return window(Math.max(1, LAST - limit + 1), LAST);
    }

    private HistoryResult oldest(int limit) {
        asked.add(limit);
        return window(1, Math.min(LAST, limit));
    }

    private static HistoryResult window(long from, long to) {
        List<ReceivedEvent> events = new ArrayList<>();
        List<EventDecodeException> broken = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            StreamPosition position = new StreamPosition("S", seq, Instant.EPOCH);
            if (BROKEN.contains(seq)) {
                broken.add(new EventDecodeException("events.x", new byte[0], "empty payload", null).at(position));
            } else {
                Event event = Event.toolStarted("n", "t" + seq).withTimestamp(Instant.EPOCH);
                events.add(new ReceivedEvent(event, event.subject(), EventCodec.defaults().encode(event), false,
                        null, null).withDelivery(null, position));
            }
        }
        return new HistoryResult(events, broken, from > 1 || to < LAST);
    }

    private static List<Long> sequences(HistoryResult result) {
        return result.events().stream().map(e -> e.position().sequence()).toList();
    }

    private static List<Long> brokenSequences(HistoryResult result) {
        return result.undecodable().stream().map(e -> e.position().sequence()).toList();
    }
}
