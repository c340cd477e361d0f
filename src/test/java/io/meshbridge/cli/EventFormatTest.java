package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.events.Event;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import io.meshbridge.events.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFormatTest {

    private static final EventCodec CODEC = EventCodec.defaults();
    private static final EventFormat UTC = new EventFormat(ZoneOffset.UTC, CODEC);
    private static final EventFormat KOLKATA = new EventFormat(ZoneId.of("Asia/Kolkata"), CODEC);
    private static final Instant TIME = Instant.parse("2026-11-29T10:45:28.123456789Z");

    @Test
    void lineHasTheReferenceColumnsSeparatedByTwoSpaces() {
        Event event = Event.toolInstalled("node-a", "whisper", "v1.0.0").withTimestamp(TIME);

        assertThat(UTC.line(event, null))
                .isEqualTo("10:45:28  tool.installed  node=node-a  {\"tool\":\"whisper\",\"version\":\"v1.0.0\"}");
    }

    @Test
    void localTimeIsTheDefaultZone() {
        Event event = Event.toolStarted("node-a", "calc").withTimestamp(TIME);

        assertThat(KOLKATA.line(event, null)).isEqualTo("16:15:28  tool.started  node=node-a  {\"tool\":\"calc\"}");
        assertThat(EventFormat.of(false).line(event, null))
                .startsWith(TIME.atZone(ZoneId.systemDefault()).toLocalTime().withNano(0).toString());
        assertThat(EventFormat.of(true).line(event, null)).startsWith("10:45:28  ");
    }

    @Test
    void nullDataPrintsNull() {
        Event event = Event.user("node-c", "custom.topic", null).withTimestamp(TIME);

        assertThat(UTC.line(event, null)).isEqualTo("10:45:28  user.custom.topic  node=node-c  null");
    }

    @Test
    void dataIsCompactJsonAsGoWritesIt() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("model", "bert");
        data.put("nested", Map.of("z", 1));
        data.put("epochs", 100);
        data.put("none", null);
        data.put("html", "<a & b>");
        Event event = new Event("user.x", "n\",\"data\":", TIME, data);

        assertThat(UTC.dataJson(event)).isEqualTo("{\"epochs\":100,\"html\":\"\\u003ca \\u0026 b\\u003e\","
                + "\"model\":\"bert\",\"nested\":{\"z\":1},\"none\":null}");
        assertThat(UTC.dataJson(event.withNode("n").withTimestamp(null))).isEqualTo(UTC.dataJson(event));
        assertThat(UTC.dataJson(new Event("user.x", "n", TIME, Map.of()))).isEqualTo("{}");
        assertThat(UTC.dataJson(new Event("user.x", "n", TIME, null))).isEqualTo("null");
    }

    @Test
    void emptyNodeStillHasItsColumn() {
        Event event = new Event("node.left", "", TIME, Map.of("reason", "x"));

        assertThat(UTC.line(event, null)).isEqualTo("10:45:28  node.left  node=  {\"reason\":\"x\"}");
    }

    @Test
    void inferredTypeWithoutTimestampShowsTheStreamTimeAndGetsANote() throws Exception {
        byte[] notice = "{\"node\":\"node-a\",\"event\":\"reconnect\"}".getBytes(StandardCharsets.UTF_8);
        ReceivedEvent event = CODEC.decode("events.node.joined", notice)
                .withDelivery(null, new StreamPosition("MESH_EVENTS", 9, Instant.parse("2026-11-29T10:50:00Z")));

        assertThat(UTC.line(event, Instant.parse("2030-01-01T00:00:00Z")))
                .isEqualTo("10:50:00  node.joined  node=node-a  null");
        assertThat(EventFormat.inferredNote(event)).isEqualTo("sequence 9: type inferred from subject");
        assertThat(UTC.json(event))
                .isEqualTo("{\"type\":\"node.joined\",\"node\":\"node-a\",\"timestamp\":\"0001-01-01T00:00:00Z\","
                        + "\"data\":null}");
    }

    @Test
    void liveEventWithoutTimestampShowsTheReceiptTime() throws Exception {
        byte[] notice = "{\"node\":\"node-a\",\"event\":\"reconnect\"}".getBytes(StandardCharsets.UTF_8);
        ReceivedEvent event = CODEC.decode("events.node.joined", notice);

        assertThat(UTC.line(event, Instant.parse("2026-11-29T11:00:01Z"))).startsWith("11:00:01  node.joined  ");
        assertThat(EventFormat.inferredNote(event)).isEqualTo("subject events.node.joined: type inferred from subject");
    }

    @Test
    void goZeroTimeCountsAsNoTimestamp() {
        Event event = Event.toolStarted("n", "t").withTimestamp(Timestamps.GO_ZERO_TIME);

        assertThat(UTC.line(event, Instant.parse("2026-11-29T09:00:00Z"))).startsWith("09:00:00  ");
        assertThat(UTC.line(event, null)).startsWith("--:--:--  ");
    }

    @Test
    void eventsWithTheirTypeGetNoNote() throws Exception {
        ReceivedEvent event = CODEC.decode("events.tool.started",
                CODEC.encode(Event.toolStarted("n", "t").withTimestamp(TIME)));

        assertThat(EventFormat.inferredNote(event)).isNull();
    }

    @Test
    void jsonIsTheGoFormOnOneLine() throws Exception {
        byte[] python = ("{\"type\": \"user.training.complete\", \"node\": \"gpu-box\", \"timestamp\":"
                + " \"2026-11-29T10:45:33Z\", \"data\": {\"model\": \"bert\", \"loss\": 0.01}}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(UTC.json(CODEC.decode("events.user.training.complete", python)))
                .isEqualTo("{\"type\":\"user.training.complete\",\"node\":\"gpu-box\","
                        + "\"timestamp\":\"2026-11-29T10:45:33Z\",\"data\":{\"loss\":0.01,\"model\":\"bert\"}}");
    }

    @Test
    void undecodableLineNamesSequenceSubjectAndReason() {
        EventDecodeException e = new EventDecodeException("events.user.x", new byte[] {'['}, "not a JSON object",
                null).at(new StreamPosition("MESH_EVENTS", 13, TIME));

        assertThat(EventFormat.undecodable(e))
                .isEqualTo("undecodable message: sequence 13, subject events.user.x: not a JSON object");
    }
}
