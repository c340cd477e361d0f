package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream's setup, acknowledged emits and the reference's history behaviours. */
class PersistentBusIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private Connection connection;
    private JetStreamManagement jsm;
    private PersistConfig config;

    @BeforeEach
    void setUp() throws Exception {
        connection = NATS.connect();
        jsm = connection.jetStreamManagement();
        config = PersistConfig.defaults().withStreamName(NATS.uniqueName("EV"));
    }

    @AfterEach
    void deleteStreams() throws Exception {
        for (String name : jsm.getStreamNames()) {
            jsm.deleteStream(name);
        }
    }

    @Test
    void createsTheStreamWhenMissingWithTheReferenceDefaults() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        assertThat(pbus.streamSetup().created()).isTrue();
        StreamConfiguration sc = jsm.getStreamInfo(config.streamName()).getConfiguration();
        assertThat(sc.getSubjects()).containsExactly("events.>");
        assertThat(sc.getMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(sc.getMaxMsgs()).isEqualTo(10_000);
        assertThat(sc.getStorageType()).isEqualTo(StorageType.File);
        assertThat(sc.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void usesAnExistingStreamAsTheOperatorConfiguredItAndReportsDifferences() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name(config.streamName()).subjects("events.>")
                .maxMessages(500).maxAge(Duration.ofHours(1)).duplicateWindow(Duration.ofMinutes(2)).build());
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        assertThat(pbus.streamSetup().created()).isFalse();
        assertThat(pbus.streamSetup().updated()).isFalse();
        assertThat(pbus.streamSetup().differences()).hasSize(2)
                .anySatisfy(d -> assertThat(d).startsWith("maxAge"))
                .anySatisfy(d -> assertThat(d).startsWith("maxMsgs"));
        assertThat(jsm.getStreamInfo(config.streamName()).getConfiguration().getMaxMsgs()).isEqualTo(500);

        PersistentBus.open(connection, "n", config.withUpdateExisting(true));
        assertThat(jsm.getStreamInfo(config.streamName()).getConfiguration().getMaxMsgs()).isEqualTo(10_000);
    }

    @Test
    void aStreamOfThatNameWithOtherSubjectsIsAClearError() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name(config.streamName()).subjects("orders.>").build());
        assertThatThrownBy(() -> PersistentBus.open(connection, "n", config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(config.streamName())
                .hasMessageContaining("[orders.>]")
                .hasMessageContaining("events.>");
    }

    @Test
    void anotherStreamCapturingTheSubjectsIsAClearError() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("OTHER").subjects("events.>").build());
        assertThatThrownBy(() -> PersistentBus.open(connection, "n", config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already captured by another stream");
    }

    @Test
    void attachNeverCreatesTheStream() throws Exception {
        assertThatThrownBy(() -> PersistentBus.attach(connection, "n", config))
                .isInstanceOf(io.nats.client.JetStreamApiException.class);
        assertThat(jsm.getStreamNames()).isEmpty();
    }

    @Test
    void emitWaitsForTheAcknowledgementAndARetriedIdIsStoredOnce() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        EmitResult first = pbus.emit(Event.toolStarted("", "calc"), "fixed-id-1");
        EmitResult again = pbus.emit(Event.toolStarted("", "calc"), "fixed-id-1");
        EmitResult other = pbus.emit(Event.toolStarted("", "calc"));
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.duplicate()).isFalse();
        assertThat(again.sequence()).isEqualTo(1);
        assertThat(again.duplicate()).isTrue();
        assertThat(other.sequence()).isEqualTo(2);
        assertThat(jsm.getStreamInfo(config.streamName()).getStreamState().getMsgCount()).isEqualTo(2);
        assertThat(jsm.getMessage(config.streamName(), 1).getHeaders().getFirst("Nats-Msg-Id"))
                .isEqualTo("fixed-id-1");
    }

    @Test
    void asyncEmitAcknowledgesEveryEventWithinItsWindow() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n",
                config.withLimits(Duration.ofHours(1), 0).withEmit(Duration.ofSeconds(30), 64));
        List<CompletableFuture<EmitResult>> futures = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            futures.add(pbus.emitAsync(Event.user("n", "bulk", Map.of("i", i))));
        }
        pbus.awaitInFlight(Duration.ofSeconds(30));
        Set<Long> sequences = new HashSet<>();
        for (CompletableFuture<EmitResult> f : futures) {
            sequences.add(f.join().sequence());
        }
        assertThat(sequences).hasSize(5_000);
        assertThat(jsm.getStreamInfo(config.streamName()).getStreamState().getMsgCount()).isEqualTo(5_000);
    }

    @Test
    void asyncEmitReportsAFailure() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        jsm.deleteStream(config.streamName());
        CompletableFuture<EmitResult> f = pbus.emitAsync(Event.user("n", "lost", null));
        assertThatThrownBy(f::join).hasCauseInstanceOf(Exception.class);
    }

    @Test
    void historyOfAllReturnsEveryEmittedEventInOrder() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        List<Event> emitted = List.of(Event.toolInstalled("a", "t", "1"), Event.nodeJoined("a", null),
                Event.toolCrashed("a", "t", "x", 1), Event.nodeLeft("a", "bye"), Event.user("a", "u.v", null));
        for (Event e : emitted) {
            pbus.emit(e);
        }
        HistoryResult all = pbus.history("events.>", 50);
        assertThat(all.events()).extracting(r -> r.event().type())
                .containsExactly("tool.installed", "node.joined", "tool.crashed", "node.left", "user.u.v");
        assertThat(all.events()).extracting(r -> r.position().sequence()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(all.more()).isFalse();
        assertThat(pbus.history("events.tool.*", 50).events()).extracting(r -> r.event().type())
                .containsExactly("tool.installed", "tool.crashed");
        assertThat(pbus.history("events.node.*", 50).events()).extracting(r -> r.event().type())
                .containsExactly("node.joined", "node.left");
    }

    @Test
    void historyReturnsTheMostRecentEventsNotTheOldest() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        for (int i = 0; i < 30; i++) {
            pbus.emit(Event.user("n", "count", Map.of("i", i)));
        }
        HistoryResult last = pbus.history("events.user.count", 3);
        assertThat(last.events()).extracting(r -> r.event().data().get("i")).containsExactly(27, 28, 29);
        assertThat(last.more()).isTrue();
    }

    @Test
    void historySinceReturnsOnlyEventsAfterTheCutOff() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        pbus.emit(Event.toolStarted("n", "before"));
        Instant storedBefore = jsm.getMessage(config.streamName(), 1).getTime().toInstant();
        Instant cut = storedBefore.plusNanos(1);
        // the cut-off is strictly after the first stored time; wait until the clock has passed it
        org.awaitility.Awaitility.await().until(() -> Instant.now().isAfter(cut));
        pbus.emit(Event.toolStarted("n", "after1"));
        pbus.emit(Event.toolStarted("n", "after2"));
        HistoryResult since = pbus.historySince("events.>", cut, 10);
        assertThat(since.events()).extracting(r -> r.event().data().get("tool")).containsExactly("after1", "after2");
        HistoryResult firstOnly = pbus.historySince("events.>", cut, 1);
        assertThat(firstOnly.events()).extracting(r -> r.event().data().get("tool")).containsExactly("after1");
        assertThat(firstOnly.more()).isTrue();
    }

    @Test
    void historyReportsUndecodableStoredMessagesAndForeignProducersGetDerivedIds() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        connection.publish("events.tool.crashed", "not json".getBytes());
        connection.publish("events.node.joined", "{\"node\":\"node-a\",\"event\":\"reconnect\"}".getBytes());
        pbus.emit(Event.toolStarted("n", "x"));
        HistoryResult all = pbus.history("events.>", 10);
        assertThat(all.undecodable()).hasSize(1);
        assertThat(all.undecodable().get(0).position().sequence()).isEqualTo(1);
        assertThat(all.undecodable().get(0).getMessage()).startsWith("sequence 1, subject events.tool.crashed:");
        assertThat(all.events()).hasSize(2);
        ReceivedEvent reconnect = all.events().get(0);
        assertThat(reconnect.typeInferred()).isTrue();
        assertThat(reconnect.event().type()).isEqualTo("node.joined");
        assertThat(reconnect.id()).isEqualTo(config.streamName() + ":2");
        assertThat(all.events().get(1).id()).hasSize(22);
    }

    @Test
    void historyOnAnEmptyStreamAndANoMatchFilterIsEmpty() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        assertThat(pbus.history("events.>", 10)).isEqualTo(HistoryResult.EMPTY);
        pbus.emit(Event.toolStarted("n", "x"));
        HistoryResult none = pbus.history("events.user.none", 10);
        assertThat(none.events()).isEmpty();
        assertThat(none.undecodable()).isEmpty();
        // the short-lived history consumers are deleted after each query
        org.awaitility.Awaitility.await().until(
                () -> jsm.getStreamInfo(config.streamName()).getStreamState().getConsumerCount() == 0);
    }
}
