package io.meshbridge.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.events.Event;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.StreamPosition;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * History across a stream deleted and created again: the archive holds the older incarnation, the stream the
 * current one; once the stream is gone the archive answers alone. Only one stream at a time can take
 * {@code events.>}, so each incarnation (and the foreign stream) exists in turn.
 */
class ArchiveHistoryIncarnationsIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @TempDir
    Path dir;

    private Connection connection;
    private JetStreamManagement jsm;

    @BeforeEach
    void connect() throws Exception {
        connection = NATS.connect();
        jsm = connection.jetStreamManagement();
    }

    @AfterEach
    void deleteStreams() throws Exception {
        for (String name : jsm.getStreamNames()) {
            jsm.deleteStream(name);
        }
    }

    @Test
    void aRecreatedStreamIsAnsweredInTimeOrderWithTheOlderIncarnationFromTheArchive() throws Exception {
        // another stream's events, archived to the same directory, never belong to the answer
        PersistConfig foreignConfig = PersistConfig.defaults().withStreamName(NATS.uniqueName("FOREIGN"));
        PersistentBus foreign = PersistentBus.open(connection, "node-b", foreignConfig);
        List<ArchiveRecord> archived = new ArrayList<>();
        for (int n = 101; n <= 103; n++) {
            archived.add(StreamRecords.emit(foreign, event(n)));
        }
        jsm.deleteStream(foreignConfig.streamName());

        PersistConfig config = PersistConfig.defaults().withStreamName(NATS.uniqueName("AGAIN"));
        PersistentBus old = PersistentBus.open(connection, "node-a", config);
        List<ArchiveRecord> records = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            records.add(StreamRecords.emit(old, event(n)));
        }
        byte[] notAnEvent = "{\"type\":\"Not A Type\"}".getBytes(StandardCharsets.UTF_8);
        records.add(StreamRecords.publishRaw(connection, "events.user.count", notAnEvent));
        for (int n = 5; n <= 9; n++) {
            records.add(StreamRecords.emit(old, event(n)));
        }
        jsm.deleteStream(config.streamName());
        PersistentBus current = PersistentBus.open(connection, "node-a", config);
        for (int n = 10; n <= 14; n++) {
            records.add(StreamRecords.emit(current, event(n)));
        }
        records.add(StreamRecords.publishRaw(connection, "events.user.count", notAnEvent));
        assertThat(records.get(9).streamCreated()).isBefore(records.get(10).streamCreated());
        // both incarnations archived, the current one's events still in the stream as well
        archived.addAll(records);
        StreamRecords.archive(dir, archived);
        ArchiveHistory history = ArchiveHistory.of(current, dir);

        HistoryResult all = history.history("events.>", 100);
        assertThat(numbers(all)).containsExactlyElementsOf(range(1, 14));
        assertThat(all.events()).extracting(e -> e.position().sequence())
                .containsExactly(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L, 1L, 2L, 3L, 4L, 5L);
        assertThat(all.events().subList(9, 14)).containsExactlyElementsOf(current.history("events.>", 5).events());
        // one from the archive (older incarnation), one from the stream
        assertThat(all.undecodable()).extracting(EventDecodeException::position).containsExactly(
                new StreamPosition(config.streamName(), 5, records.get(4).time()),
                new StreamPosition(config.streamName(), 6, records.get(15).time()));
        assertThat(all.undecodable()).extracting(EventDecodeException::raw).containsExactly(notAnEvent, notAnEvent);
        assertThat(all.more()).isFalse();

        HistoryResult three = history.history("events.>", 3);
        assertThat(numbers(three)).containsExactly(12, 13, 14);
        assertThat(three.undecodable()).extracting(e -> e.position().sequence()).containsExactly(6L);
        HistoryResult seven = history.history("events.>", 7);
        assertThat(numbers(seven)).containsExactlyElementsOf(range(8, 14));
        assertThat(seven.undecodable()).extracting(e -> e.position().sequence()).containsExactly(6L);
        assertThat(seven.more()).isTrue();

        HistoryResult aroundTheBadOne = history.historySince("events.>", records.get(3).time(), 3);
        assertThat(numbers(aroundTheBadOne)).containsExactly(4, 5, 6);
        assertThat(aroundTheBadOne.undecodable()).hasSize(1);
        assertThat(aroundTheBadOne.more()).isTrue();
        HistoryResult acrossIncarnations = history.historySince("events.>", records.get(8).time(), 4);
        assertThat(numbers(acrossIncarnations)).containsExactly(8, 9, 10, 11);
        assertThat(acrossIncarnations.more()).isTrue();

        // once the stream is gone, the archive answers alone, every incarnation
        jsm.deleteStream(config.streamName());
        for (ArchiveHistory gone : List.of(history, ArchiveHistory.of(connection, config.streamName(), dir))) {
            HistoryResult archivedOnly = gone.history("events.>", 100);
            assertThat(numbers(archivedOnly)).containsExactlyElementsOf(range(1, 14));
            assertThat(archivedOnly.undecodable()).hasSize(2);
            assertThat(archivedOnly.more()).isFalse();
            HistoryResult since = gone.historySince("events.>", records.get(8).time(), 4);
            assertThat(numbers(since)).containsExactly(8, 9, 10, 11);
            assertThat(since.more()).isTrue();
        }
    }

    @Test
    void aStreamThatNeverExistedWithoutAnArchiveIsEmpty() throws Exception {
        ArchiveHistory history = ArchiveHistory.of(connection, NATS.uniqueName("NONE"), dir.resolve("missing"));

        assertThat(history.history("events.>", 10)).isEqualTo(HistoryResult.EMPTY);
        assertThat(history.historySince("events.>", Instant.EPOCH, 10)).isEqualTo(HistoryResult.EMPTY);
    }

    private static Event event(int n) {
        return Event.user("node-a", "count", Map.of("n", n));
    }

    private static List<Integer> numbers(HistoryResult result) {
        return result.events().stream().map(e -> (Integer) e.event().data().get("n")).toList();
    }

    private static List<Integer> range(int first, int last) {
        return IntStream.rangeClosed(first, last).boxed().toList();
    }
}
