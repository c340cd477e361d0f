package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.events.Event;
import io.meshbridge.events.EventCodec;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code events watch} run as the packaged jar: live events on stdout, surviving a restart of the server,
 * ending with exit code 0 on SIGTERM.
 */
class EventsWatchIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void printsLiveEventsAcrossAServerRestartAndExitsCleanlyOnSigterm() throws Exception {
        try (CliProcess watch = CliProcess.start("events", "watch", "--json", "--server", NATS.url())) {
            await("watch subscribed").atMost(WAIT).until(() -> watch.stderr().contains("watching events.>"));
            Connection nc = NATS.connect();

            for (int i = 0; i < 3; i++) {
                publish(nc, "before-" + i);
            }
            await("events before the restart").atMost(WAIT).untilAsserted(() -> assertThat(watch.stdout())
                    .contains("\"before-0\"", "\"before-1\"", "\"before-2\""));
            nc.publish("events.tool.crashed", "not json".getBytes(StandardCharsets.UTF_8));
            await("undecodable reported").atMost(WAIT).untilAsserted(() -> assertThat(watch.stderr())
                    .contains("undecodable message: subject events.tool.crashed: "));

            NATS.server().restart();
            // core NATS keeps nothing: probe until the restored subscription delivers again
            AtomicInteger probes = new AtomicInteger();
            await("subscription restored").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                publish(nc, "probe-" + probes.incrementAndGet());
                return watch.stdout().contains("\"probe-");
            });
            for (int i = 0; i < 3; i++) {
                publish(nc, "after-" + i);
            }
            await("events after the restart").atMost(WAIT).untilAsserted(() -> assertThat(watch.stdout())
                    .contains("\"after-0\"", "\"after-1\"", "\"after-2\""));

            for (String line : CliProcess.lines(watch.stdout())) {
                Event event = EventCodec.defaults().decode("events.tool.started",
                        line.getBytes(StandardCharsets.UTF_8)).event();
                assertThat(event.type()).isEqualTo("tool.started");
            }

            watch.process().destroy();
            CliProcess.Result end = watch.await(WAIT);
            assertThat(end.exitCode()).as(end.toString()).isZero();
        }
    }

    private static void publish(Connection nc, String tool) {
        Event event = new Event("tool.started", "watch-it", Instant.now(), Map.of("tool", tool));
        nc.publish(event.subject(), EventCodec.defaults().encode(event));
    }
}
