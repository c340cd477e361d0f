package io.meshbridge.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A property-style round trip: random events, encoded and decoded, come back equal. Values are generated in
 * the types the decoder produces (Integer, Long beyond int, BigInteger beyond long, BigDecimal with a
 * fraction), so that equality is exact.
 */
class EventCodecRoundTripTest {

    private static final int EVENTS = 1_000;

    /** Code points that exercise escaping and UTF-8: quotes, backslash, controls, HTML, separators, non-BMP. */
    private static final int[] SPECIAL = {'"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0x00, 0x01, 0x1f, 0x7f,
        '<', '>', '&', 0x2028, 0x2029, 0xe9, 0xfc, 0x65e5, 0x2713, 0xfffd, 0xffff, 0xff01, 0x1f600, 0x10ffff,
        0x80, 0x7ff, 0x800};

    private final EventCodec codec = EventCodec.defaults();

    @Test
    void randomEventsSurviveEncodeThenDecode() throws Exception {
        Random random = new Random(0x6d657368L);
        for (int i = 0; i < EVENTS; i++) {
            Event event = randomEvent(random);

            byte[] encoded = codec.encode(event);
            ReceivedEvent decoded = codec.decode(event.subject(), encoded);

            assertThat(decoded.event()).as("event %d: %s", i, new String(encoded, UTF_8)).isEqualTo(event);
            assertThat(decoded.typeInferred()).isFalse();
            assertThat(codec.encode(decoded.event())).as("event %d re-encoded", i).isEqualTo(encoded);
        }
    }

    @Test
    void theGeneratorCoversEveryKindOfValue() {
        Random random = new Random(0x6d657368L);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            Event event = randomEvent(random);
            if (event.data() != null) {
                collect(event.data(), values);
            }
        }

        assertThat(values).hasAtLeastOneElementOfType(String.class)
                .hasAtLeastOneElementOfType(Integer.class)
                .hasAtLeastOneElementOfType(Long.class)
                .hasAtLeastOneElementOfType(BigInteger.class)
                .hasAtLeastOneElementOfType(BigDecimal.class)
                .hasAtLeastOneElementOfType(Boolean.class)
                .hasAtLeastOneElementOfType(List.class)
                .hasAtLeastOneElementOfType(Map.class)
                .containsNull();
    }

    private static void collect(Object value, List<Object> into) {
        into.add(value);
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collect(v, into));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collect(v, into));
        }
    }

    // --- generator ---

    static Event randomEvent(Random random) {
        String type = randomType(random);
        String node = randomString(random, 12);
        Instant timestamp = random.nextInt(20) == 0 ? Timestamps.GO_ZERO_TIME : randomInstant(random);
        Map<String, Object> data = random.nextInt(10) == 0 ? null : randomMap(random, 0);
        return new Event(type, node, timestamp, data);
    }

    private static String randomType(Random random) {
        String[] kinds = {"tool", "node", "user"};
        StringBuilder type = new StringBuilder(kinds[random.nextInt(kinds.length)]);
        int tokens = 1 + random.nextInt(3);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_\u00fc\u65e5<&\"\\";
        for (int t = 0; t < tokens; t++) {
            type.append('.');
            int length = 1 + random.nextInt(8);
            for (int c = 0; c < length; c++) {
                type.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return type.toString();
    }

    private static Instant randomInstant(Random random) {
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        long seconds = min + (long) (random.nextDouble() * (max - min));
        int nanos = random.nextBoolean() ? 0 : random.nextInt(1_000_000_000);
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static String randomString(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(4);
            if (kind == 0) {
                s.appendCodePoint(SPECIAL[random.nextInt(SPECIAL.length)]);
            } else if (kind == 1) {
                s.appendCodePoint(randomCodePoint(random));
            } else {
                s.append((char) (' ' + random.nextInt(0x7f - ' ')));
            }
        }
        return s.toString();
    }

    /** Any Unicode scalar value: no surrogate halves, which no producer can write. */
    private static int randomCodePoint(Random random) {
        while (true) {
            int cp = random.nextInt(Character.MAX_CODE_POINT + 1);
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                return cp;
            }
        }
    }

    private static Map<String, Object> randomMap(Random random, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            map.put(randomString(random, 6), randomValue(random, depth + 1));
        }
        return map;
    }

    private static Object randomValue(Random random, int depth) {
        int kinds = depth < 5 ? 12 : 10;
        return switch (random.nextInt(kinds)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> randomLongBeyondInt(random);
            case 4 -> randomBigIntegerBeyondLong(random);
            case 5 -> randomBigDecimalWithFraction(random);
            case 6, 7, 8, 9 -> randomString(random, 24);
            case 10 -> randomList(random, depth);
            default -> randomMap(random, depth);
        };
    }

    private static List<Object> randomList(Random random, int depth) {
        List<Object> list = new ArrayList<>();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            list.add(randomValue(random, depth + 1));
        }
        return list;
    }

    private static long randomLongBeyondInt(Random random) {
        long value = random.nextLong();
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            value += value < 0 ? -(1L << 40) : 1L << 40;
        }
        return value;
    }

    private static BigInteger randomBigIntegerBeyondLong(Random random) {
        // at least 2^63 + 1, so that neither it nor its negation fits in a long
        BigInteger magnitude = BigInteger.ONE.shiftLeft(63).add(BigInteger.ONE)
                .add(new BigInteger(1 + random.nextInt(120), random));
        return random.nextBoolean() ? magnitude : magnitude.negate();
    }

    private static BigDecimal randomBigDecimalWithFraction(Random random) {
        BigInteger unscaled = new BigInteger(1 + random.nextInt(100), random);
        BigDecimal value = new BigDecimal(unscaled, 1 + random.nextInt(30));
        return random.nextBoolean() ? value : value.negate();
    }
}
