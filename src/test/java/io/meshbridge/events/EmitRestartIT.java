package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Emits while the server is killed and restarted: every acknowledged event is stored, and retried emits
 * (same id) are stored once. Counted with plain jnats reads of the stream.
 */
class EmitRestartIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final int EVENTS = 2_000;

    private Connection connection;
    private JetStreamManagement jsm;
    private PersistConfig config;

    @BeforeEach
    void setUp() throws Exception {
        connection = NATS.connect();
        jsm = connection.jetStreamManagement();
        config = PersistConfig.defaults().withStreamName(NATS.uniqueName("RESTART"))
                .withLimits(Duration.ofHours(1), 0).withEmit(Duration.ofSeconds(60), 200);
    }

    @AfterEach
    void tearDown() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> connection.getStatus() == Connection.Status.CONNECTED);
        jsm.deleteStream(config.streamName());
    }

    @Test
    void synchronousEmitsAcrossAKillAndRestartAreAllStoredOnce() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread emitter = new Thread(() -> {
            try {
                for (int i = 0; i < EVENTS; i++) {
                    acked.add(pbus.emit(Event.user("n", "restart", Map.of("i", i))).id());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        emitter.start();
        await().until(() -> acked.size() >= 300 || failure.get() != null);
        NATS.server().kill();
        NATS.server().restart();
        await().until(() -> acked.size() >= 1_000 || failure.get() != null);
        NATS.server().stop();
        NATS.server().restart();
        emitter.join(Duration.ofSeconds(120).toMillis());
        assertThat(failure.get()).isNull();
        assertThat(acked).hasSize(EVENTS);

        Map<String, Integer> stored = storedIds();
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(acked);
        assertThat(stored.values()).allMatch(count -> count == 1);
    }

    @Test
    void asyncEmitFailuresAreReportedAndTheirRetriesStoredOnce() throws Exception {
        PersistentBus pbus = PersistentBus.open(connection, "n", config);
        Map<String, Event> sent = new LinkedHashMap<>();
        Map<String, CompletableFuture<EmitResult>> futures = new LinkedHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        for (int i = 0; i < EVENTS; i++) {
            if (i == 500) {
                await().until(() -> completed.get() == 500);
                NATS.server().kill();
            }
            if (i == 700) {
                NATS.server().restart();
            }
            Event e = Event.user("n", "async", Map.of("i", i));
            String id = pbus.bus().newId();
            CompletableFuture<EmitResult> f = pbus.emitAsync(e, id);
            f.whenComplete((r, t) -> completed.incrementAndGet());
            futures.put(id, f);
            sent.put(id, e);
        }
        pbus.awaitInFlight(Duration.ofSeconds(90));
        int retried = 0;
        for (Map.Entry<String, CompletableFuture<EmitResult>> entry : futures.entrySet()) {
            if (entry.getValue().isCompletedExceptionally()) {
                retried++;
                assertThat(pbus.emit(sent.get(entry.getKey()), entry.getKey()).id()).isEqualTo(entry.getKey());
            }
        }
        System.out.println("asynchronous emits failed during the outage and retried: " + retried);
        Map<String, Integer> stored = storedIds();
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(futures.keySet());
        assertThat(stored.values()).allMatch(count -> count == 1);
    }

    private Map<String, Integer> storedIds() throws Exception {
        StreamState state = jsm.getStreamInfo(config.streamName()).getStreamState();
        Map<String, Integer> ids = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (long seq = state.getFirstSequence(); seq <= state.getLastSequence(); seq++) {
            try {
                MessageInfo m = jsm.getMessage(config.streamName(), seq);
                ids.merge(m.getHeaders().getFirst("Nats-Msg-Id"), 1, Integer::sum);
            } catch (JetStreamApiException e) {
                missing.add(seq);
            }
        }
        assertThat(missing).isEmpty();
        return ids;
    }
}
