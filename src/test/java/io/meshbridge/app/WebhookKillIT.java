package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.meshbridge.webhook.WebhookReceiver;
import io.meshbridge.webhook.WebhookReceiver.Reply;
import io.meshbridge.webhook.WebhookReceiver.Request;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code mesh-webhook} template in the worker process, killed with SIGKILL once while it posts
 * 10,000 stored events to a real HTTP receiver in this JVM that answers 500 to a random 20% of the requests
 * and checks every signature with its own HMAC code. The signing secret reaches the route only through the
 * worker's environment ({@code {{env:HOOK_SECRET}}}), so a valid signature proves that the placeholder
 * resolved; the secret must never appear in either worker's log.
 *
 * <p><b>The bound on duplicates.</b> A duplicate is an id answered 2xx more than once. Within one worker's
 * life an event is answered 2xx at most once: it is acknowledged after its 2xx, a 500 makes it a negative
 * acknowledgement (redelivered later, not a success), and while an attempt runs the consumer keeps it from
 * redelivery. So a duplicate needs an event whose 2xx the first worker received (or was about to receive) but
 * whose acknowledgement never reached the server: one that was fetched and still unacknowledged at the kill.
 * The server holds at most {@code maxAckPending} (200 here) such events for the durable, and reading the
 * durable's ack-pending count right after the kill gives the precise set size (a superset: it also counts
 * events fetched and not yet posted, and acknowledgements still on their way). Hence: extra 2xx answers
 * &le; ack pending after the kill &le; 200, and no id is answered 2xx more than twice (one kill, one
 * redelivery each).
 */
class WebhookKillIT {

    private static final String STREAM = "MESH_EVENTS";
    private static final String ROUTE = "hook-kill";
    private static final int EVENTS = 10_000;
    private static final int MAX_ACK_PENDING = 200;
    private static final Duration DONE = Duration.ofSeconds(240);

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    private WebhookReceiver receiver;

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aSigkillMidRunLeavesEveryEventDeliveredWithDuplicatesBoundedByTheAckPendingWindow() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String keyBase64 = Base64.getEncoder().encodeToString(key);
        String secret = "whsec_" + keyBase64;
        receiver = new WebhookReceiver(key);
        receiver.respond(r -> ThreadLocalRandom.current().nextInt(5) == 0 ? Reply.of(500) : Reply.of(200));

        Connection nc = NATS.connect();
        // the stream as the worker would create it, so that every event is stored before the first worker starts
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(STREAM).subjects("events.>")
                .storageType(StorageType.File).maxAge(Duration.ofHours(24)).duplicateWindow(Duration.ofMinutes(2))
                .build());
        List<String> published = PlainNats.publish(nc, "webhook.load", EVENTS);
        assertThat(published).hasSize(EVENTS);
        WorkDir.create(dir, NATS.url(), route(receiver.url("/hooks/kill")),
                Map.of("camel.component.mesh.configuration.ack-wait", "5s"));
        Map<String, String> env = Map.of("HOOK_SECRET", secret);

        long t0 = System.nanoTime();
        WorkerProcess first = start("hook-0", env);
        await().atMost(DONE).pollInterval(Duration.ofMillis(5)).failFast("worker exited", first::exited)
                .until(() -> receiver.successes().size() >= EVENTS / 3);
        first.kill();
        int deliveredAtKill = receiver.successes().size();
        ConsumerInfo atKill = PlainNats.consumer(nc, STREAM, ROUTE);
        long ackPendingAtKill = atKill.getNumAckPending();
        System.out.printf("webhook kill test: SIGKILL at %.1f s with %,d ids answered 2xx, ack floor %,d, ack"
                        + " pending %d, ack wait %s%n", (System.nanoTime() - t0) / 1e9, deliveredAtKill,
                atKill.getAckFloor().getStreamSequence(), ackPendingAtKill, atKill.getConsumerConfiguration()
                        .getAckWait());
        assertThat(deliveredAtKill).as("ids answered 2xx at the kill: mid-run").isBetween(EVENTS / 3, EVENTS - 1);
        assertThat(ackPendingAtKill).as("ack pending at the kill").isBetween(0L, (long) MAX_ACK_PENDING);

        WorkerProcess second = start("hook-1", env);
        await().atMost(DONE).pollInterval(Duration.ofMillis(200)).failFast("worker exited", second::exited)
                .until(() -> PlainNats.drained(nc, STREAM, ROUTE)
                        && PlainNats.consumer(nc, STREAM, ROUTE).getAckFloor().getStreamSequence() == EVENTS);
        System.out.printf("webhook kill test: drained at %.1f s%n", (System.nanoTime() - t0) / 1e9);
        second.terminate();
        assertThat(second.awaitExit(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);

        List<Request> requests = receiver.requests();
        Map<String, Integer> successes = receiver.successes();
        long duplicateIds = successes.values().stream().filter(c -> c > 1).count();
        long extraSuccesses = successes.values().stream().mapToLong(c -> c - 1).sum();
        System.out.printf("webhook kill test: %,d requests, %,d ids answered 2xx, %d ids answered 2xx more than"
                        + " once (%d extra 2xx answers; bound: ack pending at the kill, %d, at most %d)%n",
                requests.size(), successes.size(), duplicateIds, extraSuccesses, ackPendingAtKill, MAX_ACK_PENDING);

        assertThat(successes.keySet()).as("ids answered 2xx, deduplicated").hasSize(EVENTS)
                .isEqualTo(new HashSet<>(published));
        Set<String> posted = requests.stream().map(Request::id).collect(Collectors.toSet());
        assertThat(posted).as("ids posted").isEqualTo(new HashSet<>(published));
        assertThat(requests).as("signatures").allMatch(Request::signatureValid);
        assertThat(requests).extracting(Request::path).containsOnly("/hooks/kill");
        assertThat(successes.values()).as("2xx answers per id").allMatch(c -> c == 1 || c == 2);
        assertThat(extraSuccesses).as("duplicate 2xx answers").isLessThanOrEqualTo(ackPendingAtKill);
        assertThat(nc.jetStreamManagement().getStreamInfo("MESH_DLQ").getStreamState().getMsgCount())
                .as("dead letters").isZero();
        for (WorkerProcess w : List.of(first, second)) {
            assertThat(w.output()).as("log of " + w.name()).contains("started: ")
                    .doesNotContain(secret).doesNotContain(keyBase64);
        }
    }

    private WorkerProcess start(String name, Map<String, String> env) throws Exception {
        WorkerProcess w = workers.track(WorkerProcess.start(name, dir, env, List.of(), "run"));
        w.awaitOutput("mesh-bridge worker ", WorkerProcess.START_TIMEOUT);
        w.awaitOutput(" started: ", WorkerProcess.START_TIMEOUT);
        return w;
    }

    /** One mesh-webhook route from the start of the stream, retrying every 200 ms, the secret from the environment. */
    private static String route(String url) {
        return """
                - templatedRoute:
                    routeTemplateRef: mesh-webhook
                    routeId: %s
                    parameters:
                      - name: filter
                        value: events.webhook.load
                      - name: url
                        value: "%s"
                      - name: secret
                        value: "{{env:HOOK_SECRET}}"
                      - name: deliverPolicy
                        value: all
                      - name: retrySchedule
                        value: 200ms
                      - name: maxAttempts
                        value: "30"
                      - name: maxAckPending
                        value: "%d"
                """.formatted(ROUTE, url, MAX_ACK_PENDING);
    }
}
