package io.meshbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.events.Event;
import io.nats.client.Connection;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.TypeConversionException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code mesh:} component without a server: URI options, validation, converters, names. */
class MeshEndpointTest {

    private CamelContext ctx;

    @BeforeEach
    void start() {
        ctx = new DefaultCamelContext();
        ctx.start();
    }

    @AfterEach
    void stop() {
        ctx.stop();
    }

    private MeshEndpoint endpoint(String uri) {
        return ctx.getEndpoint(uri, MeshEndpoint.class);
    }

    @Test
    void componentIsFoundThroughItsServiceFile() {
        assertThat(ctx.getComponent("mesh")).isInstanceOf(MeshComponent.class);
    }

    @Test
    void uriOptionsAreApplied() {
        MeshEndpoint e = endpoint("mesh:events.tool.*?durable=d1&deliverPolicy=by-sequence&startSequence=5"
                + "&batchSize=7&maxAckPending=9&ackWait=2s&backoff=100ms,2s,PT1M&maxDeliver=4"
                + "&concurrentConsumers=3&raw=true&includeReplays=true&pollTimeout=3s&emitTimeout=PT10S&stream=S1");
        MeshConfiguration c = e.getConfiguration();
        assertThat(e.getTarget()).isEqualTo("events.tool.*");
        assertThat(c.getDurable()).isEqualTo("d1");
        assertThat(c.getDeliverPolicy()).isEqualTo("by-sequence");
        assertThat(c.jetStreamDeliverPolicy()).isEqualTo(DeliverPolicy.ByStartSequence);
        assertThat(c.getStartSequence()).isEqualTo(5);
        assertThat(c.getBatchSize()).isEqualTo(7);
        assertThat(c.getMaxAckPending()).isEqualTo(9);
        assertThat(c.getAckWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.retrySchedule().delays()).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(2),
                Duration.ofMinutes(1));
        assertThat(c.getMaxDeliver()).isEqualTo(4);
        assertThat(c.getConcurrentConsumers()).isEqualTo(3);
        assertThat(c.isRaw()).isTrue();
        assertThat(c.isIncludeReplays()).isTrue();
        assertThat(c.getPollTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.getEmitTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(e.streamName()).isEqualTo("S1");
        c.validateForConsumer();
    }

    @Test
    void defaultsAndWildcardPaths() {
        MeshEndpoint e = endpoint("mesh:events.>");
        MeshConfiguration c = e.getConfiguration();
        assertThat(e.getTarget()).isEqualTo("events.>");
        assertThat(e.streamName()).isEqualTo("MESH_EVENTS");
        assertThat(c.getDurable()).isNull();
        assertThat(c.jetStreamDeliverPolicy()).isEqualTo(DeliverPolicy.All);
        assertThat(c.getBatchSize()).isEqualTo(500);
        assertThat(c.getMaxAckPending()).isEqualTo(1000);
        assertThat(c.getAckWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.retrySchedule().delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        assertThat(c.getMaxDeliver()).isEqualTo(5);
        assertThat(c.getConcurrentConsumers()).isEqualTo(1);
        assertThat(c.isRaw()).isFalse();
        assertThat(c.isIncludeReplays()).isFalse();
        assertThat(endpoint("mesh:events.*.crashed").getTarget()).isEqualTo("events.*.crashed");
        assertThat(endpoint("mesh:events.user.>?durable=u").getTarget()).isEqualTo("events.user.>");
        assertThat(endpoint("mesh:user/alerts.fired").userTopic()).isEqualTo("alerts.fired");
        assertThat(endpoint("mesh:emit").userTopic()).isNull();
    }

    @Test
    void componentDefaultsApplyAndUriOverridesThem() {
        MeshComponent mesh = ctx.getComponent("mesh", MeshComponent.class);
        mesh.getConfiguration().setMaxDeliver(9);
        mesh.getConfiguration().setBackoff("2s");
        mesh.setStream("OPS_EVENTS");
        MeshEndpoint e = endpoint("mesh:events.a.*?maxDeliver=2");
        assertThat(e.getConfiguration().getMaxDeliver()).isEqualTo(2);
        assertThat(e.getConfiguration().getBackoff()).isEqualTo("2s");
        assertThat(e.streamName()).isEqualTo("OPS_EVENTS");
        assertThat(mesh.getConfiguration().getMaxDeliver()).isEqualTo(9);
    }

    @Test
    void unknownOptionIsRefused() {
        assertThatThrownBy(() -> endpoint("mesh:events.a.*?maxDelivery=2"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("maxDelivery");
    }

    @Test
    void invalidOptionsAreNamed() {
        assertThat(invalid("mesh:events.a.*?deliverPolicy=oldest")).hasMessageContaining("deliverPolicy must be one of");
        assertThat(invalid("mesh:events.a.*?deliverPolicy=by-time")).hasMessageContaining("needs startTime");
        assertThat(invalid("mesh:events.a.*?deliverPolicy=by-time&startTime=yesterday"))
                .hasMessageStartingWith("startTime: invalid RFC 3339 timestamp");
        assertThat(invalid("mesh:events.a.*?startSequence=3")).hasMessageContaining("startSequence is only used");
        assertThat(invalid("mesh:events.a.*?deliverPolicy=by-sequence")).hasMessageContaining("startSequence of 1");
        assertThat(invalid("mesh:events.a.*?backoff=1s,,2s")).hasMessageContaining("empty element");
        assertThat(invalid("mesh:events.a.*?backoff=soon")).hasMessageContaining("backoff element 'soon'");
        assertThat(invalid("mesh:events.a.*?maxDeliver=0")).hasMessage("maxDeliver must be at least 1, was 0");
        assertThat(invalid("mesh:events.a.*?batchSize=0")).hasMessage("batchSize must be at least 1, was 0");
        assertThat(invalid("mesh:events.a.*?ackWait=10ms")).hasMessageContaining("ackWait must be at least 100ms");
        assertThat(invalid("mesh:events.a.*?ackWait=30s&maxProcessingTime=10s"))
                .hasMessageContaining("maxProcessingTime must be 0 (no limit) or at least ackWait (PT30S)");
        assertThat(invalid("mesh:events..a")).hasMessageContaining("empty token");
        assertThat(invalid("mesh:emit")).hasMessageContaining("is a producer target");
        assertThatThrownBy(() -> endpoint("mesh:events.a.*").createProducer())
                .hasMessageContaining("use mesh:emit or mesh:user/<topic>");
        assertThatThrownBy(() -> endpoint("mesh:user/bad topic").createProducer())
                .hasMessageContaining("whitespace");
    }

    private Throwable invalid(String uri) {
        Throwable[] error = new Throwable[1];
        assertThatThrownBy(() -> endpoint(uri).createConsumer(exchange -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(t -> error[0] = t);
        return error[0];
    }

    @Test
    void backoffDelayIsTheElementForTheAttemptThenTheLast() {
        RetrySchedule delays = RetrySchedule.parse("1s, 5s,30s", 20);
        assertThat(delays.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(delays.delayAfter(2)).isEqualTo(Duration.ofSeconds(5));
        assertThat(delays.delayAfter(3)).isEqualTo(Duration.ofSeconds(30));
        assertThat(delays.delayAfter(17)).isEqualTo(Duration.ofSeconds(30));
        assertThat(delays.last()).isEqualTo(Duration.ofSeconds(30));
        assertThat(delays.describe()).isEqualTo("1s,5s,30s");
        assertThat(new RetrySchedule(List.of(Duration.ZERO), 1).delayAfter(4)).isEqualTo(Duration.ZERO);
        assertThat(RetrySchedule.parse("500ms,PT2M,1h", 3).describe()).isEqualTo("500ms,2m,1h");
        assertThatThrownBy(() -> new RetrySchedule(List.of(), 3)).hasMessageContaining("at least one delay");
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(-1)), 3))
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(1)), 0))
                .hasMessageContaining("maxDeliver must be at least 1");
    }

    @Test
    void aFailedDeadLetterIsWrittenAgainWhileTheStreamStillRemembersItsId() {
        Duration backoff = Duration.ofMinutes(10);
        // the last backoff would come after the 2 minute window: the retry comes after 45 s instead
        assertThat(DeadLetters.retryDelay(backoff, Duration.ofMinutes(2))).isEqualTo(Duration.ofSeconds(45));
        assertThat(DeadLetters.retryDelay(Duration.ofSeconds(5), Duration.ofMinutes(2)))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(DeadLetters.retryDelay(backoff, Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> DeadLetters.retryDelay(backoff, Duration.ofSeconds(31)))
                .hasMessageContaining("duplicate window of MESH_DLQ (PT31S) is too short");
    }

    @Test
    void payloadConvertsToEventMapAndString() {
        byte[] payload = ("{\"type\":\"tool.crashed\",\"node\":\"n1\",\"timestamp\":\"2026-11-29T10:45:28.5+01:00\","
                + "\"data\":{\"tool\":\"x\",\"restart_count\":3}}").getBytes(StandardCharsets.UTF_8);
        ctx.getComponent("mesh");
        Event event = ctx.getTypeConverter().convertTo(Event.class, payload);
        assertThat(event.type()).isEqualTo("tool.crashed");
        assertThat(event.node()).isEqualTo("n1");
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-11-29T09:45:28.5Z"));
        assertThat(event.data()).containsEntry("restart_count", 3);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = ctx.getTypeConverter().convertTo(Map.class, payload);
        assertThat(map).containsExactly(Map.entry("type", "tool.crashed"), Map.entry("node", "n1"),
                Map.entry("timestamp", "2026-11-29T09:45:28.5Z"),
                Map.entry("data", Map.of("tool", "x", "restart_count", 3)));
        assertThat(ctx.getTypeConverter().convertTo(String.class, payload)).startsWith("{\"type\":\"tool.crashed\"");
        assertThatThrownBy(() -> ctx.getTypeConverter().convertTo(Event.class, "[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TypeConversionException.class)
                .hasStackTraceContaining("not a JSON object");
    }

    @Test
    void connectionComesFromThePropertyOrTheRegistry() throws Exception {
        MeshComponent mesh = ctx.getComponent("mesh", MeshComponent.class);
        assertThatThrownBy(mesh::connection).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("meshConnection");
        Connection bound = fakeConnection();
        ctx.getRegistry().bind("meshConnection", bound);
        assertThat(mesh.connection()).isSameAs(bound);
        Connection set = fakeConnection();
        mesh.setConnection(set);
        assertThat(mesh.connection()).isSameAs(set);
    }

    private static Connection fakeConnection() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake connection";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void existingDurableConflictsNameTheOption() {
        MeshConfiguration wanted = new MeshConfiguration();
        wanted.setDeliverPolicy("new");
        ConsumerConfiguration desired = DurableSetup.desired("d", "events.a.*", wanted, "route-a");
        ConsumerConfiguration.Builder existing = ConsumerConfiguration.builder().durable("d")
                .filterSubject("events.a.*").ackPolicy(AckPolicy.Explicit);
        assertThat(DurableSetup.conflict("d", desired, existing.deliverPolicy(DeliverPolicy.New).build())).isNull();
        assertThat(DurableSetup.conflict("d", desired, existing.deliverPolicy(DeliverPolicy.All).build()))
                .isEqualTo("durable 'd' exists with deliverPolicy=all but the route asks for new; delete the consumer"
                        + " or use another durable name");
        assertThat(DurableSetup.conflict("d", desired, existing.deliverPolicy(DeliverPolicy.New)
                .filterSubject("events.>").build()))
                .startsWith("durable 'd' exists with filter subject events.> but the route asks for events.a.*");
        assertThat(DurableSetup.conflict("d", desired, existing.filterSubject("events.a.*")
                .ackPolicy(AckPolicy.All).build()))
                .startsWith("durable 'd' exists with ackPolicy=all");
        wanted.setDeliverPolicy("by-sequence");
        wanted.setStartSequence(10);
        ConsumerConfiguration bySeq = DurableSetup.desired("d", "events.a.*", wanted, "route-a");
        assertThat(DurableSetup.conflict("d", bySeq, existing.ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(7).build()))
                .startsWith("durable 'd' exists with startSequence=7 but the route asks for 10");
        assertThat(bySeq.getMaxDeliver()).isEqualTo(-1);
        assertThat(bySeq.getAckPolicy()).isEqualTo(AckPolicy.Explicit);
    }

    @Test
    void aRepositionedDurablePassesTheStartCheckButNotAnotherFilter() {
        MeshConfiguration route = new MeshConfiguration();
        route.setDeliverPolicy("new");
        ConsumerConfiguration desired = DurableSetup.desired("d", "events.a.*", route, "route-a");
        ConsumerConfiguration bySeq = DurableSetup.repositioned("d", "events.a.*", route, "route-a", 11, null);
        assertThat(bySeq.getDeliverPolicy()).isEqualTo(DeliverPolicy.ByStartSequence);
        assertThat(bySeq.getStartSequence()).isEqualTo(11);
        assertThat(bySeq.getStartTime()).isNull();
        assertThat(bySeq.getDescription()).startsWith("mesh-bridge route route-a; repositioned to sequence 11 at ");
        assertThat(bySeq.getAckWait()).isEqualTo(desired.getAckWait());
        assertThat(bySeq.getMaxAckPending()).isEqualTo(desired.getMaxAckPending());
        assertThat(DurableSetup.isRepositioned(bySeq)).isTrue();
        assertThat(DurableSetup.isRepositioned(desired)).isFalse();
        assertThat(DurableSetup.conflict("d", desired, bySeq)).isNull();
        ConsumerConfiguration byTime = DurableSetup.repositioned("d", "events.a.*", route, "route-a", 0,
                Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(byTime.getDeliverPolicy()).isEqualTo(DeliverPolicy.ByStartTime);
        assertThat(byTime.getStartTime().toInstant()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(byTime.getStartSequence()).isZero();
        assertThat(DurableSetup.conflict("d", desired, byTime)).isNull();
        ConsumerConfiguration otherFilter = DurableSetup.repositioned("d", "events.>", route, "route-a", 11, null);
        assertThat(DurableSetup.conflict("d", desired, otherFilter))
                .startsWith("durable 'd' exists with filter subject events.> but the route asks for events.a.*");
        assertThatThrownBy(() -> Reposition.Target.sequence(0)).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new Reposition.Target(3, Instant.EPOCH)).hasMessageContaining("exactly one");
    }

    @Test
    void namesAndPermanentFailures() {
        assertThat(Names.token("archive.main route")).isEqualTo("archive_main_route");
        assertThat(Names.headerValue("a\r\nb\u00e9", 100)).isEqualTo("a  b?");
        assertThat(Names.headerValue("x".repeat(50), 10)).hasSize(10).endsWith("~");
        assertThatThrownBy(() -> Names.requireValidDurable("a.b")).hasMessageContaining("durable 'a.b'");
        assertThat(MeshPermanentException.isPermanent(new RuntimeException(new MeshPermanentException("x")))).isTrue();
        assertThat(MeshPermanentException.isPermanent(new RuntimeException("x"))).isFalse();
        assertThat(MeshPermanentException.isPermanent(null)).isFalse();
        assertThat(DeadLetters.streamConfiguration().getSubjects()).containsExactly("mesh.dlq.>");
        assertThat(DeadLetters.subject("archive.main")).isEqualTo("mesh.dlq.archive_main");
    }
}
