package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.MessageInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker as a separate process, killed, stopped and scaled out, against a private nats-server. Every
 * route writes what it processed to files; the test counts those lines against the ids whose publish the
 * stream acknowledged, and reads the server's state with plain jnats.
 */
class WorkerFaultsIT {

    private static final String STREAM = "MESH_EVENTS";
    private static final Duration DONE = Duration.ofSeconds(120);

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    /** A route writing each event id to {@code {{out.name}}} once its exchange is done. */
    private static String idRoute(String id, String filter, Map<String, String> options) {
        StringBuilder parameters = new StringBuilder();
        options.forEach((k, v) -> parameters.append("        ").append(k).append(": ").append(v).append('\n'));
        return """
                - route:
                    id: %s
                    from:
                      uri: "mesh:%s"
                      parameters:
                %s      steps:
                        - setBody:
                            simple:
                              expression: "${header.CamelMeshEventId}\\n"
                              trim: false
                        - to:
                            uri: "file:{{out.dir}}"
                            parameters:
                              fileName: "{{out.name}}"
                              fileExist: Append
                """.formatted(id, filter, parameters);
    }

    @Test
    void sigkillInTheMiddleOf10000EventsThenARestartLosesNothing() throws Exception {
        Connection nc = NATS.connect();
        WorkDir.create(dir, NATS.url(), idRoute("load", "events.load.>",
                Map.of("batchSize", "100", "maxAckPending", "200", "ackWait", "3s")), Map.of());
        WorkerProcess first = workers.startWorker("worker-1", dir, "--config",
                WorkDir.processConfig(dir, "ids-1").toString());
        List<String> acked = PlainNats.publish(nc, "load.test", 10_000);
        assertThat(acked).hasSize(10_000);

        Path ids1 = dir.resolve("out/ids-1");
        await().atMost(DONE).pollInterval(Duration.ofMillis(10)).failFast("worker-1 exited", first::exited)
                .until(() -> PlainNats.lines(ids1).size() >= 2_000);
        first.kill();
        assertThat(PlainNats.lines(ids1).size()).as("killed in the middle").isLessThan(10_000);

        WorkerProcess second = workers.startWorker("worker-2", dir, "--config",
                WorkDir.processConfig(dir, "ids-2").toString());
        List<Path> files = List.of(ids1, dir.resolve("out/ids-2"));
        await().atMost(DONE).pollInterval(Duration.ofMillis(200)).failFast("worker-2 exited", second::exited)
                .until(() ->
                PlainNats.counts(files).keySet().containsAll(acked) && PlainNats.drained(nc, STREAM, "load"));

        Map<String, Integer> counts = PlainNats.counts(files);
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(counts.keySet());
        assertThat(missing).as("lost").isEmpty();
        assertThat(counts.keySet()).as("only published ids").isEqualTo(new HashSet<>(acked));
        int duplicates = counts.values().stream().mapToInt(n -> n - 1).sum();
        System.out.println("SIGKILL after " + PlainNats.lines(ids1).size() + " of 10000 events: 0 lost, "
                + duplicates + " processed twice (in-flight window 200)");
        assertThat(duplicates).as("duplicates, at most the in-flight window").isBetween(0, 200);
        second.terminate();
        second.awaitExit(Duration.ofSeconds(60));
    }

    @Test
    void twoWorkersOnOneDurableProcessEachEventOnceInTotal() throws Exception {
        Connection nc = NATS.connect();
        WorkDir.create(dir, NATS.url(), idRoute("shared", "events.shared.>",
                Map.of("batchSize", "20", "maxAckPending", "100")), Map.of());
        WorkerProcess a = workers.track(WorkerProcess.start("worker-a", dir, Map.of(), List.of(), "run",
                "--config", WorkDir.processConfig(dir, "ids-a").toString()));
        WorkerProcess b = workers.track(WorkerProcess.start("worker-b", dir, Map.of(), List.of(), "run",
                "--config", WorkDir.processConfig(dir, "ids-b").toString()));
        a.awaitOutput(" started: ", WorkerProcess.START_TIMEOUT);
        b.awaitOutput(" started: ", WorkerProcess.START_TIMEOUT);
        List<String> acked = PlainNats.publish(nc, "shared.test", 2_000);
        assertThat(acked).hasSize(2_000);

        List<Path> files = List.of(dir.resolve("out/ids-a"), dir.resolve("out/ids-b"));
        await().atMost(DONE).pollInterval(Duration.ofMillis(200))
                .failFast("a worker exited", () -> a.exited() || b.exited()).until(() ->
                PlainNats.counts(files).keySet().containsAll(acked) && PlainNats.drained(nc, STREAM, "shared"));

        Map<String, Integer> counts = PlainNats.counts(files);
        assertThat(counts.keySet()).isEqualTo(new HashSet<>(acked));
        assertThat(counts.values()).as("each event processed once in total").containsOnly(1);
        int byA = PlainNats.lines(files.get(0)).size();
        int byB = PlainNats.lines(files.get(1)).size();
        System.out.println("two workers on one durable: " + byA + " + " + byB + " events");
        assertThat(byA + byB).isEqualTo(2_000);
        assertThat(byA).as("worker a took a share").isPositive();
        assertThat(byB).as("worker b took a share").isPositive();
    }

    @Test
    void sigtermWhileAnExchangeIsInFlightLosesAndRepeatsNothing() throws Exception {
        Connection nc = NATS.connect();
        WorkDir.create(dir, NATS.url(), """
                - route:
                    id: slow
                    from:
                      uri: "mesh:events.slow.>"
                      parameters:
                        batchSize: 10
                        maxAckPending: 10
                        ackWait: 5s
                      steps:
                        - setBody:
                            simple:
                              expression: "${header.CamelMeshEventId}\\n"
                              trim: false
                        - to:
                            uri: "file:{{out.dir}}"
                            parameters:
                              fileName: "started-{{out.name}}"
                              fileExist: Append
                        - delay:
                            constant: 1500
                        - to:
                            uri: "file:{{out.dir}}"
                            parameters:
                              fileName: "{{out.name}}"
                              fileExist: Append
                """, Map.of("mesh.shutdown.timeout", "20s"));
        WorkerProcess first = workers.startWorker("worker-1", dir, "--config",
                WorkDir.processConfig(dir, "run-1").toString());
        List<String> acked = PlainNats.publish(nc, "slow.test", 6);
        assertThat(acked).hasSize(6);

        Path started1 = dir.resolve("out/started-run-1");
        Path done1 = dir.resolve("out/run-1");
        await().atMost(DONE).pollInterval(Duration.ofMillis(10)).failFast("worker-1 exited", first::exited)
                .until(() -> PlainNats.lines(started1).size() > PlainNats.lines(done1).size());
        List<String> inFlight = PlainNats.lines(started1);
        inFlight = inFlight.subList(PlainNats.lines(done1).size(), inFlight.size());
        long stopAt = System.nanoTime();
        first.terminate();
        first.awaitExit(Duration.ofSeconds(40));
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopAt);
        assertThat(stopTook).as("stopped within mesh.shutdown.timeout").isLessThan(Duration.ofSeconds(20));
        assertThat(PlainNats.lines(done1)).as("the exchange in flight at SIGTERM finished")
                .containsAll(inFlight);
        assertThat(first.output()).doesNotContain("Forced shutdown");

        WorkerProcess second = workers.startWorker("worker-2", dir, "--config",
                WorkDir.processConfig(dir, "run-2").toString());
        List<Path> done = List.of(done1, dir.resolve("out/run-2"));
        await().atMost(DONE).pollInterval(Duration.ofMillis(200)).failFast("worker-2 exited", second::exited)
                .until(() ->
                PlainNats.counts(done).keySet().containsAll(acked) && PlainNats.drained(nc, STREAM, "slow"));

        Map<String, Integer> counts = PlainNats.counts(done);
        assertThat(counts.keySet()).isEqualTo(new HashSet<>(acked));
        assertThat(counts.values()).as("no duplicates after a clean stop").containsOnly(1);
        Map<String, Integer> starts = PlainNats.counts(List.of(started1, dir.resolve("out/started-run-2")));
        assertThat(starts.values()).as("no event processed twice").containsOnly(1);
        second.terminate();
        second.awaitExit(Duration.ofSeconds(40));
    }

    @Test
    void killedDuringItsLastAttemptAMessageIsDeadLetteredAfterTheRestartWithoutAThirdRun() throws Exception {
        Connection nc = NATS.connect();
        WorkDir.create(dir, NATS.url(), """
                - route:
                    id: poison
                    from:
                      uri: "mesh:events.poison.>"
                      parameters:
                        maxDeliver: 2
                        backoff: 100ms
                        ackWait: 2s
                      steps:
                        - setBody:
                            simple:
                              expression: "${header.CamelMeshEventId} ${header.CamelMeshDeliveries} ${header.CamelMeshSequence}\\n"
                              trim: false
                        - to:
                            uri: "file:{{out.dir}}"
                            parameters:
                              fileName: attempts
                              fileExist: Append
                        - filter:
                            simple: "${header.CamelMeshDeliveries} >= 2"
                            steps:
                              - delay:
                                  constant: 600000
                        - throwException:
                            exceptionType: java.lang.IllegalStateException
                            message: always fails
                """, Map.of());
        WorkerProcess first = workers.startWorker("worker-1", dir);
        String id = PlainNats.publish(nc, "poison.test", 1).get(0);

        Path attempts = dir.resolve("out/attempts");
        await().atMost(DONE).pollInterval(Duration.ofMillis(20)).failFast("worker-1 exited", first::exited)
                .until(() -> PlainNats.lines(attempts).stream().anyMatch(l -> l.startsWith(id + " 2 ")));
        first.kill();
        long seq = nc.jetStreamManagement().getLastMessage(STREAM, "events.poison.test").getSeq();
        assertThat(PlainNats.lines(attempts)).containsExactly(id + " 1 " + seq, id + " 2 " + seq);

        WorkerProcess second = workers.startWorker("worker-2", dir);
        MessageInfo dead = await().atMost(DONE).pollInterval(Duration.ofMillis(200))
                .failFast("worker-2 exited", second::exited).until(() -> deadLetter(nc, "mesh.dlq.poison"), m -> m != null);
        await().atMost(DONE).until(() -> PlainNats.drained(nc, STREAM, "poison"));

        assertThat(dead.getHeaders().getFirst("Mesh-Route")).isEqualTo("poison");
        assertThat(dead.getHeaders().getFirst("Mesh-Original-Subject")).isEqualTo("events.poison.test");
        // deliveries: 1 failed, 2 killed, then the dead-lettering one. nats-server 2.9 may first hand one
        // delivery to the killed worker's pull request still waiting on the server, which nobody receives.
        List<String> deliveries = NATS.server().versionAtLeast(2, 10, 0) ? List.of("3") : List.of("3", "4");
        assertThat(dead.getHeaders().getFirst("Mesh-Deliveries")).isIn(deliveries);
        assertThat(nc.jetStreamManagement().getStreamInfo("MESH_DLQ").getStreamState().getMsgCount())
                .isEqualTo(1);
        List<String> runs = PlainNats.lines(attempts);
        if (NATS.server().versionAtLeast(2, 10, 0)) {
            assertThat(runs).as("no third processing").containsExactly(id + " 1 " + seq, id + " 2 " + seq);
        } else {
            // nats-server 2.9 may hand the message out once more with its delivery count reset to 1 after the
            // worker holding it died (reproduced with plain jnats): then exactly one extra run, never more
            assertThat(runs).as("at most one extra run on 2.9").isIn(
                    List.of(id + " 1 " + seq, id + " 2 " + seq),
                    List.of(id + " 1 " + seq, id + " 2 " + seq, id + " 1 " + seq));
        }
        second.terminate();
        second.awaitExit(Duration.ofSeconds(40));
    }

    private static MessageInfo deadLetter(Connection nc, String subject) throws Exception {
        return PlainNats.lastMessage(nc, "MESH_DLQ", subject);
    }
}
