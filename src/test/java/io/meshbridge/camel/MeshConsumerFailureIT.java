package io.meshbridge.camel;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries, dead letters and permanent failures of {@code mesh:} consumers, against a real nats-server. Each
 * test uses its own subjects, route ids and durables on one event stream; results are read with jnats.
 */
class MeshConsumerFailureIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_FAILURE";
    private static Connection nc;

    @RegisterExtension
    final MeshContexts contexts = new MeshContexts();

    @BeforeAll
    static void createStream() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
    }

    private CamelContext start(String yaml, Map<String, Object> beans) throws Exception {
        return contexts.start(nc, STREAM, yaml, beans);
    }

    private static String route(String id, String uri, String processorRef) {
        return MeshTests.processRoute(id, uri, processorRef);
    }

    @Test
    void messageFailingTwiceIsProcessedThreeTimesAndAcknowledgedOnce() throws Exception {
        String token = NATS.uniqueName("retry");
        String routeId = "retry-" + token;
        AtomicInteger attempts = new AtomicInteger();
        List<Long> deliveries = new CopyOnWriteArrayList<>();
        Processor failTwice = exchange -> {
            deliveries.add(exchange.getIn().getHeader(MeshConstants.DELIVERIES, Long.class));
            if (attempts.incrementAndGet() <= 2) {
                throw new IllegalStateException("transient failure " + attempts.get());
            }
        };
        try (MeshTests.AckSpy acks = new MeshTests.AckSpy(nc, STREAM, routeId)) {
            start(route(routeId, "mesh:events." + token + ".*?backoff=50ms,100ms", "failTwice"),
                    Map.of("failTwice", failTwice));
            long seq = MeshTests.publishEvent(nc, token + ".happened", "{\"n\":1}", token + "-1");

            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 3);
            await().atMost(WAIT).until(() -> acks.count(seq, "+ACK") == 1);

            assertThat(attempts.get()).isEqualTo(3);
            assertThat(deliveries).containsExactly(1L, 2L, 3L);
            assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(3);
            assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(seq);
            assertThat(info.getAckFloor().getConsumerSequence()).isEqualTo(3);
            assertThat(info.getNumAckPending()).isZero();
            assertThat(info.getRedelivered()).isZero();
            assertThat(acks.of(seq)).containsExactly("-NAK", "-NAK", "+ACK");
            assertThat(MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq." + routeId)).isEmpty();
        }
    }

    @Test
    void poisonMessageIsDeadLetteredAfterMaxDeliverWhileTheOthersFlow() throws Exception {
        String token = NATS.uniqueName("poison");
        String routeId = "poison-" + token;
        List<String> log = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        Processor processor = exchange -> {
            String id = exchange.getIn().getHeader(MeshConstants.EVENT_ID, String.class);
            processed.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            log.add(id);
            if (exchange.getIn().getBody(String.class).contains("\"poison\":true")) {
                throw new IllegalArgumentException("cannot digest\r\npoison " + id);
            }
        };
        start(route(routeId, "mesh:events." + token + ".*?maxDeliver=3&backoff=1s", "p"), Map.of("p", processor));
        String poisonId = token + "-poison";
        long poisonSeq = MeshTests.publishEvent(nc, token + ".x", "{\"poison\":true}", poisonId);
        List<String> goodIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            goodIds.add(token + "-" + i);
            MeshTests.publishEvent(nc, token + ".x", "{\"i\":" + i + "}", token + "-" + i);
        }

        String dlqSubject = "mesh.dlq." + routeId;
        await().atMost(WAIT).until(() -> MeshTests.messages(nc, MeshConstants.DLQ_STREAM, dlqSubject).size() == 1);
        ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 13);

        assertThat(processed.get(poisonId).get()).isEqualTo(3);
        for (String id : goodIds) {
            assertThat(processed.get(id)).as(id).isNotNull();
            assertThat(processed.get(id).get()).as(id).isEqualTo(1);
        }
        assertThat(processed).hasSize(11);
        // the others were all processed before the poison message's second attempt
        int secondPoisonAttempt = indexOfNth(log, poisonId, 2);
        for (String id : goodIds) {
            assertThat(log.indexOf(id)).as(id).isLessThan(secondPoisonAttempt);
        }
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(13);
        assertThat(info.getNumAckPending()).isZero();

        List<MessageInfo> dead = MeshTests.messages(nc, MeshConstants.DLQ_STREAM, dlqSubject);
        assertThat(dead).hasSize(1);
        MessageInfo letter = dead.get(0);
        Headers h = letter.getHeaders();
        assertThat(new String(letter.getData(), StandardCharsets.UTF_8)).contains("\"poison\":true");
        assertThat(h.getFirst("Mesh-Route")).isEqualTo(routeId);
        assertThat(h.getFirst("Mesh-Error"))
                .isEqualTo("java.lang.IllegalArgumentException: cannot digest  poison " + poisonId);
        assertThat(h.getFirst("Mesh-Original-Subject")).isEqualTo("events." + token + ".x");
        assertThat(h.getFirst("Mesh-Original-Sequence")).isEqualTo(Long.toString(poisonSeq));
        assertThat(h.getFirst("Mesh-Original-Stream")).isEqualTo(STREAM);
        assertThat(h.getFirst("Mesh-Original-Id")).isEqualTo(poisonId);
        assertThat(h.getFirst("Mesh-Deliveries")).isEqualTo("3");
        assertThat(h.getFirst("Nats-Msg-Id")).isEqualTo("dlq:" + routeId + ":" + STREAM + ":" + poisonSeq);
        // terminated, not acknowledged: nothing left pending, never delivered again
        assertThat(info.getNumPending()).isZero();
    }

    private static int indexOfNth(List<String> log, String id, int n) {
        int seen = 0;
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).equals(id) && ++seen == n) {
                return i;
            }
        }
        throw new AssertionError(id + " was not processed " + n + " times: " + log);
    }

    @Test
    void permanentFailureIsDeadLetteredAfterOneAttempt() throws Exception {
        String token = NATS.uniqueName("permanent");
        String routeId = "permanent-" + token;
        AtomicInteger attempts = new AtomicInteger();
        Processor processor = exchange -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("wrapped", new MeshPermanentException("unknown customer 42"));
        };
        try (MeshTests.AckSpy acks = new MeshTests.AckSpy(nc, STREAM, routeId)) {
            start(route(routeId, "mesh:events." + token + ".*?maxDeliver=5&backoff=50ms", "p"), Map.of("p", processor));
            long seq = MeshTests.publishEvent(nc, token + ".x", "{}", token + "-1");

            String dlqSubject = "mesh.dlq." + routeId;
            await().atMost(WAIT).until(() -> MeshTests.messages(nc, MeshConstants.DLQ_STREAM, dlqSubject).size() == 1);
            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 1);
            await().atMost(WAIT).until(() -> acks.count(seq, "+TERM") == 1);

            assertThat(attempts.get()).isEqualTo(1);
            assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(1);
            assertThat(acks.of(seq)).containsExactly("+TERM");
            Headers h = MeshTests.messages(nc, MeshConstants.DLQ_STREAM, dlqSubject).get(0).getHeaders();
            assertThat(h.getFirst("Mesh-Error")).isEqualTo("java.lang.IllegalStateException: wrapped");
            assertThat(h.getFirst("Mesh-Deliveries")).isEqualTo("1");
        }
    }

    @Test
    void deadLetterThatCouldNotBeWrittenIsWrittenOnTheRedeliveryWithoutRunningTheRouteAgain() throws Exception {
        String token = NATS.uniqueName("unwritten");
        String routeId = "unwritten-" + token;
        AtomicInteger attempts = new AtomicInteger();
        Processor processor = exchange -> {
            attempts.incrementAndGet();
            throw new MeshPermanentException("unknown customer 7");
        };
        try (MeshTests.AckSpy acks = new MeshTests.AckSpy(nc, STREAM, routeId)) {
            CamelContext camel = start(route(routeId, "mesh:events." + token + ".*?maxDeliver=5&backoff=2s", "p"),
                    Map.of("p", processor));
            ConsumerStats stats = ((MeshConsumer) camel.getRoute(routeId).getConsumer()).getStats();
            // the dead-letter stream is gone: the write fails, the message is returned to be retried
            nc.jetStreamManagement().deleteStream(MeshConstants.DLQ_STREAM);
            long seq = MeshTests.publishEvent(nc, token + ".x", "{}", token + "-1");
            await().atMost(WAIT).until(() -> stats.retried() == 1);
            DeadLetters.ensureStream(nc);

            String dlqSubject = "mesh.dlq." + routeId;
            await().atMost(WAIT).until(() -> acks.count(seq, "+TERM") == 1);
            ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 1);

            // the redelivery wrote the dead letter remembered for it: the route ran once, the letter is stored once
            assertThat(attempts.get()).isEqualTo(1);
            assertThat(acks.of(seq)).containsExactly("-NAK", "+TERM");
            assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(2);
            assertThat(stats.deadLettered()).isEqualTo(1);
            List<MessageInfo> dead = MeshTests.messages(nc, MeshConstants.DLQ_STREAM, dlqSubject);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getHeaders().getFirst("Mesh-Error")).contains("unknown customer 7");
        }
    }

    @Test
    void messageWhoseLastAttemptDiedIsDeadLetteredOnItsNextDelivery() throws Exception {
        String token = NATS.uniqueName("died");
        String routeId = "died-" + token;
        String filter = "events." + token + ".*";
        // a worker with maxDeliver=1 fetched the message and died before finishing its only attempt
        nc.jetStreamManagement().addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder()
                .durable(routeId).filterSubject(filter).ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(1)).maxDeliver(-1).build());
        long seq = MeshTests.publishEvent(nc, token + ".x", "{}", token + "-1");
        FetchConsumer fetch = nc.jetStream().getConsumerContext(STREAM, routeId)
                .fetch(FetchConsumeOptions.builder().maxMessages(1).noWaitExpiresIn(5000).build());
        assertThat(fetch.nextMessage().metaData().streamSequence()).isEqualTo(seq);
        fetch.close();
        AtomicInteger attempts = new AtomicInteger();
        start(route(routeId, "mesh:" + filter + "?maxDeliver=1&ackWait=1s", "p"),
                Map.of("p", (Processor) exchange -> attempts.incrementAndGet()));

        String dlqSubject = "mesh.dlq." + routeId;
        await().atMost(WAIT).until(() -> MeshTests.messages(nc, MeshConstants.DLQ_STREAM, dlqSubject).size() == 1);
        ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 2);

        assertThat(attempts.get()).isZero();
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(2);
        Headers h = MeshTests.messages(nc, MeshConstants.DLQ_STREAM, dlqSubject).get(0).getHeaders();
        assertThat(h.getFirst("Mesh-Deliveries")).isEqualTo("2");
        assertThat(h.getFirst("Mesh-Original-Sequence")).isEqualTo(Long.toString(seq));
        assertThat(h.getFirst("Mesh-Error")).contains("delivered 2 times, more than maxDeliver=1");
    }

    @Test
    void replayedMessagesAreSkippedUnlessIncluded() throws Exception {
        String token = NATS.uniqueName("replay");
        List<Long> skipping = new CopyOnWriteArrayList<>();
        List<Long> including = new CopyOnWriteArrayList<>();
        start(route("skip-" + token, "mesh:events." + token + ".*", "skip")
                + route("include-" + token, "mesh:events." + token + ".*?includeReplays=true", "include"),
                Map.of("skip", (Processor) e -> skipping.add(e.getIn().getHeader(MeshConstants.SEQUENCE, Long.class)),
                        "include", (Processor) e -> including.add(e.getIn().getHeader(MeshConstants.SEQUENCE, Long.class))));
        Headers replay = new Headers().put("Nats-Msg-Id", token + "-r").put("Mesh-Replay", "true");
        long replayed = nc.jetStream().publish("events." + token + ".x", replay,
                MeshTests.envelope(token + ".x", "{}")).getSeqno();
        long live = MeshTests.publishEvent(nc, token + ".x", "{}", token + "-live");

        MeshTests.awaitDrained(nc, STREAM, "skip-" + token, 2);
        MeshTests.awaitDrained(nc, STREAM, "include-" + token, 2);
        await().atMost(WAIT).until(() -> including.size() == 2 && skipping.size() == 1);
        assertThat(skipping).containsExactly(live);
        assertThat(including).containsExactly(replayed, live);
    }

    @Test
    void undecodablePayloadIsDeadLetteredAtOnceUnlessRaw() throws Exception {
        String token = NATS.uniqueName("undecodable");
        String routeId = "strict-" + token;
        String rawRouteId = "raw-" + token;
        AtomicInteger strictCalls = new AtomicInteger();
        List<String> rawBodies = new CopyOnWriteArrayList<>();
        List<Object> rawTypes = new CopyOnWriteArrayList<>();
        Processor strict = exchange -> strictCalls.incrementAndGet();
        Processor raw = exchange -> {
            rawBodies.add(exchange.getIn().getBody(String.class));
            rawTypes.add(exchange.getIn().getHeader(MeshConstants.TYPE));
        };
        start(route(routeId, "mesh:events." + token + ".*", "strict")
                + route(rawRouteId, "mesh:events." + token + ".*?raw=true", "raw"),
                Map.of("strict", strict, "raw", raw));
        long seq = MeshTests.publish(nc, "events." + token + ".x", "not json".getBytes(StandardCharsets.UTF_8),
                token + "-1");
        nc.publish("events." + token + ".x", "not json either".getBytes(StandardCharsets.UTF_8)); // core publish

        String dlqSubject = "mesh.dlq." + routeId;
        await().atMost(WAIT).until(() -> MeshTests.messages(nc, MeshConstants.DLQ_STREAM, dlqSubject).size() == 2);
        ConsumerInfo strictInfo = MeshTests.awaitDrained(nc, STREAM, routeId, 2);
        MeshTests.awaitDrained(nc, STREAM, rawRouteId, 2);
        await().atMost(WAIT).until(() -> rawBodies.size() == 2);

        assertThat(strictCalls.get()).isZero();
        assertThat(strictInfo.getDelivered().getConsumerSequence()).isEqualTo(2);
        List<MessageInfo> dead = MeshTests.messages(nc, MeshConstants.DLQ_STREAM, dlqSubject);
        assertThat(dead).extracting(m -> new String(m.getData(), StandardCharsets.UTF_8))
                .containsExactly("not json", "not json either");
        Headers first = dead.get(0).getHeaders();
        assertThat(first.getFirst("Mesh-Error")).startsWith("io.meshbridge.events.EventDecodeException: ")
                .contains("not valid JSON");
        assertThat(first.getFirst("Mesh-Deliveries")).isEqualTo("1");
        assertThat(first.getFirst("Mesh-Original-Sequence")).isEqualTo(Long.toString(seq));
        assertThat(dead.get(1).getHeaders().getFirst("Mesh-Original-Id")).isNull();
        assertThat(dead.get(1).getHeaders().getFirst("Nats-Msg-Id"))
                .isEqualTo("dlq:" + routeId + ":" + STREAM + ":" + (seq + 1));

        assertThat(rawBodies).containsExactly("not json", "not json either");
        assertThat(rawTypes).containsExactly(null, null);
        assertThat(MeshTests.messages(nc, MeshConstants.DLQ_STREAM, "mesh.dlq." + rawRouteId)).isEmpty();
    }
}
