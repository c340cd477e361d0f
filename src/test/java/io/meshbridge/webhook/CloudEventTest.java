package io.meshbridge.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventHead;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesTheStructuredFormWithTheDataByteForByte() {
        String data = "{ \"z\" : 1.50, \"a\":\"\\u00e9é\", \"big\":123456789012345678901234567890,"
                + "\"o\":{\"x\":[1, 2]} }";
        String raw = "{\"type\":\"tool.crashed\",\"node\":\"n1\",\"timestamp\":\"2026-03-01T10:00:00.1234+01:00\","
                + "\"data\":" + data + "}";
        byte[] out = encode(raw, "events.tool.crashed", "msg-1");
        assertThat(new String(out, UTF_8)).isEqualTo("{\"specversion\":\"1.0\",\"id\":\"msg-1\","
                + "\"source\":\"urn:jb-mesh:node:n1\",\"type\":\"tool.crashed\",\"subject\":\"events.tool.crashed\","
                + "\"time\":\"2026-03-01T10:00:00.1234+01:00\",\"datacontenttype\":\"application/json\","
                + "\"data\":" + data + "}");
    }

    @Test
    void isValidJsonWithEveryMemberInPlace() throws Exception {
        String raw = "{\"timestamp\": \"2026-03-01T09:00:00Z\", \"data\": {\"tool\": \"fmt\"},"
                + " \"type\": \"tool.crashed\", \"node\": \"a b/c%é\", \"extra\": [1]}";
        JsonNode ce = JSON.readTree(encode(raw, "events.tool.crashed", "ORDERS:17"));
        assertThat(ce.get("specversion").asText()).isEqualTo("1.0");
        assertThat(ce.get("id").asText()).isEqualTo("ORDERS:17");
        assertThat(ce.get("source").asText()).isEqualTo("urn:jb-mesh:node:a%20b%2Fc%25%C3%A9");
        assertThat(ce.get("type").asText()).isEqualTo("tool.crashed");
        assertThat(ce.get("time").asText()).isEqualTo("2026-03-01T09:00:00Z");
        assertThat(ce.get("data")).isEqualTo(JSON.readTree("{\"tool\":\"fmt\"}"));
        assertThat(ce.size()).isEqualTo(8);
    }

    @Test
    void escapesTheIdAndSubject() throws Exception {
        String raw = "{\"type\":\"a.b\",\"node\":\"\",\"timestamp\":\"2026-03-01T09:00:00Z\",\"data\":{}}";
        JsonNode ce = JSON.readTree(encode(raw, "events.a.b", "id \"quoted\" \\ \n"));
        assertThat(ce.get("id").asText()).isEqualTo("id \"quoted\" \\ \n");
        assertThat(ce.get("source").asText()).isEqualTo("urn:jb-mesh:node:");
        assertThat(ce.get("data").size()).isZero();
    }

    @Test
    void leavesOutAbsentDataAndAbsentOrZeroTime() throws Exception {
        JsonNode noData = JSON.readTree(encode("{\"type\":\"a.b\",\"node\":\"n\",\"data\":null}", "events.a.b", "1"));
        assertThat(noData.has("data")).isFalse();
        assertThat(noData.has("time")).isFalse();
        assertThat(noData.get("datacontenttype").asText()).isEqualTo("application/json");
        JsonNode zero = JSON.readTree(encode("{\"type\":\"a.b\",\"node\":\"n\",\"timestamp\":\"0001-01-01T00:00:00Z\"}",
                "events.a.b", "1"));
        assertThat(zero.has("time")).isFalse();
        assertThat(zero.has("data")).isFalse();
    }

    @Test
    void aTypeInferredFromTheSubjectIsTheType() throws Exception {
        JsonNode ce = JSON.readTree(encode("{\"node\":\"n\",\"data\":{\"k\":1}}", "events.node.reconnected", "1"));
        assertThat(ce.get("type").asText()).isEqualTo("node.reconnected");
        assertThat(ce.get("subject").asText()).isEqualTo("events.node.reconnected");
    }

    @Test
    void repeatedMembersResolveAsTheDecoderResolvesThem() throws Exception {
        String raw = "{\"type\":\"a.b\",\"timestamp\":\"2026-03-01T09:00:00Z\",\"data\":{\"x\":1,\"y\":2},"
                + "\"timestamp\":null,\"data\":{\"y\":3.10,\"z\":4}}";
        byte[] out = encode(raw, "events.a.b", "1");
        assertThat(new String(out, UTF_8)).endsWith(",\"time\":\"2026-03-01T09:00:00Z\","
                + "\"datacontenttype\":\"application/json\",\"data\":{\"x\":1,\"y\":3.10,\"z\":4}}");
        JsonNode ce = JSON.readTree(out);
        String decoded = EventCodec.defaults().decode("events.a.b", raw.getBytes(UTF_8)).event().data().keySet()
                .toString();
        List<String> names = new java.util.ArrayList<>();
        ce.get("data").fieldNames().forEachRemaining(names::add);
        assertThat(names.toString()).isEqualTo(decoded);

        String resetByNull = "{\"type\":\"a.b\",\"data\":{\"x\":1},\"data\":null,\"data\":{\"w\":0}}";
        assertThat(JSON.readTree(encode(resetByNull, "events.a.b", "1")).get("data"))
                .isEqualTo(JSON.readTree("{\"w\":0}"));
    }

    @Test
    void refusesWhatIsNotAnEnvelope() {
        EventHead head = new EventHead("a.b", "", null, false);
        assertThatThrownBy(() -> CloudEvent.encode("[1]".getBytes(UTF_8), "events.a.b", "1", head))
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> CloudEvent.encode("{\"data\":{".getBytes(UTF_8), "events.a.b", "1", head))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> CloudEvent.encode("{}".getBytes(UTF_8), "events.a.b", "", head))
                .hasMessageContaining("id");
    }

    private static byte[] encode(String raw, String subject, String id) {
        byte[] bytes = raw.getBytes(UTF_8);
        try {
            return CloudEvent.encode(bytes, subject, id, EventCodec.defaults().scan(subject, bytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
