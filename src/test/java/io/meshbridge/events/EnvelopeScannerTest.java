package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path of {@link EventCodec#scan} answers for the common shape and agrees with the full parser on
 * everything: the same head, or the same refusal (it falls back to the parser whenever in doubt).
 */
class EnvelopeScannerTest {

    private static final String JSON_CHARS = "{}[]\",:\\ 0-.eEu";

    private final EventCodec codec = EventCodec.defaults();

    @Test
    void answersForTheCommonShapeWithoutTheParser() {
        String plain = "{\"type\":\"tool.crashed\",\"node\":\"gpu-box\",\"timestamp\":\"2026-11-29T11:45:28.1234+01:00\","
                + "\"data\":{\"error\":\"OOM \\\"killed\\\" é\",\"n\":[1,-2.5e3,true,null,{}],\"big\":123456789012345678901234}}";
        EnvelopeScanner.Members m = EnvelopeScanner.scan(bytes(plain), EventCodec.MAX_DEPTH);
        assertThat(m).isEqualTo(new EnvelopeScanner.Members("tool.crashed", "gpu-box", "2026-11-29T11:45:28.1234+01:00"));
        assertThat(EnvelopeScanner.scan(bytes(" {\"type\":null,\"data\":null} \n"), EventCodec.MAX_DEPTH))
                .isEqualTo(new EnvelopeScanner.Members(null, null, null));
        // every reference sample but the one with non-ASCII members takes the fast path
        assertThat(Samples.decodable().stream()
                .filter(s -> EnvelopeScanner.scan(s.payload(), EventCodec.MAX_DEPTH) == null)
                .map(Samples.Sample::name)).containsExactly("unicode");
    }

    @Test
    void leavesDoubtfulInputToTheParser() {
        for (String doubtful : List.of(
                "{\"type\":\"a.b\",\"type\":\"a.c\"}", "{\"ty\\u0070e\":\"a.b\"}", "{\"type\":\"a\\u002eb\"}",
                "{\"type\":\"a.b\",\"data\":{\"n\":01}}", "{\"type\":\"a.b\",\"data\":{\"s\":\"\\x\"}}",
                "{\"type\":\"a.b\",\"data\":[]}", "{\"type\":\"a.b\"} {}", "{\"type\":\"a.b\",}",
                "{\"type\":\"a.b\",\"data\":{\"n\":1" + "0".repeat(200) + "}}", "\uFEFF{\"type\":\"a.b\"}")) {
            assertThat(EnvelopeScanner.scan(bytes(doubtful), EventCodec.MAX_DEPTH)).as(doubtful).isNull();
        }
        byte[] invalidUtf8 = bytes("{\"type\":\"a.b\",\"data\":{\"s\":\"xx\"}}");
        invalidUtf8[27] = (byte) 0xc0;
        invalidUtf8[28] = (byte) 0xaf;
        assertThat(EnvelopeScanner.scan(invalidUtf8, EventCodec.MAX_DEPTH)).isNull();
        byte[] surrogate = bytes("{\"type\":\"a.b\",\"data\":{\"s\":\"xxx\"}}");
        surrogate[27] = (byte) 0xed;
        surrogate[28] = (byte) 0xa0;
        surrogate[29] = (byte) 0x80;
        assertThat(EnvelopeScanner.scan(surrogate, EventCodec.MAX_DEPTH)).isNull();
    }

    @Test
    void staysWithinTheNestingLimit() {
        assertThat(EnvelopeScanner.scan(nested(EventCodec.MAX_DEPTH - 2), EventCodec.MAX_DEPTH)).isNotNull();
        assertThat(EnvelopeScanner.scan(nested(EventCodec.MAX_DEPTH), EventCodec.MAX_DEPTH)).isNull();
        for (int depth = EventCodec.MAX_DEPTH - 3; depth <= EventCodec.MAX_DEPTH + 2; depth++) {
            assertAgrees("x", nested(depth));
        }
    }

    @Test
    void agreesWithTheParserOnMutatedSamples() {
        Random random = new Random(20261201L);
        List<Samples.Sample> samples = Samples.all();
        for (int i = 0; i < 30_000; i++) {
            Samples.Sample sample = samples.get(random.nextInt(samples.size()));
            assertAgrees(sample.subject(), mutate(sample.payload(), random));
        }
    }

    private void assertAgrees(String subject, byte[] payload) {
        EventHead fast = null;
        EventHead parsed = null;
        String fastError = null;
        String parsedError = null;
        try {
            fast = codec.scan(subject, payload);
        } catch (EventDecodeException e) {
            fastError = e.getMessage();
        }
        try {
            parsed = codec.scanWithParser(subject, payload);
        } catch (EventDecodeException e) {
            parsedError = e.getMessage();
        }
        String input = new String(payload, StandardCharsets.ISO_8859_1);
        assertThat(fast).as(input).isEqualTo(parsed);
        assertThat(fastError).as(input).isEqualTo(parsedError);
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length > 1; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] = (byte) JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = (byte) JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
                default -> {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
            }
        }
        return b;
    }

    private static byte[] nested(int depth) {
        return bytes("{\"type\":\"a.b\",\"data\":" + "{\"a\":".repeat(depth - 1) + "1" + "}".repeat(depth - 1) + "}");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
