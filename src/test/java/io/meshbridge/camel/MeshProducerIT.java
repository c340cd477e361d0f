package io.meshbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.events.Event;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamConfiguration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code mesh:emit} and {@code mesh:user/<topic>}: what is stored, read back with jnats and Jackson. */
class MeshProducerIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_PRODUCER";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Connection nc;
    private static CamelContext ctx;
    private static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
        ctx = MeshTests.context(nc, STREAM);
        ctx.start();
        template = ctx.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        ctx.stop();
    }

    private static MessageInfo stored(Exchange sent) throws Exception {
        assertThat(sent.getException()).isNull();
        long seq = sent.getMessage().getHeader(MeshConstants.SEQUENCE, Long.class);
        return nc.jetStreamManagement().getMessage(STREAM, seq);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(MessageInfo m) throws Exception {
        return JSON.readValue(m.getData(), Map.class);
    }

    @Test
    void emitsAnEvent() throws Exception {
        Event event = Event.toolStarted("node-a", "grafana").withTimestamp(Instant.parse("2026-11-29T10:00:00Z"));
        Exchange sent = template.send("mesh:emit", e -> e.getIn().setBody(event));
        MessageInfo m = stored(sent);
        assertThat(m.getSubject()).isEqualTo("events.tool.started");
        assertThat(json(m)).isEqualTo(Map.of("type", "tool.started", "node", "node-a",
                "timestamp", "2026-11-29T10:00:00Z", "data", Map.of("tool", "grafana")));
        assertThat(m.getHeaders().getFirst("Nats-Msg-Id"))
                .isEqualTo(sent.getMessage().getHeader(MeshConstants.EVENT_ID)).isNotBlank();
        assertThat(sent.getMessage().getHeader(MeshConstants.DUPLICATE)).isEqualTo(false);
    }

    @Test
    void emitsAMapFillingNodeAndTimestamp() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "node.health");
        body.put("data", Map.of("status", "ok"));
        Instant before = Instant.now();
        MessageInfo m = stored(template.send("mesh:emit", e -> e.getIn().setBody(body)));
        Map<String, Object> stored = json(m);
        assertThat(m.getSubject()).isEqualTo("events.node.health");
        assertThat(stored).containsEntry("type", "node.health").containsEntry("node", "test-node")
                .containsEntry("data", Map.of("status", "ok"));
        assertThat(Instant.parse((String) stored.get("timestamp"))).isAfterOrEqualTo(before.minusSeconds(1));
    }

    @Test
    void emitsJsonTextAndBytes() throws Exception {
        String text = "{\"type\":\"tool.installed\",\"node\":\"n9\",\"timestamp\":\"2026-11-29T10:45:28+01:00\","
                + "\"data\":{\"tool\":\"x\",\"version\":\"1.2\"}}";
        MessageInfo fromText = stored(template.send("mesh:emit", e -> e.getIn().setBody(text)));
        MessageInfo fromBytes = stored(template.send("mesh:emit",
                e -> e.getIn().setBody(text.replace("n9", "n10").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(fromText.getSubject()).isEqualTo("events.tool.installed");
        assertThat(json(fromText)).containsEntry("node", "n9").containsEntry("timestamp", "2026-11-29T09:45:28Z")
                .containsEntry("data", Map.of("tool", "x", "version", "1.2"));
        assertThat(json(fromBytes)).containsEntry("node", "n10").containsEntry("type", "tool.installed");
    }

    @Test
    void eventIdHeaderStoresARetriedSendOnce() throws Exception {
        String id = NATS.uniqueName("fixed-id");
        Event event = Event.toolRemoved("n1", "old-tool");
        long before = nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount();
        Exchange first = template.send("mesh:emit", e -> {
            e.getIn().setBody(event);
            e.getIn().setHeader(MeshConstants.EVENT_ID, id);
        });
        Exchange second = template.send("mesh:emit", e -> {
            e.getIn().setBody(event);
            e.getIn().setHeader(MeshConstants.EVENT_ID, id);
        });
        long after = nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount();

        assertThat(after - before).isEqualTo(1);
        assertThat(first.getMessage().getHeader(MeshConstants.DUPLICATE)).isEqualTo(false);
        assertThat(second.getMessage().getHeader(MeshConstants.DUPLICATE)).isEqualTo(true);
        assertThat(second.getMessage().getHeader(MeshConstants.SEQUENCE))
                .isEqualTo(first.getMessage().getHeader(MeshConstants.SEQUENCE));
        assertThat(stored(first).getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(id);
        assertThat(first.getMessage().getHeader(MeshConstants.EVENT_ID)).isEqualTo(id);
    }

    @Test
    void userTopicWrapsTheBodyAsData() throws Exception {
        MessageInfo fromMap = stored(template.send("mesh:user/alerts.fired",
                e -> e.getIn().setBody(Map.of("alert", "DiskFull", "severity", "critical"))));
        MessageInfo fromJson = stored(template.send("mesh:user/alerts.fired",
                e -> e.getIn().setBody("{\"alert\":\"CpuHigh\",\"value\":97.5}")));
        assertThat(fromMap.getSubject()).isEqualTo("events.user.alerts.fired");
        assertThat(json(fromMap)).containsEntry("type", "user.alerts.fired").containsEntry("node", "test-node")
                .containsEntry("data", Map.of("alert", "DiskFull", "severity", "critical"));
        assertThat(json(fromJson)).containsEntry("type", "user.alerts.fired")
                .containsEntry("data", Map.of("alert", "CpuHigh", "value", 97.5));
    }

    @Test
    void invalidBodyFailsTheExchangeAsPermanent() {
        assertThatThrownBy(() -> template.sendBody("mesh:emit", Map.of("kind", "tool.started")))
                .isInstanceOf(CamelExecutionException.class)
                .hasCauseInstanceOf(MeshPermanentException.class)
                .cause().hasMessageContaining("unknown member 'kind'");
        assertThatThrownBy(() -> template.sendBody("mesh:user/alerts.fired", "[1,2]"))
                .cause().isInstanceOf(MeshPermanentException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> template.sendBody("mesh:emit", "not json"))
                .cause().isInstanceOf(MeshPermanentException.class).hasMessageContaining("not an event envelope");
    }

    @Test
    void emitThatIsNotAcknowledgedByTheStreamFailsTheExchange() throws Exception {
        String other = "OTHER_" + NATS.uniqueName("s");
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(other)
                .subjects("other." + other + ".>").build());
        long before = nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount();
        Exchange sent = template.send("mesh:emit?stream=" + other,
                e -> e.getIn().setBody(Event.toolStarted("n1", "x")));
        assertThat(sent.getException()).isNotNull().hasMessageContaining("refused");
        assertThat(nc.jetStreamManagement().getStreamInfo(other).getStreamState().getMsgCount()).isZero();
        // the stream owning the subject refused it, as it was meant for another stream
        assertThat(nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount() - before)
                .isZero();
    }
}
