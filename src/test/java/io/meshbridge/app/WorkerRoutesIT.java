package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** YAML routes and the jar's route templates run by one worker process. */
@Workers.SharedWorkers
class WorkerRoutesIT {

    private static final String STREAM = "MESH_EVENTS";
    private static final Duration DONE = Duration.ofSeconds(60);

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    static final Workers WORKERS = new Workers();

    @TempDir
    static Path dir;

    static WorkerProcess worker;
    static Connection nc;

    @BeforeAll
    static void startWorker() throws Exception {
        nc = NATS.connect();
        WorkDir.create(dir, NATS.url(), """
                - route:
                    id: flaky
                    from:
                      uri: "mesh:events.flaky.>"
                      parameters:
                        maxDeliver: 5
                        backoff: 100ms
                      steps:
                        - setBody:
                            simple:
                              expression: "${header.CamelMeshEventId} ${header.CamelMeshDeliveries}\\n"
                              trim: false
                        - to:
                            uri: "file:{{out.dir}}"
                            parameters:
                              fileName: attempts
                              fileExist: Append
                        - filter:
                            simple: "${header.CamelMeshDeliveries} < 3"
                            steps:
                              - throwException:
                                  exceptionType: java.lang.IllegalStateException
                                  message: not yet
                - templatedRoute:
                    routeTemplateRef: mesh-log
                    routeId: tpl-log
                    parameters:
                      - name: filter
                        value: "events.tpl.*.>"
                      - name: durable
                        value: tpl-durable
                """, Map.of());
        worker = WORKERS.startWorker("worker", dir);
    }

    @Test
    void aRouteFailingTwiceThenSucceedingProcessesTheEventThreeTimesAndAcknowledgesItOnce() throws Exception {
        String id = PlainNats.publish(nc, "flaky.test", 1).get(0);
        Path attempts = dir.resolve("out/attempts");
        await().atMost(DONE).failFast("the worker exited", worker::exited).until(() -> PlainNats.lines(attempts).size() == 3 && PlainNats.drained(nc, STREAM, "flaky"));

        assertThat(PlainNats.lines(attempts)).containsExactly(id + " 1", id + " 2", id + " 3");
        ConsumerInfo info = PlainNats.consumer(nc, STREAM, "flaky");
        assertThat(info.getNumAckPending()).isZero();
        assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(info.getDelivered().getStreamSequence());
        assertThat(anyDeadLetter("mesh.dlq.flaky")).isFalse();
    }

    @Test
    void subjectFiltersWithWildcardsPassThroughTemplateParametersIntact() throws Exception {
        ConsumerInfo info = PlainNats.consumer(nc, STREAM, "tpl-durable");
        assertThat(info.getConsumerConfiguration().getFilterSubject()).isEqualTo("events.tpl.*.>");

        PlainNats.publish(nc, "tpl.one", 1);
        PlainNats.publish(nc, "tpl.a.b", 1);
        PlainNats.publish(nc, "other.a.b", 1);
        await().atMost(DONE).failFast("the worker exited", worker::exited).until(() -> worker.output().contains("(events.tpl.a.b #")
                && PlainNats.drained(nc, STREAM, "tpl-durable"));
        assertThat(PlainNats.consumer(nc, STREAM, "tpl-durable").getDelivered().getConsumerSequence())
                .as("deliveries to the template's durable").isEqualTo(1);
        assertThat(worker.output()).doesNotContain("(events.tpl.one #").doesNotContain("(events.other.a.b #");
    }

    /**
     * Whether {@code MESH_DLQ} (which the route's consumer ensured at its start) holds a message on
     * {@code subject}. Only the server's "no message found" means none; any other error fails the test.
     */
    private static boolean anyDeadLetter(String subject) throws Exception {
        return PlainNats.lastMessage(nc, "MESH_DLQ", subject) != null;
    }

}
