package io.meshbridge.camel;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.events.Timestamps;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention gaps of plain {@code mesh:} routes against a real nats-server: a stream with a message limit drops
 * events a route has not settled (the route was down, or stuck), and the route reports exactly that range,
 * once, as a {@code user.mesh-bridge.gap} event. Each test has its own stream.
 */
class RetentionGapsIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final MeshContexts contexts = new MeshContexts();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GAP_SUBJECT = "events." + RetentionGaps.GAP_TYPE;

    private final List<CamelContext> started = new ArrayList<>();
    private final List<String> streams = new ArrayList<>();

    /** Each test's streams capture events.>, so they go after the test, once its routes stopped. */
    @AfterEach
    void deleteStreams() throws Exception {
        started.forEach(CamelContext::stop);
        for (String s : streams) {
            NATS.connect().jetStreamManagement().deleteStream(s);
        }
    }

    @Test
    void aRouteThatWasDownReportsWhatTheStreamDroppedMeanwhile() throws Exception {
        Connection nc = NATS.connect();
        String stream = stream(nc, "GAP_DOWN", false);
        publish(nc, 1, 3);
        List<Long> seen = new CopyOnWriteArrayList<>();
        CamelContext first = route(nc, stream, "webhook", seen, null, Map.of());
        await().atMost(WAIT).until(() -> ackFloor(nc, stream, "webhook") == 3);
        first.stop();

        publish(nc, 4, 13); // room for 6: 4 to 7 are dropped while the route is down
        Instant before = nc.jetStreamManagement().getMessage(stream, 8).getTime().toInstant();
        CamelContext second = route(nc, stream, "webhook", seen, null, Map.of());
        await().atMost(WAIT).until(() -> seen.size() == 9 && settled(nc, stream, "webhook"));
        assertThat(consumer(second).getRetentionGaps().gaps()).isEqualTo(1);
        assertThat(consumer(second).getRetentionGaps().droppedMessages()).isEqualTo(4);

        assertThat(seen).containsExactly(1L, 2L, 3L, 8L, 9L, 10L, 11L, 12L, 13L);
        JsonNode data = onlyGap(nc, stream);
        assertThat(data.get("first_seq").asLong()).isEqualTo(4);
        assertThat(data.get("last_seq").asLong()).isEqualTo(7);
        assertThat(data.get("count").asLong()).isEqualTo(4);
        assertThat(data.get("before").asText()).isEqualTo(Timestamps.format(before));
        assertThat(data.has("after")).as("the stream no longer has sequence 3").isFalse();
        assertThat(data.get("stream").asText()).isEqualTo(stream);
        assertThat(data.get("filter").asText()).isEqualTo("events.tool.>");
        assertThat(data.get("route").asText()).isEqualTo("webhook");
        assertThat(data.get("durable").asText()).isEqualTo("webhook");
        assertThat(data.get("worker").asText()).isEqualTo("test-node");
    }

    @Test
    void aStuckRouteReportsTheEventsDroppedBehindItAtTheNextCheck() throws Exception {
        Connection nc = NATS.connect();
        String stream = stream(nc, "GAP_STUCK", true);
        publish(nc, 1, 1);
        Instant after = nc.jetStreamManagement().getMessage(stream, 1).getTime().toInstant();
        CountDownLatch stuck = new CountDownLatch(1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        CamelContext ctx = route(nc, stream, "stuck", seen, stuck, Map.of("maxAckPending", "1"));
        RetentionGaps gaps = consumer(ctx).getRetentionGaps();
        // a check with sequence 1 in the route's hands learns its stream time
        await().atMost(WAIT).until(() -> seen.size() == 1 && gaps.checks() >= 2);

        publish(nc, 2, 11); // room for 6 of the subject: 1 to 5 go, 1 is in the route's hands
        Instant before = nc.jetStreamManagement().getMessage(stream, 6).getTime().toInstant();
        await().atMost(WAIT).until(() -> gaps.gaps() == 1);
        stuck.countDown();
        await().atMost(WAIT).until(() -> seen.size() == 7 && settled(nc, stream, "stuck"));

        assertThat(seen).containsExactly(1L, 6L, 7L, 8L, 9L, 10L, 11L);
        JsonNode data = onlyGap(nc, stream);
        assertThat(data.get("first_seq").asLong()).isEqualTo(2);
        assertThat(data.get("last_seq").asLong()).isEqualTo(5);
        assertThat(data.get("count").asLong()).isEqualTo(4);
        assertThat(data.get("after").asText()).isEqualTo(Timestamps.format(after));
        assertThat(data.get("before").asText()).isEqualTo(Timestamps.format(before));
        assertThat(gaps.gaps()).isEqualTo(1);
        assertThat(gaps.droppedMessages()).isEqualTo(4);
    }

    @Test
    void twoWorkersOnOneDurableStoreOneEventPerGap() throws Exception {
        Connection nc = NATS.connect();
        String stream = stream(nc, "GAP_SHARED", true); // the event displaces nothing: both see the same gap
        publish(nc, 1, 3);
        List<Long> seen = new CopyOnWriteArrayList<>();
        CamelContext first = route(nc, stream, "shared", seen, null, Map.of());
        await().atMost(WAIT).until(() -> ackFloor(nc, stream, "shared") == 3);
        first.stop();

        publish(nc, 4, 13);
        CountDownLatch hold = new CountDownLatch(1); // neither worker settles anything until both checked
        CamelContext a = route(nc, stream, "shared", seen, hold, Map.of());
        CamelContext b = route(nc, stream, "shared", seen, hold, Map.of());
        RetentionGaps gapsA = consumer(a).getRetentionGaps();
        RetentionGaps gapsB = consumer(b).getRetentionGaps();
        await().atMost(WAIT).until(() -> gapsA.gaps() == 1 && gapsB.gaps() == 1);
        hold.countDown();
        await().atMost(WAIT).until(() -> seen.size() == 9 && settled(nc, stream, "shared"));

        JsonNode data = onlyGap(nc, stream);
        assertThat(data.get("first_seq").asLong()).isEqualTo(4);
        assertThat(data.get("last_seq").asLong()).isEqualTo(7);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(
                LongStream.of(1, 2, 3, 8, 9, 10, 11, 12, 13).boxed().toList());
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** A stream on {@code events.>} keeping 6 messages in all, or 6 per subject. */
    private String stream(Connection nc, String name, boolean perSubject) throws Exception {
        streams.add(name);
        StreamConfiguration.Builder b = StreamConfiguration.builder().name(name).subjects("events.>")
                .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(2));
        nc.jetStreamManagement().addStream(perSubject ? b.maxMessagesPerSubject(6).build() : b.maxMessages(6).build());
        return name;
    }

    private static void publish(Connection nc, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            MeshTests.publishEvent(nc, "tool.started", "{\"n\":" + i + "}", "e" + i);
        }
    }

    /**
     * A started route {@code routeId} on {@code events.tool.>} recording each stream sequence; waiting on
     * {@code latch} (when given) after recording. Checks for gaps every 200 ms.
     */
    private CamelContext route(Connection nc, String stream, String routeId, List<Long> seen, CountDownLatch latch,
                               Map<String, String> options) throws Exception {
        Processor record = exchange -> {
            seen.add(exchange.getIn().getHeader(MeshConstants.SEQUENCE, Long.class));
            if (latch != null && !latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("never released");
            }
        };
        StringBuilder uri = new StringBuilder("mesh:events.tool.>?ackWait=30s");
        options.forEach((k, v) -> uri.append('&').append(k).append('=').append(v));
        CamelContext ctx = contexts.create(nc, stream, MeshTests.processRoute(routeId, uri.toString(), "record"),
                Map.of("record", record));
        ctx.getComponent("mesh", MeshComponent.class).setGapCheckInterval(Duration.ofMillis(200));
        ctx.start();
        started.add(ctx);
        return ctx;
    }

    private static MeshConsumer consumer(CamelContext ctx) {
        return (MeshConsumer) ctx.getRoutes().get(0).getConsumer();
    }

    /** Nothing left to deliver and nothing unacknowledged. */
    private static boolean settled(Connection nc, String stream, String durable) throws Exception {
        ConsumerInfo info = nc.jetStreamManagement().getConsumerInfo(stream, durable);
        return info.getNumPending() == 0 && info.getNumAckPending() == 0;
    }

    private static long ackFloor(Connection nc, String stream, String durable) throws Exception {
        return nc.jetStreamManagement().getConsumerInfo(stream, durable).getAckFloor().getStreamSequence();
    }

    /** The data of the one gap event the stream holds. */
    private static JsonNode onlyGap(Connection nc, String stream) throws Exception {
        List<MessageInfo> events = MeshTests.messages(nc, stream, GAP_SUBJECT);
        assertThat(events).hasSize(1);
        JsonNode event = JSON.readTree(events.get(0).getData());
        assertThat(event.get("type").asText()).isEqualTo(RetentionGaps.GAP_TYPE);
        assertThat(event.get("node").asText()).isEqualTo("test-node");
        return event.get("data");
    }
}
