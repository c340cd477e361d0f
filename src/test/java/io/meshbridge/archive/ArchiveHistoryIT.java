package io.meshbridge.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.events.Event;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.StreamState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * History across the stream and the archive, on a real nats-server: a stream that keeps 50 messages, 120
 * events emitted into it, every one archived with its real position as it was stored. Events 71..120 are in
 * the stream, 1..70 only in the archive. Event {@code n} is a {@code user.fizz} event when {@code n} is a
 * multiple of 3, else {@code user.count}, with data {@code {"n": n}}.
 */
class ArchiveHistoryIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final int EMITTED = 120;
    private static final int KEPT = 50;

    @TempDir
    static Path archive;

    private static Connection connection;
    private static PersistentBus bus;
    /** The record of event n at index n - 1. */
    private static final List<ArchiveRecord> RECORDS = new ArrayList<>();

    @BeforeAll
    static void emitAndArchive() throws Exception {
        connection = NATS.connect();
        bus = PersistentBus.open(connection, "node-a", PersistConfig.defaults()
                .withStreamName(NATS.uniqueName("HOT")).withLimits(Duration.ofHours(1), KEPT));
        for (int n = 1; n <= EMITTED; n++) {
            RECORDS.add(StreamRecords.emit(bus, event(n)));
        }
        StreamRecords.archive(archive, RECORDS);
        StreamState state = connection.jetStreamManagement().getStreamInfo(bus.config().streamName())
                .getStreamState();
        assertThat(state.getFirstSequence()).isEqualTo(EMITTED - KEPT + 1);
        assertThat(state.getMsgCount()).isEqualTo(KEPT);
    }

    @Test
    void newestHundredAreEvents21To120FiftyFromTheArchiveAndFiftyFromTheStream() throws Exception {
        HistoryResult hot = bus.history("events.>", 100);
        assertThat(hot.events()).hasSize(KEPT);

        HistoryResult all = history().history("events.>", 100);

        assertThat(numbers(all)).containsExactlyElementsOf(range(21, 120));
        assertThat(all.events()).extracting(ReceivedEvent::id).doesNotHaveDuplicates().hasSize(100);
        expectArchived(all.events().subList(0, 50), 21);
        assertThat(all.events().subList(50, 100)).containsExactlyElementsOf(hot.events());
        assertThat(all.undecodable()).isEmpty();
        assertThat(all.more()).isTrue();
    }

    @Test
    void newestBeyondEverythingIsEveryEventOnce() throws Exception {
        HistoryResult all = history().history("events.>", 500);

        assertThat(numbers(all)).containsExactlyElementsOf(range(1, 120));
        expectArchived(all.events().subList(0, 70), 1);
        assertThat(all.more()).isFalse();
    }

    @Test
    void newestWithinTheStreamComeFromTheStreamAndMoreCountsTheArchive() throws Exception {
        HistoryResult thirty = history().history("events.>", 30);
        HistoryResult fifty = history().history("events.>", 50);

        assertThat(thirty).isEqualTo(bus.history("events.>", 30));
        assertThat(numbers(thirty)).containsExactlyElementsOf(range(91, 120));
        assertThat(numbers(fifty)).containsExactlyElementsOf(range(71, 120));
        assertThat(fifty.events()).containsExactlyElementsOf(bus.history("events.>", 50).events());
        // the stream holds exactly these 50; the archive holds older ones
        assertThat(bus.history("events.>", 50).more()).isFalse();
        assertThat(fifty.more()).isTrue();
    }

    @Test
    void sinceReadsForwardFromTheArchiveIntoTheStream() throws Exception {
        ArchiveHistory history = history();

        HistoryResult across = history.historySince("events.>", time(60), 20);
        assertThat(numbers(across)).containsExactlyElementsOf(range(60, 79));
        expectArchived(across.events().subList(0, 11), 60);
        assertThat(across.more()).isTrue();

        HistoryResult archiveOnly = history.historySince("events.>", time(60), 11);
        assertThat(numbers(archiveOnly)).containsExactlyElementsOf(range(60, 70));
        assertThat(archiveOnly.more()).isTrue();

        HistoryResult toTheEnd = history.historySince("events.>", time(60), 500);
        assertThat(numbers(toTheEnd)).containsExactlyElementsOf(range(60, 120));
        assertThat(toTheEnd.more()).isFalse();

        HistoryResult everything = history.historySince("events.>", time(1), EMITTED);
        assertThat(numbers(everything)).containsExactlyElementsOf(range(1, 120));
        assertThat(everything.more()).isFalse();

        HistoryResult atTheBoundary = history.historySince("events.>", time(71), 5);
        assertThat(atTheBoundary).isEqualTo(bus.historySince("events.>", time(71), 5));
        assertThat(numbers(atTheBoundary)).containsExactlyElementsOf(range(71, 75));
        assertThat(atTheBoundary.more()).isTrue();

        HistoryResult justBefore = history.historySince("events.>", time(70).plusNanos(1), 3);
        assertThat(numbers(justBefore)).containsExactlyElementsOf(range(71, 73));

        HistoryResult afterTheLast = history.historySince("events.>", time(120).plusNanos(1), 10);
        assertThat(afterTheLast).isEqualTo(HistoryResult.EMPTY);
    }

    @Test
    void filtersApplyToTheArchiveAndTheStreamAlike() throws Exception {
        ArchiveHistory history = history();
        List<Integer> fizz = IntStream.rangeClosed(1, 40).map(k -> 3 * k).boxed().toList();

        HistoryResult newest = history.history("events.user.fizz", 25);
        assertThat(numbers(newest)).containsExactlyElementsOf(fizz.subList(15, 40));
        assertThat(newest.more()).isTrue();

        HistoryResult all = history.history("events.user.fizz", 100);
        assertThat(numbers(all)).containsExactlyElementsOf(fizz);
        assertThat(all.more()).isFalse();

        HistoryResult since = history.historySince("events.*.fizz", time(50), 10);
        assertThat(numbers(since)).containsExactlyElementsOf(fizz.subList(16, 26));
        assertThat(since.more()).isTrue();

        HistoryResult count = history.history("events.user.count", 90);
        assertThat(count.events()).hasSize(80);
        assertThat(count.events()).allSatisfy(e -> assertThat(e.subject()).isEqualTo("events.user.count"));
        assertThat(count.more()).isFalse();

        assertThat(history.history("events.tool.*", 10)).isEqualTo(HistoryResult.EMPTY);
    }

    @Test
    void aMissingOrEmptyArchiveDirectoryAnswersFromTheStreamAlone(@TempDir Path empty) throws Exception {
        for (Path dir : List.of(empty.resolve("missing"), empty)) {
            ArchiveHistory history = ArchiveHistory.of(bus, dir);
            assertThat(history.history("events.>", 100)).isEqualTo(bus.history("events.>", 100));
            assertThat(numbers(history.history("events.>", 100))).containsExactlyElementsOf(range(71, 120));
            assertThat(history.historySince("events.>", time(1), 10))
                    .isEqualTo(bus.historySince("events.>", time(1), 10));
        }
        assertThat(Files.exists(empty.resolve("missing"))).isFalse();
    }

    private static ArchiveHistory history() {
        return ArchiveHistory.of(bus, archive);
    }

    private static Event event(int n) {
        return Event.user("node-a", n % 3 == 0 ? "fizz" : "count", Map.of("n", n));
    }

    /** The stored time of event n. */
    private static Instant time(int n) {
        return RECORDS.get(n - 1).time();
    }

    private static List<Integer> numbers(HistoryResult result) {
        return result.events().stream().map(e -> (Integer) e.event().data().get("n")).toList();
    }

    private static List<Integer> range(int first, int last) {
        return IntStream.rangeClosed(first, last).boxed().toList();
    }

    /** Events read from the archive carry what the stream stored: id, position, subject, bytes. */
    private static void expectArchived(List<ReceivedEvent> events, int firstNumber) {
        for (int i = 0; i < events.size(); i++) {
            ArchiveRecord r = RECORDS.get(firstNumber - 1 + i);
            ReceivedEvent e = events.get(i);
            assertThat(e.position()).isEqualTo(new StreamPosition(r.stream(), r.sequence(), r.time()));
            assertThat(e.id()).isEqualTo(r.id());
            assertThat(e.subject()).isEqualTo(r.subject());
            assertThat(e.raw()).isEqualTo(r.payload());
        }
    }
}
