package io.meshbridge.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The codec against the reference samples and Go's encoding/json: decoding every shape the producers emit,
 * refusing malformed payloads, and encoding byte for byte as Go does. Limits are in
 * {@link EventCodecLimitsTest}, the randomised round trip in {@link EventCodecRoundTripTest}.
 */
class EventCodecTest {

    private final EventCodec codec = EventCodec.defaults();

    /** What every decodable sample stands for. */
    private static final Map<String, Event> EXPECTED = Map.ofEntries(
            Map.entry("go-utc-nanos", event("tool.installed", "node-a", "2026-11-29T10:45:28.123456789Z",
                    map("tool", "whisper", "version", "v1.0.0"))),
            Map.entry("go-offset-short-fraction", event("tool.crashed", "gpu-box", "2026-11-29T10:45:28.1234Z",
                    map("error", "OOM killed", "restart_count", 2, "tool", "whisper"))),
            Map.entry("go-whole-seconds-null-config", event("tool.configured", "node-a", "2026-11-29T10:45:29Z",
                    map("config", null, "tool", "calc"))),
            Map.entry("go-nested-data", event("node.joined", "node-b", "2026-11-29T10:45:30.5Z",
                    map("capabilities", map("gpu", true, "vram_gb", 24)))),
            Map.entry("go-float", event("node.health", "node-a", "2026-11-29T10:45:31.000000001Z",
                    map("resources", map("gpu_util", new BigDecimal("0.45")), "status", "online"))),
            Map.entry("go-node-left", event("node.left", "node-a", "2026-11-29T10:45:32.25Z",
                    map("reason", "shutdown"))),
            Map.entry("python-sdk", event("user.training.complete", "gpu-box", "2026-11-29T10:45:33Z",
                    map("model", "bert", "loss", new BigDecimal("0.01"), "epochs", 100))),
            Map.entry("go-user-null-data", event("user.custom.topic", "node-c", "2026-11-29T10:45:34.7Z", null)),
            Map.entry("mesh-reconnect-notice-no-type", new Event("node.joined", "node-a", null, null)),
            Map.entry("unicode", event("tool.started", "node-ü", "2026-11-29T10:45:35Z",
                    map("tool", "whisper", "note", "日本語 ✓ é"))),
            Map.entry("big-integer", event("tool.crashed", "node-a", "2026-11-29T10:45:36Z",
                    map("error", "overflow", "restart_count", new BigInteger("12345678901234567890"),
                            "tool", "calc"))));

    /** The Go samples written in UTC: re-encoding them must give the very same bytes. */
    private static final List<String> GO_UTC_SAMPLES = List.of(
            "go-utc-nanos", "go-whole-seconds-null-config", "go-float", "go-node-left", "go-user-null-data");

    private static final String INFERRED = "mesh-reconnect-notice-no-type";

    static Stream<String> decodableSamples() {
        return Samples.decodable().stream().map(Samples.Sample::name);
    }

    static Stream<String> malformedSamples() {
        return Samples.malformed().stream().map(Samples.Sample::name);
    }

    // --- decoding the reference samples ---

    @Test
    void everySampleIsCovered() {
        assertThat(Samples.all()).hasSize(14);
        assertThat(decodableSamples()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        assertThat(malformedSamples()).containsExactly("malformed-not-json", "malformed-array", "malformed-empty");
    }

    @ParameterizedTest
    @MethodSource("decodableSamples")
    void everyDecodableSampleDecodesToItsEvent(String name) throws Exception {
        Samples.Sample sample = Samples.named(name);

        ReceivedEvent received = codec.decode(sample.subject(), sample.payload());

        assertThat(received.event()).isEqualTo(EXPECTED.get(name));
        assertThat(received.subject()).isEqualTo(sample.subject());
        assertThat(received.raw()).isEqualTo(sample.payload());
        assertThat(received.typeInferred()).isEqualTo(name.equals(INFERRED));
        assertThat(received.id()).isNull();
        assertThat(received.position()).isNull();
    }

    @Test
    void dataKeepsTheOrderOfThePayload() throws Exception {
        assertThat(decode("python-sdk").data().keySet()).containsExactly("model", "loss", "epochs");
        assertThat(decode("unicode").data().keySet()).containsExactly("tool", "note");
    }

    @Test
    void integersKeepTheirExactValueAndFractionsDecodeAsBigDecimal() throws Exception {
        Map<String, Object> resources = nested(decode("go-float").data(), "resources");
        assertThat(resources.get("gpu_util")).isExactlyInstanceOf(BigDecimal.class)
                .isEqualTo(new BigDecimal("0.45"));

        assertThat(decode("big-integer").data().get("restart_count")).isExactlyInstanceOf(BigInteger.class)
                .isEqualTo(new BigInteger("12345678901234567890"));
        assertThat(decode("go-offset-short-fraction").data().get("restart_count"))
                .isExactlyInstanceOf(Integer.class).isEqualTo(2);

        Map<String, Object> python = decode("python-sdk").data();
        assertThat(python.get("loss")).isExactlyInstanceOf(BigDecimal.class).isEqualTo(new BigDecimal("0.01"));
        assertThat(python.get("epochs")).isExactlyInstanceOf(Integer.class).isEqualTo(100);

        Map<String, Object> caps = nested(decode("go-nested-data").data(), "capabilities");
        assertThat(caps.get("gpu")).isEqualTo(Boolean.TRUE);
        assertThat(caps.get("vram_gb")).isExactlyInstanceOf(Integer.class).isEqualTo(24);
    }

    @Test
    void nullMembersOfDataArePresentWithANullValue() throws Exception {
        Map<String, Object> data = decode("go-whole-seconds-null-config").data();

        assertThat(data).containsKey("config");
        assertThat(data.get("config")).isNull();
        assertThat(decode("go-user-null-data").data()).isNull();
    }

    @Test
    void unicodeIsDecodedFromRawUtf8AndFromEscapes() throws Exception {
        Event e = decode("unicode");

        assertThat(e.node()).isEqualTo("node-\u00fc");
        assertThat(e.data().get("note")).isEqualTo("\u65e5\u672c\u8a9e \u2713 \u00e9");
    }

    @Test
    void offsetsAreConvertedToTheInstant() throws Exception {
        assertThat(decode("go-offset-short-fraction").timestamp())
                .isEqualTo(Instant.parse("2026-11-29T10:45:28.1234Z"));
        assertThat(decode("go-nested-data").timestamp()).isEqualTo(Instant.parse("2026-11-29T10:45:30.5Z"));
    }

    @Test
    void theReconnectNoticeTakesItsTypeFromTheSubject() throws Exception {
        Samples.Sample sample = Samples.named(INFERRED);

        ReceivedEvent received = codec.decode(sample.subject(), sample.payload());

        assertThat(received.typeInferred()).isTrue();
        assertThat(received.event().type()).isEqualTo("node.joined");
        assertThat(received.event().node()).isEqualTo("node-a");
        assertThat(received.event().timestamp()).isNull();
        assertThat(received.event().data()).isNull();
        assertThat(received.raw()).isEqualTo(sample.payload());
    }

    @Test
    void decodingTheSameBytesTwiceGivesEqualResults() throws Exception {
        Samples.Sample sample = Samples.named("go-float");

        assertThat(codec.decode(sample.subject(), sample.payload()))
                .isEqualTo(codec.decode(sample.subject(), sample.payload().clone()));
    }

    // --- malformed payloads ---

    @ParameterizedTest
    @CsvSource({
        "malformed-not-json, not valid JSON",
        "malformed-array, not a JSON object",
        "malformed-empty, empty payload",
    })
    void malformedSamplesAreRefusedWithSubjectBytesAndReason(String name, String reason) {
        Samples.Sample sample = Samples.named(name);

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> codec.decode(sample.subject(), sample.payload()));

        assertThat(e).as(name).isNotNull();
        assertThat(e.subject()).isEqualTo(sample.subject());
        assertThat(e.raw()).isEqualTo(sample.payload());
        assertThat(e.reason()).startsWith(reason);
        assertThat(e.position()).isNull();
        assertThat(e.getMessage()).isEqualTo("subject " + sample.subject() + ": " + e.reason());
    }

    @Test
    void nullPayloadIsAnEmptyPayload() {
        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> codec.decode("events.x", null));

        assertThat(e.reason()).isEqualTo("empty payload");
        assertThat(e.raw()).isEmpty();
    }

    @Test
    void nullSubjectIsAProgrammingError() {
        assertThatThrownBy(() -> codec.decode(null, "{}".getBytes(UTF_8))).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"a.b\",\"node\":\"n\",\"data\":null} x        | not valid JSON",
        "{\"type\":\"a.b\",\"node\":\"n\",\"data\":null}{}        | unexpected content after the JSON object",
        "{\"type\":\"a.b\",\"node\":\"n\",\"data\":null}]         | not valid JSON",
        "{\"type\":\"a.b\",\"node\":\"n\",\"data\":null           | not valid JSON",
        "{\"type\":\"a.b\",\"node\":\"n\",\"data\":[1]}           | \"data\" must be an object or null, was an array",
        "{\"type\":\"a.b\",\"node\":\"n\",\"data\":\"x\"}         | \"data\" must be an object or null, was a string",
        "{\"type\":\"a.b\",\"node\":\"n\",\"data\":5}             | \"data\" must be an object or null, was a number",
        "{\"type\":\"a.b\",\"node\":\"n\",\"data\":false}         | \"data\" must be an object or null, was a boolean",
        "{\"type\":5,\"node\":\"n\"}                              | \"type\" must be a string, was a number",
        "{\"type\":[\"a\"],\"node\":\"n\"}                        | \"type\" must be a string, was an array",
        "{\"type\":\"a.b\",\"node\":{}}                           | \"node\" must be a string, was an object",
        "{\"type\":\"a.b\",\"node\":true}                         | \"node\" must be a string, was a boolean",
        "{\"type\":\"a.b\",\"timestamp\":1764413128}              | \"timestamp\" must be a string, was a number",
        "{\"type\":\"a.b\",\"timestamp\":\"2026-11-29\"}          | invalid RFC 3339 timestamp '2026-11-29'",
        "{\"type\":\"tool..x\",\"node\":\"n\"}                    | event type 'tool..x' has an empty token",
        "{\"type\":\"\",\"node\":\"n\"}                           | event type must not be empty",
        "{\"type\":\"tool.*\",\"node\":\"n\"}                     | event type 'tool.*' contains the wildcard '*'",
        "{\"type\":\"tool crashed\"}                              | event type 'tool crashed' contains whitespace",
        "{\"type\":'a.b'}                                         | not valid JSON",
        "{type:\"a.b\"}                                           | not valid JSON",
        "{\"type\":\"a.b\",}                                      | not valid JSON",
        "{\"type\":\"a.b\"} // comment                            | not valid JSON",
        "{\"type\":\"a.b\",\"data\":{\"n\":NaN}}                  | not valid JSON",
        "{\"type\":\"a.b\",\"data\":{\"n\":01}}                   | not valid JSON",
        "\"just a string\"                                        | not a JSON object",
        "null                                                     | not a JSON object",
        "42                                                       | not a JSON object",
    })
    void payloadsThatAreNotEventsAreRefused(String payload, String reason) {
        byte[] bytes = payload.getBytes(UTF_8);

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> codec.decode("events.tool.crashed", bytes));

        assertThat(e).as(payload).isNotNull();
        assertThat(e.reason()).startsWith(reason);
        assertThat(e.raw()).isEqualTo(bytes);
        assertThat(e.subject()).isEqualTo("events.tool.crashed");
    }

    @Test
    void noTypeOnASubjectThatNamesNoTypeIsRefused() {
        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> codec.decode("alerts.raw", "{\"node\":\"n\"}".getBytes(UTF_8)));

        assertThat(e.reason()).isEqualTo("no \"type\" member and the subject does not name a type");
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] payload = "{\"type\":\"a.b\",\"node\":\"n-?\"}".getBytes(UTF_8);
        payload[payload.length - 4] = (byte) 0xff;

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> codec.decode("events.a.b", payload));

        assertThat(e.reason()).startsWith("not valid JSON");
        assertThat(e.raw()).isSameAs(payload);
    }

    @Test
    void aLongNodeIsRefusedAsAnEvent() {
        byte[] payload = ("{\"type\":\"a.b\",\"node\":\"" + "n".repeat(257) + "\"}").getBytes(UTF_8);

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> codec.decode("events.a.b", payload));

        assertThat(e.reason()).isEqualTo("node is longer than 256 characters");
    }

    // --- lenience: what Go's encoding/json accepts ---

    @Test
    void unknownMembersAreIgnoredAndKeptInTheRawBytes() throws Exception {
        byte[] payload = ("{\"event\":\"reconnect\",\"type\":\"node.left\",\"extra\":{\"deep\":[1,{\"x\":null}],"
                + "\"n\":1.5e300},\"node\":\"node-a\",\"ids\":[1,2,3],\"timestamp\":\"2026-11-29T10:45:32Z\","
                + "\"data\":{\"reason\":\"shutdown\"},\"more\":null}").getBytes(UTF_8);

        ReceivedEvent received = codec.decode("events.node.left", payload);

        assertThat(received.event()).isEqualTo(event("node.left", "node-a", "2026-11-29T10:45:32Z",
                map("reason", "shutdown")));
        assertThat(received.typeInferred()).isFalse();
        assertThat(received.raw()).isSameAs(payload);
    }

    @Test
    void membersMayComeInAnyOrderWithWhitespaceAround() throws Exception {
        byte[] payload = ("\n {\r\n\t\"data\" : { \"a\" : [ 1 , 2 ] } ,\n \"timestamp\" : \"2026-11-29T10:45:33Z\" , "
                + "\"node\" : \"n\" , \"type\" : \"user.x\" }\n ").getBytes(UTF_8);

        assertThat(codec.decode("events.user.x", payload).event())
                .isEqualTo(event("user.x", "n", "2026-11-29T10:45:33Z", map("a", List.of(1, 2))));
    }

    @Test
    void theTypeMemberWinsOverTheSubject() throws Exception {
        ReceivedEvent received = codec.decode("events.node.joined",
                "{\"type\":\"tool.started\",\"node\":\"n\"}".getBytes(UTF_8));

        assertThat(received.event().type()).isEqualTo("tool.started");
        assertThat(received.typeInferred()).isFalse();
    }

    @Test
    void missingMembersDecodeAsGoZeroValuesOrNull() throws Exception {
        Event e = codec.decode("events.a.b", "{\"type\":\"a.b\"}".getBytes(UTF_8)).event();

        assertThat(e).isEqualTo(new Event("a.b", "", null, null));
    }

    @Test
    void duplicateMembersTheLastWinsAsInGo() throws Exception {
        byte[] payload = ("{\"type\":\"a.b\",\"node\":\"first\",\"timestamp\":\"2026-11-29T10:45:28Z\","
                + "\"type\":\"c.d\",\"node\":\"second\",\"timestamp\":\"2026-11-29T10:45:29Z\","
                + "\"data\":{\"k\":1,\"k\":2}}").getBytes(UTF_8);

        Event e = codec.decode("events.a.b", payload).event();

        assertThat(e).isEqualTo(event("c.d", "second", "2026-11-29T10:45:29Z", map("k", 2)));
    }

    @Test
    void nullLeavesAStringMemberAsItWasAsInGo() throws Exception {
        byte[] payload = ("{\"type\":\"a.b\",\"node\":\"n\",\"timestamp\":\"2026-11-29T10:45:28Z\","
                + "\"type\":null,\"node\":null,\"timestamp\":null}").getBytes(UTF_8);

        Event e = codec.decode("events.x.y", payload).event();

        assertThat(e).isEqualTo(event("a.b", "n", "2026-11-29T10:45:28Z", null));
    }

    @Test
    void duplicateDataObjectsAreMergedAsGoMergesIntoTheExistingMap() throws Exception {
        byte[] payload = ("{\"type\":\"a.b\",\"data\":{\"a\":1,\"b\":2},\"data\":{\"b\":3,\"c\":4}}")
                .getBytes(UTF_8);

        assertThat(codec.decode("events.a.b", payload).event().data())
                .isEqualTo(map("a", 1, "b", 3, "c", 4));
    }

    @Test
    void dataNullAfterAnObjectClearsIt() throws Exception {
        byte[] payload = "{\"type\":\"a.b\",\"data\":{\"a\":1},\"data\":null}".getBytes(UTF_8);

        assertThat(codec.decode("events.a.b", payload).event().data()).isNull();
    }

    // --- encoding as Go writes ---

    @ParameterizedTest
    @ValueSource(strings = {"go-utc-nanos", "go-whole-seconds-null-config", "go-float", "go-node-left",
        "go-user-null-data"})
    void reEncodingAGoSampleWrittenInUtcGivesTheSameBytes(String name) throws Exception {
        Samples.Sample sample = Samples.named(name);

        byte[] encoded = codec.encode(codec.decode(sample.subject(), sample.payload()).event());

        assertThat(new String(encoded, UTF_8)).isEqualTo(sample.text());
        assertThat(encoded).isEqualTo(sample.payload());
        assertThat(GO_UTC_SAMPLES).contains(name);
    }

    @Test
    void encodingWritesGoFieldOrderAndSortedKeysForEveryOtherSampleToo() throws Exception {
        assertThat(encode(decode("go-offset-short-fraction"))).isEqualTo("{\"type\":\"tool.crashed\","
                + "\"node\":\"gpu-box\",\"timestamp\":\"2026-11-29T10:45:28.1234Z\","
                + "\"data\":{\"error\":\"OOM killed\",\"restart_count\":2,\"tool\":\"whisper\"}}");
        assertThat(encode(decode("python-sdk"))).isEqualTo("{\"type\":\"user.training.complete\","
                + "\"node\":\"gpu-box\",\"timestamp\":\"2026-11-29T10:45:33Z\","
                + "\"data\":{\"epochs\":100,\"loss\":0.01,\"model\":\"bert\"}}");
        assertThat(encode(decode("unicode"))).isEqualTo("{\"type\":\"tool.started\",\"node\":\"node-ü\","
                + "\"timestamp\":\"2026-11-29T10:45:35Z\",\"data\":{\"note\":\"日本語 ✓ é\",\"tool\":\"whisper\"}}");
        assertThat(encode(decode("big-integer"))).isEqualTo("{\"type\":\"tool.crashed\",\"node\":\"node-a\","
                + "\"timestamp\":\"2026-11-29T10:45:36Z\","
                + "\"data\":{\"error\":\"overflow\",\"restart_count\":12345678901234567890,\"tool\":\"calc\"}}");
    }

    @ParameterizedTest
    @MethodSource("decodableSamples")
    void decodingTheEncodingOfADecodedSampleGivesTheSameEvent(String name) throws Exception {
        Samples.Sample sample = Samples.named(name);
        Event event = codec.decode(sample.subject(), sample.payload()).event();

        ReceivedEvent again = codec.decode(event.subject(), codec.encode(event));

        if (name.equals(INFERRED)) {
            assertThat(again.event()).isEqualTo(event.withTimestamp(Timestamps.GO_ZERO_TIME));
            assertThat(new String(again.raw(), UTF_8)).isEqualTo("{\"type\":\"node.joined\",\"node\":\"node-a\","
                    + "\"timestamp\":\"0001-01-01T00:00:00Z\",\"data\":null}");
        } else {
            assertThat(again.event()).isEqualTo(event);
        }
        assertThat(again.typeInferred()).isFalse();
    }

    @Test
    void anEventWithoutTimestampIsWrittenWithGoZeroTime() {
        assertThat(encode(Event.toolStarted("node-a", "calc"))).isEqualTo("{\"type\":\"tool.started\","
                + "\"node\":\"node-a\",\"timestamp\":\"0001-01-01T00:00:00Z\",\"data\":{\"tool\":\"calc\"}}");
    }

    @Test
    void theEnvelopeHasExactlyFourMembersInGoOrder() throws IOException {
        Map<String, Object> data = map("type", "inner", "node", "inner", "timestamp", "inner", "data", "inner");
        byte[] encoded = codec.encode(new Event("user.x", "", null, data));

        JsonNode tree = new ObjectMapper().readTree(encoded);
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);

        assertThat(names).containsExactly("type", "node", "timestamp", "data");
        assertThat(tree.get("data").size()).isEqualTo(4);
    }

    @Test
    void mapKeysAreWrittenSortedAtEveryLevel() {
        Map<String, Object> inner = map("z", 1, "a", 2, "m", map("y", true, "b", false));
        Map<String, Object> data = map("zeta", inner, "alpha", List.of(map("d", 1, "c", 2)), "", 0, "B", 1,
                "a", 1);

        assertThat(encodeData(data)).isEqualTo("{\"\":0,\"B\":1,\"a\":1,\"alpha\":[{\"c\":2,\"d\":1}],"
                + "\"zeta\":{\"a\":2,\"m\":{\"b\":false,\"y\":true},\"z\":1}}");
    }

    @Test
    void mapKeysAreSortedByTheirUtf8BytesAsGoSortsStrings() {
        // U+FF01 is EF BC 81 in UTF-8 and sorts before U+1F600 (F0 9F 98 80), although its UTF-16 code unit
        // FF01 sorts after the surrogate D83D.
        Map<String, Object> data = map("\ud83d\ude00", 1, "\uff01", 2, "\u00e9", 3, "e", 4);

        assertThat(encodeData(data)).isEqualTo("{\"e\":4,\"\u00e9\":3,\"\uff01\":2,\"\ud83d\ude00\":1}");
    }

    @Test
    void htmlCharactersAreEscapedAsGoDoes() {
        Event e = new Event("user.a<b", "<node&>", null, map("<k>", "<a href=\"x\">&amp;</a>"));

        assertThat(encode(e)).isEqualTo("{\"type\":\"user.a\\u003cb\",\"node\":\"\\u003cnode\\u0026\\u003e\","
                + "\"timestamp\":\"0001-01-01T00:00:00Z\","
                + "\"data\":{\"\\u003ck\\u003e\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e\"}}");
    }

    @Test
    void lineAndParagraphSeparatorsAreEscapedAsGoDoes() {
        assertThat(encodeData(map("s", "a\u2028b\u2029c"))).isEqualTo("{\"s\":\"a\\u2028b\\u2029c\"}");
    }

    @Test
    void quotesAndBackslashesAreEscapedAndSlashIsNot() {
        assertThat(encodeData(map("s", "\"q\" \\ / '"))).isEqualTo("{\"s\":\"\\\"q\\\" \\\\ / '\"}");
    }

    @Test
    void nonAsciiIsWrittenAsRawUtf8() {
        String text = "\u00e9\u00fc \u65e5\u672c\u8a9e \u2713 \ud83d\ude00 \udbff\udfff \ufffd \uffff";

        byte[] encoded = codec.encode(new Event("user.x", text, null, map(text, text)));

        String expected = "{\"type\":\"user.x\",\"node\":\"" + text + "\",\"timestamp\":\"0001-01-01T00:00:00Z\","
                + "\"data\":{\"" + text + "\":\"" + text + "\"}}";
        assertThat(encoded).isEqualTo(expected.getBytes(UTF_8));
    }

    @Test
    void controlCharactersAreEscapedAsGoDoes() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        all.append('\u007f');

        // Go (1.22 and later, as the reference's go 1.25): short escapes for \b \f \n \r \t, backslash-u-00xx with
        // lower-case hex for every other control character, DEL written as is.
        String go = "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
                + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c"
                + "\\u001d\\u001e\\u001f\u007f";
        assertThat(encodeData(map("s", all.toString()))).isEqualTo("{\"s\":\"" + go + "\"}");
        assertThat(encodeData(map(all.toString(), 1))).isEqualTo("{\"" + go + "\":1}");
    }

    @Test
    void controlCharactersSurviveARoundTrip() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c).append('x');
        }
        Event e = new Event("user.x", all.toString(), Instant.parse("2026-11-29T10:45:28Z"),
                map(all.toString(), all.toString()));

        assertThat(codec.decode(e.subject(), codec.encode(e)).event()).isEqualTo(e);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a\\ud800b             | a\\ufffdb",
        "\\udc00               | \\ufffd",
        "x\\ud83d              | x\\ufffd",
        "\\ude00\\ud83d        | \\ufffd\\ufffd",
        "\\ud83d\\ud83d\\ude00 | \\ufffd\ud83d\ude00",
    })
    void loneSurrogatesAreWrittenAsTheReplacementCharacterAsGoWritesInvalidUtf8(String escaped, String go) {
        String value = unescapeSurrogates(escaped);

        assertThat(encodeData(map("s", value))).isEqualTo("{\"s\":\"" + go + "\"}");
    }

    @Test
    void numbersAreWrittenExactly() {
        Map<String, Object> data = map("int", -7, "long", 9_007_199_254_740_993L, "short", (short) 3,
                "byte", (byte) -1, "big", new BigInteger("-123456789012345678901234567890"),
                "dec", new BigDecimal("0.450"), "tiny", new BigDecimal("1E-12"), "huge", new BigDecimal("1E+30"),
                "true", true, "false", false, "null", null);

        assertThat(encodeData(data)).isEqualTo("{\"big\":-123456789012345678901234567890,\"byte\":-1,"
                + "\"dec\":0.450,\"false\":false,\"huge\":1E+30,\"int\":-7,\"long\":9007199254740993,\"null\":null,"
                + "\"short\":3,\"tiny\":1E-12,\"true\":true}");
    }

    @ParameterizedTest
    @CsvSource({
        "0.45, 0.45",
        "1.0, 1",
        "-2.5, -2.5",
        "100.0, 100",
        "123456789.0, 123456789",
        "1.0E20, 100000000000000000000",
        "1.0E21, 1e+21",
        "1.5E300, 1.5e+300",
        "-1.0E21, -1e+21",
        "1.0E-6, 0.000001",
        "1.0E-7, 1e-7",
        "1.5E-10, 1.5e-10",
        "4.9E-324, 5e-324",
        "1.7976931348623157E308, 1.7976931348623157e+308",
        "0.1, 0.1",
        "0.30000000000000004, 0.30000000000000004",
        "0.0, 0",
        "-0.0, -0",
    })
    void doublesAreWrittenAsGoWritesFloat64(double value, String go) {
        assertThat(encodeData(map("f", value))).isEqualTo("{\"f\":" + go + "}");
    }

    @ParameterizedTest
    @CsvSource({
        "0.1, 0.1",
        "1.0, 1",
        "3.4028235E38, 3.4028235e+38",
        "1.0E-7, 1e-7",
        "16777216.0, 16777216",
    })
    void floatsAreWrittenAsGoWritesFloat32(float value, String go) {
        assertThat(encodeData(map("f", value))).isEqualTo("{\"f\":" + go + "}");
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void nonFiniteNumbersAreRefusedAsGoRefusesThem(double value) {
        assertThatThrownBy(() -> codec.encode(new Event("user.x", "", null, map("f", value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON number");
    }

    @Test
    void valuesThatAreNotJsonAreRefused() {
        for (Object value : List.of(new Object(), Instant.EPOCH, 'c', new int[] {1}, Map.of(1.5, "x"))) {
            assertThatThrownBy(() -> codec.encode(new Event("user.x", "", null, map("v", value))))
                    .as("%s", value)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a JSON");
        }
    }

    @Test
    void aNullMapKeyIsRefused() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(null, 1);

        assertThatThrownBy(() -> codec.encode(new Event("user.x", "", null, data)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null key");
    }

    @Test
    void integerMapKeysAreWrittenAsStringsAsGoDoes() {
        Map<Object, Object> inner = new LinkedHashMap<>();
        inner.put(10, "ten");
        inner.put(9L, "nine");
        inner.put(BigInteger.TWO, "two");

        assertThat(encodeData(map("m", inner))).isEqualTo("{\"m\":{\"10\":\"ten\",\"2\":\"two\",\"9\":\"nine\"}}");
    }

    @Test
    void listsAndOtherCollectionsAreWrittenAsArrays() {
        List<Object> withNull = new ArrayList<>(Arrays.asList(1, null, "x"));
        assertThat(encodeData(map("l", withNull, "e", List.of(), "s", java.util.Set.of(7), "m", Map.of())))
                .isEqualTo("{\"e\":[],\"l\":[1,null,\"x\"],\"m\":{},\"s\":[7]}");
    }

    @Test
    void aCyclicDataStructureIsRefusedWithoutOverflowingTheStack() {
        Map<String, Object> cyclic = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        list.add(cyclic);
        cyclic.put("self", list);

        assertThatThrownBy(() -> codec.encode(new Event("user.x", "", null, Map.of("c", cyclic))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper than " + EventCodec.MAX_DEPTH);
    }

    @Test
    void encodeDoesNotAlterTheEvent() {
        Map<String, Object> data = map("b", 1, "a", 2);
        Event e = new Event("user.x", "n", Instant.parse("2026-11-29T10:45:28Z"), data);

        codec.encode(e);

        assertThat(e.data().keySet()).containsExactly("b", "a");
    }

    // --- helpers ---

    private Event decode(String sampleName) throws EventDecodeException {
        Samples.Sample sample = Samples.named(sampleName);
        return codec.decode(sample.subject(), sample.payload()).event();
    }

    private String encode(Event event) {
        return new String(codec.encode(event), UTF_8);
    }

    /** The encoded {@code data} member of an event carrying {@code data}. */
    private String encodeData(Map<String, Object> data) {
        String json = encode(new Event("user.x", "", null, data));
        String prefix = "{\"type\":\"user.x\",\"node\":\"\",\"timestamp\":\"0001-01-01T00:00:00Z\",\"data\":";
        assertThat(json).startsWith(prefix).endsWith("}");
        return json.substring(prefix.length(), json.length() - 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Map<String, Object> data, String key) {
        return (Map<String, Object>) data.get(key);
    }

    static Event event(String type, String node, String timestamp, Map<String, Object> data) {
        return new Event(type, node, Instant.parse(timestamp), data);
    }

    /** An insertion-ordered map that, unlike {@link Map#of}, takes null values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String unescapeSurrogates(String escaped) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            if (escaped.startsWith("\\u", i)) {
                out.append((char) Integer.parseInt(escaped.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(escaped.charAt(i));
            }
        }
        return out.toString();
    }
}
