package io.meshbridge.camel;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The consumer across suspend and resume, and with exchanges that run long: never more dispatching threads
 * than {@code concurrentConsumers}, running exchanges kept alive after a resume, and a hung exchange given
 * up after {@code maxProcessingTime}.
 */
class MeshConsumerRunsIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_RUNS";
    private static Connection nc;

    @RegisterExtension
    final MeshContexts contexts = new MeshContexts();

    @BeforeAll
    static void createStream() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
    }

    /** Counts calls and the most calls running at once; the first call blocks until released. */
    static final class Gate implements Processor {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostRunning = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final Set<Long> sequences = ConcurrentHashMap.newKeySet();

        @Override
        public void process(Exchange exchange) throws Exception {
            int now = running.incrementAndGet();
            mostRunning.accumulateAndGet(now, Math::max);
            threads.add(Thread.currentThread().getName());
            try {
                if (calls.incrementAndGet() == 1) {
                    entered.countDown();
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                }
                sequences.add(exchange.getIn().getHeader(MeshConstants.SEQUENCE, Long.class));
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private CamelContext route(String routeId, String token, String options, Processor step) throws Exception {
        return contexts.start(nc, STREAM, MeshTests.processRoute(routeId, "mesh:events." + token + ".*?" + options,
                "step"), Map.of("step", step));
    }

    private static MeshConsumer consumer(CamelContext ctx, String routeId) {
        return (MeshConsumer) ctx.getRoute(routeId).getConsumer();
    }

    @Test
    void concurrentConsumersShareWhatOnePullRequestBrings() throws Exception {
        String token = NATS.uniqueName("share");
        String routeId = "share-" + token;
        for (int i = 1; i <= 20; i++) { // stored before the route starts: its first pull request brings them together
            MeshTests.publishEvent(nc, token + ".x", "{\"n\":" + i + "}", token + "-" + i);
        }
        Gate gate = new Gate();
        route(routeId, token, "batchSize=20&concurrentConsumers=2", gate);
        assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
        // the first exchange is held: a second call can only come from the other dispatching thread, which has work
        // only if the batch was shared (each thread takes at most 20 / 2 at a time)
        await().atMost(WAIT).until(() -> gate.calls.get() > 1);
        assertThat(gate.mostRunning.get()).isEqualTo(2);
        gate.release.countDown();

        await().atMost(WAIT).until(() -> gate.sequences.size() == 20);
        ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 20);
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(20);
        assertThat(gate.calls.get()).isEqualTo(20);
        assertThat(gate.threads).hasSize(2);
    }

    @Test
    void aThreadInsideTheRouteAtSuspendStopsAfterItsExchangeEvenWhenResumedMeanwhile() throws Exception {
        String token = NATS.uniqueName("resume");
        String routeId = "resume-" + token;
        Gate gate = new Gate();
        CamelContext ctx = route(routeId, token, "batchSize=10&concurrentConsumers=1", gate);
        for (int i = 1; i <= 30; i++) {
            MeshTests.publishEvent(nc, token + ".x", "{\"n\":" + i + "}", token + "-" + i);
        }
        assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
        MeshConsumer consumer = consumer(ctx, routeId);
        ServiceHelper.suspendService(consumer);
        ServiceHelper.resumeService(consumer);
        // the new run must not dispatch while the old thread is still inside the route
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> gate.calls.get() == 1);
        gate.release.countDown();

        await().atMost(WAIT).until(() -> gate.sequences.size() == 30);
        MeshTests.awaitDrained(nc, STREAM, routeId, 30);
        assertThat(gate.mostRunning.get()).isEqualTo(1);
    }

    @Test
    void exchangesRunningLongAfterAResumeAreKeptAlive() throws Exception {
        String token = NATS.uniqueName("alive");
        String routeId = "alive-" + token;
        Gate gate = new Gate();
        // an ack wait of 2 s: "in progress" goes out every 0.7-1 s, so a pause of the machine under load (CI on
        // two cores) up to about a second does not let the server redeliver; 1 s left too little of a margin
        CamelContext ctx = route(routeId, token, "ackWait=2s", gate);
        MeshConsumer consumer = consumer(ctx, routeId);
        for (int cycle = 0; cycle < 5; cycle++) {
            ServiceHelper.suspendService(consumer);
            ServiceHelper.resumeService(consumer);
        }
        MeshTests.publishEvent(nc, token + ".x", "{\"n\":1}", token + "-1");
        assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
        // Deliveries so far: 1, or 2 when the run of the last suspend was still draining its pull subscription as
        // the event arrived; that run hands what it receives back at once (by design), and the server delivers it
        // again to the new run. Nothing else may deliver it.
        long deliveredAtEntry = MeshTests.consumerInfo(nc, STREAM, routeId).getDelivered().getConsumerSequence();
        assertThat(deliveredAtEntry).isBetween(1L, 2L);
        // two and a half ack waits: without "in progress" the server would have delivered it again twice
        await().during(Duration.ofSeconds(5)).atMost(WAIT).until(() -> {
            ConsumerInfo held = MeshTests.consumerInfo(nc, STREAM, routeId);
            return held.getDelivered().getConsumerSequence() == deliveredAtEntry && held.getNumAckPending() == 1;
        });
        gate.release.countDown();
        ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 1);
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(deliveredAtEntry);
        assertThat(gate.calls.get()).isEqualTo(1);
    }

    @Test
    void anExchangeRunningPastMaxProcessingTimeIsNoLongerKeptAndIsRedelivered() throws Exception {
        String token = NATS.uniqueName("hung");
        String routeId = "hung-" + token;
        Gate gate = new Gate();
        CamelContext ctx = route(routeId, token, "ackWait=1s&maxProcessingTime=2s&concurrentConsumers=2", gate);
        MeshTests.publishEvent(nc, token + ".x", "{\"n\":1}", token + "-1");
        assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
        // the first call hangs; after 2 s it is given up and the server delivers the message again
        await().atMost(WAIT).until(() -> gate.calls.get() == 2);
        assertThat(gate.sequences).hasSize(1);
        assertThat(consumer(ctx, routeId).getAbandoned()).isEqualTo(1);
        gate.release.countDown();
        ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 2);
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(2);
        assertThat(gate.calls.get()).isEqualTo(2);
    }
}
