package io.meshbridge.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The codec's limits: nesting depth, payload size and number length, all refusing hostile input. */
class EventCodecLimitsTest {

    private static final String PREFIX = "{\"type\":\"user.pad\",\"node\":\"n\",\"timestamp\":\"2026-11-29T10:45:28Z\","
            + "\"data\":{\"pad\":\"";
    private static final String SUFFIX = "\"}}";

    private final EventCodec codec = EventCodec.defaults();

    // --- nesting depth ---

    @Test
    void maxDepthCountsTheEnvelopeAsTheFirstLevel() throws Exception {
        assertThat(EventCodec.MAX_DEPTH).isEqualTo(64);
        // envelope = 1, data = 2
        assertThat(codec.decode("events.a.b", "{\"type\":\"a.b\",\"data\":{}}".getBytes(UTF_8)).event().data())
                .isEmpty();
    }

    @Test
    void aPayloadNestedMaxDepthLevelsDeepDecodes() throws Exception {
        byte[] payload = nestedPayload(EventCodec.MAX_DEPTH);

        Event e = codec.decode("events.user.deep", payload).event();

        assertThat(depthOf(e.data()) + 1).isEqualTo(EventCodec.MAX_DEPTH);
    }

    @Test
    void aPayloadNestedOneLevelDeeperIsRefused() {
        byte[] payload = nestedPayload(EventCodec.MAX_DEPTH + 1);

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> codec.decode("events.user.deep", payload));

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("nesting depth").contains("65").contains("64");
        assertThat(e.raw()).isSameAs(payload);
    }

    @Test
    void deepNestingInAnIgnoredMemberIsRefusedToo() {
        int levels = EventCodec.MAX_DEPTH;
        byte[] payload = ("{\"type\":\"a.b\",\"x\":" + "[".repeat(levels) + "]".repeat(levels) + "}")
                .getBytes(UTF_8);

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> codec.decode("events.a.b", payload));

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("nesting depth");
    }

    @Test
    void hostileNestingIsAnEventDecodeExceptionNotAStackOverflow() {
        int levels = 200_000;
        byte[] payload = ("{\"type\":\"a.b\",\"data\":{\"v\":" + "[".repeat(levels) + "]".repeat(levels) + "}}")
                .getBytes(UTF_8);

        assertThatThrownBy(() -> codec.decode("events.a.b", payload)).isInstanceOf(EventDecodeException.class);
    }

    @Test
    void encodeWritesMaxDepthAndRefusesDeeper() throws Exception {
        Event deepest = new Event("user.deep", "", null, Map.of("v", nestedLists(EventCodec.MAX_DEPTH - 2)));
        Event deeper = new Event("user.deep", "", null, Map.of("v", nestedLists(EventCodec.MAX_DEPTH - 1)));

        assertThat(codec.decode("events.user.deep", codec.encode(deepest)).event().data())
                .isEqualTo(deepest.data());
        assertThatThrownBy(() -> codec.encode(deeper))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper than 64");
    }

    // --- payload size ---

    @Test
    void maxPayloadIsTheServerDefaultUnlessGiven() {
        assertThat(EventCodec.defaults().maxPayload()).isEqualTo(1024 * 1024).isEqualTo(EventCodec.DEFAULT_MAX_PAYLOAD);
        assertThat(new EventCodec(4096).maxPayload()).isEqualTo(4096);
    }

    @Test
    void aTooSmallMaxPayloadIsRefused() {
        assertThat(new EventCodec(64).maxPayload()).isEqualTo(64);
        assertThatThrownBy(() -> new EventCodec(63))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPayload must be at least 64 bytes, was 63");
    }

    @Test
    void aLegitimateEventOfExactlyMaxPayloadBytesDecodesAndEncodes() throws Exception {
        EventCodec small = new EventCodec(4096);
        byte[] payload = paddedPayload(4096, "x");
        assertThat(payload).hasSize(4096);

        ReceivedEvent received = small.decode("events.user.pad", payload);

        assertThat((String) received.event().data().get("pad")).hasSize(4096 - PREFIX.length() - SUFFIX.length());
        assertThat(small.encode(received.event())).isEqualTo(payload);
    }

    @Test
    void aPayloadOfOneByteMoreIsRefusedNamingItsSize() {
        EventCodec small = new EventCodec(4096);
        byte[] payload = paddedPayload(4097, "x");

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> small.decode("events.user.pad", payload));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo("payload of 4097 bytes is above the maximum of 4096 bytes");
        assertThat(e.raw()).isSameAs(payload);
    }

    @Test
    void encodeRefusesAnEventLargerThanMaxPayload() throws Exception {
        EventCodec small = new EventCodec(4096);
        Event fits = small.decode("events.user.pad", paddedPayload(4096, "x")).event();
        Event tooLarge = new Event(fits.type(), fits.node(), fits.timestamp(),
                Map.of("pad", fits.data().get("pad") + "x"));

        assertThatThrownBy(() -> small.encode(tooLarge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("encoded event of type user.pad is larger than the maximum payload of 4096 bytes");
    }

    @Test
    void sizeIsCountedInUtf8BytesNotCharacters() throws Exception {
        EventCodec small = new EventCodec(4096);
        byte[] payload = paddedPayload(4096, "é");
        assertThat(payload).hasSize(4096);
        Event fits = small.decode("events.user.pad", payload).event();
        Event tooLarge = new Event(fits.type(), fits.node(), fits.timestamp(),
                Map.of("pad", fits.data().get("pad") + "é"));

        assertThat(small.encode(fits)).isEqualTo(payload);
        assertThatThrownBy(() -> small.encode(tooLarge)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void escapesCountTowardsTheSize() {
        EventCodec small = new EventCodec(4096);
        // 700 characters either way, but each '<' is written as six bytes (backslash, u, 003c)
        Event plain = new Event("a.b", "", null, Map.of("s", "a".repeat(700)));
        Event escaped = new Event("a.b", "", null, Map.of("s", "<".repeat(700)));

        assertThat(small.encode(plain)).hasSizeLessThan(4096);
        assertThatThrownBy(() -> small.encode(escaped)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- numbers ---

    @Test
    void integersOfPythonsDefaultDigitLimitDecodeExactly() throws Exception {
        String digits = "9".repeat(4300);
        byte[] payload = ("{\"type\":\"a.b\",\"data\":{\"n\":" + digits + "}}").getBytes(UTF_8);

        assertThat(codec.decode("events.a.b", payload).event().data().get("n")).isEqualTo(new BigInteger(digits));
    }

    @Test
    void longerNumbersAreRefusedRatherThanParsedInQuadraticTime() {
        String digits = "1".repeat(200_000);
        byte[] payload = ("{\"type\":\"a.b\",\"data\":{\"n\":" + digits + "}}").getBytes(UTF_8);

        long start = System.nanoTime();
        EventDecodeException e = catchThrowableOfType(EventDecodeException.class,
                () -> codec.decode("events.a.b", payload));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("Number value length");
        assertThat(millis).as("milliseconds to refuse").isLessThan(2_000);
    }

    @Test
    void hugeExponentsStayExactWithoutExpanding() throws Exception {
        byte[] payload = "{\"type\":\"a.b\",\"data\":{\"n\":1e999999999}}".getBytes(UTF_8);

        Object n = codec.decode("events.a.b", payload).event().data().get("n");

        assertThat(n).hasToString("1E+999999999");
    }

    // --- helpers ---

    /** A legitimate event padded with {@code pad} to exactly {@code size} bytes. */
    private static byte[] paddedPayload(int size, String pad) {
        int padBytes = size - PREFIX.length() - SUFFIX.length();
        int unit = pad.getBytes(UTF_8).length;
        String padding = pad.repeat(padBytes / unit) + "x".repeat(padBytes % unit);
        byte[] payload = (PREFIX + padding + SUFFIX).getBytes(UTF_8);
        assertThat(payload).hasSize(size);
        return payload;
    }

    /**
     * An event whose nesting, counting the envelope as level 1 and {@code data} as level 2, reaches exactly
     * {@code depth}, alternating arrays and objects below {@code data}.
     */
    static byte[] nestedPayload(int depth) {
        StringBuilder json = new StringBuilder("{\"type\":\"user.deep\",\"node\":\"n\",\"data\":{\"v\":");
        int inner = depth - 2;
        for (int i = 0; i < inner; i++) {
            json.append(i % 2 == 0 ? "[" : "{\"k\":");
        }
        json.append("1");
        for (int i = inner - 1; i >= 0; i--) {
            json.append(i % 2 == 0 ? "]" : "}");
        }
        return json.append("}}").toString().getBytes(UTF_8);
    }

    private static Object nestedLists(int levels) {
        Object value = "bottom";
        for (int i = 0; i < levels; i++) {
            value = List.of(value);
        }
        return value;
    }

    private static int depthOf(Object value) {
        if (value instanceof Map<?, ?> m) {
            return 1 + m.values().stream().mapToInt(EventCodecLimitsTest::depthOf).max().orElse(0);
        }
        if (value instanceof List<?> l) {
            return 1 + l.stream().mapToInt(EventCodecLimitsTest::depthOf).max().orElse(0);
        }
        return 0;
    }

    @Test
    void theUtf8PaddingHelperBuildsValidEvents() throws Exception {
        Event e = codec.decode("events.user.pad", paddedPayload(200, "x")).event();

        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-29T10:45:28Z"));
        assertThat(e.data()).containsOnlyKeys("pad");
    }
}
