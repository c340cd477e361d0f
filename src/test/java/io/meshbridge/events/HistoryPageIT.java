package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PersistentBus#historyPage}: forward pages from a sequence or a time up to an end time, bounded in
 * messages. The stream holds 20 messages: sequence 7 is not an event ({@code events.user.count}, not JSON),
 * every other sequence {@code s} is the event {@code user.fizz} when {@code s} is a multiple of 3, else
 * {@code user.count}, with data {@code {"s": s}}; sequence 12 is deleted.
 */
class HistoryPageIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    static final long BAD = 7;
    static final long DELETED = 12;

    static PersistentBus bus;
    static JetStreamManagement jsm;

    @BeforeAll
    static void store() throws Exception {
        Connection connection = NATS.connect();
        jsm = connection.jetStreamManagement();
        bus = PersistentBus.open(connection, "node-a", PersistConfig.defaults()
                .withStreamName(NATS.uniqueName("PAGES")).withLimits(Duration.ZERO, 0));
        for (long s = 1; s <= 20; s++) {
            if (s == BAD) {
                connection.jetStream().publish("events.user.count", "not json".getBytes(StandardCharsets.UTF_8));
            } else {
                bus.emit(Event.user("node-a", s % 3 == 0 ? "fizz" : "count", Map.of("s", s)));
            }
        }
        jsm.deleteMessage(bus.config().streamName(), DELETED);
    }

    @Test
    void aPageHoldsAtMostLimitMessagesCountingTheUndecodableAndSaysWhetherMoreFollow() throws Exception {
        HistoryResult first = bus.historyPage("events.>", 0, null, null, 7);
        assertThat(sequences(first)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(first.events()).hasSize(6);
        assertThat(first.undecodable()).extracting(e -> e.position().sequence()).containsExactly(BAD);
        assertThat(first.more()).isTrue();

        HistoryResult second = bus.historyPage("events.>", 8, null, null, 7);
        assertThat(sequences(second)).containsExactly(8L, 9L, 10L, 11L, 13L, 14L, 15L);
        assertThat(second.more()).isTrue();

        HistoryResult rest = bus.historyPage("events.>", 16, null, null, 7);
        assertThat(sequences(rest)).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(rest.more()).isFalse();

        HistoryResult exact = bus.historyPage("events.>", 16, null, null, 5);
        assertThat(sequences(exact)).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(exact.more()).as("nothing after the last").isFalse();

        assertThat(bus.historyPage("events.>", 21, null, null, 5)).isEqualTo(HistoryResult.EMPTY);
    }

    @Test
    void sinceStartsByTimeOrLeavesOutWhatCameBeforeItAfterAStartSequence() throws Exception {
        HistoryResult byTime = bus.historyPage("events.>", 0, time(10), null, 3);
        assertThat(sequences(byTime)).containsExactly(10L, 11L, 13L);

        // the messages 2..9 left out take no room: the window of 4 moves past them
        HistoryResult skipping = bus.historyPage("events.>", 2, time(10), null, 3);
        assertThat(sequences(skipping)).containsExactly(10L, 11L, 13L);
        assertThat(skipping.undecodable()).isEmpty();
        assertThat(skipping.more()).isTrue();
    }

    @Test
    void untilEndsThePageBeforeTheFirstMessageStoredAtOrAfterIt() throws Exception {
        HistoryResult before = bus.historyPage("events.>", 0, null, time(5), 10);
        assertThat(sequences(before)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(before.more()).isFalse();

        HistoryResult full = bus.historyPage("events.>", 0, null, time(5), 4);
        assertThat(sequences(full)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(full.more()).as("the next message is at until").isFalse();

        HistoryResult cut = bus.historyPage("events.>", 0, null, time(5), 3);
        assertThat(sequences(cut)).containsExactly(1L, 2L, 3L);
        assertThat(cut.more()).isTrue();

        HistoryResult window = bus.historyPage("events.>", 0, time(14), time(17), 10);
        assertThat(sequences(window)).containsExactly(14L, 15L, 16L);
    }

    @Test
    void theFilterSelectsItsMessagesOnly() throws Exception {
        HistoryResult fizz = bus.historyPage("events.user.fizz", 1, null, null, 100);
        assertThat(sequences(fizz)).containsExactly(3L, 6L, 9L, 15L, 18L);
        assertThat(fizz.more()).isFalse();
        assertThat(fizz.events()).allSatisfy(e -> assertThat(e.event().data().get("s"))
                .isEqualTo((int) e.position().sequence()));

        HistoryResult count = bus.historyPage("events.user.count", 5, null, null, 3);
        assertThat(sequences(count)).containsExactly(5L, 7L, 8L);
        assertThat(count.events()).extracting(e -> e.position().sequence()).containsExactly(5L, 8L);
        assertThat(count.more()).isTrue();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> bus.historyPage("events.>", 0, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("history limit must be at least 1, was 0");
        assertThatThrownBy(() -> bus.historyPage("events.>", -1, null, null, 5))
                .isInstanceOf(IllegalArgumentException.class);
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        assertThatThrownBy(() -> bus.historyPage("events.>", 0, t, t, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.historyPage("events..x", 0, null, null, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyMessageIsReadOnceWhenFollowingThePages() throws Exception {
        List<Long> all = new ArrayList<>();
        long from = 1;
        for (HistoryResult page = bus.historyPage("events.>", from, null, null, 2); ;
             page = bus.historyPage("events.>", from, null, null, 2)) {
            List<Long> seqs = sequences(page);
            all.addAll(seqs);
            if (!page.more()) {
                break;
            }
            from = seqs.get(seqs.size() - 1) + 1;
        }
        assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(1, 20).filter(s -> s != DELETED)
                .boxed().toList());
    }

    private static Instant time(long sequence) throws Exception {
        return jsm.getMessage(bus.config().streamName(), sequence).getTime().toInstant();
    }

    /** The sequences of the events and the undecodable messages of a page, in order. */
    private static List<Long> sequences(HistoryResult result) {
        List<Long> out = new ArrayList<>();
        result.events().forEach(e -> out.add(e.position().sequence()));
        result.undecodable().forEach(e -> out.add(e.position().sequence()));
        out.sort(Long::compare);
        return out;
    }
}
