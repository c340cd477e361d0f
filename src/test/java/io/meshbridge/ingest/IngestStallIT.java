package io.meshbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A nats-server that stops answering while the connection still counts as up (the process paused with
 * SIGSTOP): requests are answered 503 with Retry-After after the acknowledgement timeout, never 2xx, and a
 * request that already waited out its budget for a thread is refused without emitting. Resumed, the server
 * acknowledges again.
 */
class IngestStallIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @AfterEach
    void resume() {
        NATS.server().resume();
    }

    private static IngestRequest post(String topic, String key) {
        return new IngestRequest("POST", topic, h -> h.equals("Idempotency-Key") ? key : null,
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aServerThatDoesNotAcknowledgeIsAnswered503WithinTheBudgetAndNeverStoredTwice() throws Exception {
        Connection nc = NATS.connect();
        PersistentBus bus = PersistentBus.open(nc, "w", PersistConfig.defaults().withEmit(Duration.ofSeconds(1), 64));
        IngestConfig config = IngestConfig.defaults(IngestConfig.Auth.NONE, IngestTokens.of(List.of()))
                .withAck(Duration.ofMillis(500), 16);
        IngestService service = new IngestService(config, bus);
        IngestProcessor processor = new IngestProcessor(service);
        assertThat(processor.answer(post("stall", "before"), 0).status()).isEqualTo(202);

        IngestResponse late = processor.answer(post("stall", "late"), 1_501);
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.json()).contains("waited 1501 ms for a thread; nothing was emitted");
        assertThat(late.retryAfter()).isEqualTo(2);

        NATS.server().pause();
        assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        IngestResponse stalled = processor.answer(post("stall", "during"), 0);
        assertThat(stalled.status()).isEqualTo(503);
        assertThat(stalled.json()).contains("the stream did not acknowledge within 500 ms");
        assertThat(stalled.retryAfter()).isEqualTo(2);
        // jnats gives up on the unanswered publish after its request timeout: the window is free again even
        // though the server never answered
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> service.inFlight() == 0);
        NATS.server().resume();

        IngestResponse retried = processor.answer(post("stall", "during"), 0);
        assertThat(retried.status()).as(retried.json()).isEqualTo(202);
        var stored = bus.history("events.user.stall", 100).events();
        assertThat(stored).extracting(e -> e.id()).containsExactly("ingest:stall:before", "ingest:stall:during");
    }
}
