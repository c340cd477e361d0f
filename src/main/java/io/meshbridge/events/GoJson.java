package io.meshbridge.events;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Go's {@code encoding/json} output, for {@link EventCodec}. Not thread-safe: one writer per encode. */
final class GoJson {

    private GoJson() {
    }

    /** The encoded event would exceed the maximum payload. */
    static final class PayloadTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PayloadTooLarge() {
            super(null, null, false, false);
        }
    }

    /**
     * Writes JSON as Go's {@code encoding/json} does (see the class comment) into a buffer that never grows
     * beyond the maximum payload.
     */
    static final class GoJsonWriter {

        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        /** Go's {@code htmlSafeSet}: the ASCII characters written as they are. */
        private static final boolean[] SAFE = new boolean[128];

        static {
            for (int c = 0x20; c < 128; c++) {
                SAFE[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
            }
        }

        /** Go sorts map keys as strings, that is by their UTF-8 bytes, which is code point order. */
        private static final Comparator<Map.Entry<String, Object>> BY_KEY =
                (a, b) -> compareCodePoints(a.getKey(), b.getKey());

        private final int limit;
        private byte[] buf;
        private int len;

        GoJsonWriter(int limit) {
            this.limit = limit;
            this.buf = new byte[Math.min(256, limit)];
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }

        void put(int b) {
            if (len == buf.length) {
                grow(1);
            }
            buf[len++] = (byte) b;
        }

        /** Writes text known to be ASCII without escapes. */
        void ascii(String s) {
            int n = s.length();
            if (len + n > buf.length) {
                grow(n);
            }
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) s.charAt(i);
            }
        }

        private void grow(int needed) {
            long size = (long) len + needed;
            if (size > limit) {
                throw new PayloadTooLarge();
            }
            buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(size, 2L * buf.length)));
        }

        void string(String s) {
            put('"');
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (SAFE[c]) {
                        put(c);
                        continue;
                    }
                    put('\\');
                    switch (c) {
                        case '"', '\\' -> put(c);
                        case '\b' -> put('b');
                        case '\f' -> put('f');
                        case '\n' -> put('n');
                        case '\r' -> put('r');
                        case '\t' -> put('t');
                        default -> {
                            // the other control characters and <, >, &
                            put('u');
                            put('0');
                            put('0');
                            put(HEX[c >> 4]);
                            put(HEX[c & 0xF]);
                        }
                    }
                } else if (c < 0x800) {
                    put(0xC0 | (c >> 6));
                    put(0x80 | (c & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, s.charAt(++i));
                        put(0xF0 | (cp >> 18));
                        put(0x80 | ((cp >> 12) & 0x3F));
                        put(0x80 | ((cp >> 6) & 0x3F));
                        put(0x80 | (cp & 0x3F));
                    } else {
                        // no UTF-8 form: written as Go writes invalid UTF-8
                        ascii("\\ufffd");
                    }
                } else if (c == '\u2028' || c == '\u2029') {
                    ascii("\\u202");
                    put(HEX[c & 0xF]);
                } else {
                    put(0xE0 | (c >> 12));
                    put(0x80 | ((c >> 6) & 0x3F));
                    put(0x80 | (c & 0x3F));
                }
            }
            put('"');
        }

        /** Writes a map as an object at nesting level {@code depth}, its keys sorted as Go sorts them. */
        void object(Map<?, ?> map, int depth) {
            checkDepth(depth);
            List<Map.Entry<String, Object>> entries = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                entries.add(new AbstractMap.SimpleImmutableEntry<>(keyText(e.getKey()), e.getValue()));
            }
            entries.sort(BY_KEY);
            put('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    put(',');
                }
                string(entries.get(i).getKey());
                put(':');
                value(entries.get(i).getValue(), depth);
            }
            put('}');
        }

        private void array(Collection<?> values, int depth) {
            checkDepth(depth);
            put('[');
            boolean first = true;
            for (Object v : values) {
                if (!first) {
                    put(',');
                }
                first = false;
                value(v, depth);
            }
            put(']');
        }

        /** Writes a value found at nesting level {@code depth}; objects and arrays in it are one level deeper. */
        private void value(Object v, int depth) {
            if (v == null) {
                ascii("null");
            } else if (v instanceof String s) {
                string(s);
            } else if (v instanceof Boolean b) {
                ascii(b ? "true" : "false");
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                    || v instanceof AtomicInteger || v instanceof AtomicLong) {
                ascii(Long.toString(((Number) v).longValue()));
            } else if (v instanceof BigInteger || v instanceof BigDecimal) {
                ascii(v.toString());
            } else if (v instanceof Double d) {
                ascii(goFloat(d, false));
            } else if (v instanceof Float f) {
                ascii(goFloat(f, true));
            } else if (v instanceof Map<?, ?> m) {
                object(m, depth + 1);
            } else if (v instanceof Collection<?> c) {
                array(c, depth + 1);
            } else {
                throw new IllegalArgumentException("a data value of type " + v.getClass().getName()
                        + " is not a JSON value");
            }
        }

        private static void checkDepth(int depth) {
            if (depth > EventCodec.MAX_DEPTH) {
                throw new IllegalArgumentException("event data is nested deeper than " + EventCodec.MAX_DEPTH
                        + " levels (or is cyclic)");
            }
        }

        /** Go's map keys: strings, and integers written in decimal. */
        private static String keyText(Object key) {
            if (key instanceof String s) {
                return s;
            }
            if (key == null) {
                throw new IllegalArgumentException("event data has a map with a null key");
            }
            if (key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte
                    || key instanceof BigInteger) {
                return key.toString();
            }
            throw new IllegalArgumentException("a map key of type " + key.getClass().getName()
                    + " is not a JSON object key");
        }

        private static int compareCodePoints(String a, String b) {
            int n = Math.min(a.length(), b.length());
            for (int i = 0; i < n; i++) {
                char x = a.charAt(i);
                char y = b.charAt(i);
                if (x != y) {
                    // UTF-16 order is code point order except between a surrogate (a code point above
                    // U+FFFF) and a character from U+E000 up
                    boolean xs = Character.isSurrogate(x);
                    if (xs != Character.isSurrogate(y)) {
                        return xs ? 1 : -1;
                    }
                    return x - y;
                }
            }
            return a.length() - b.length();
        }

        /**
         * A finite float64 or float32 as Go writes it: the shortest decimal that reads back as the same value,
         * in plain notation unless its magnitude is below 1e-6 or at least 1e21.
         */
        static String goFloat(double value, boolean float32) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(value + " is not a JSON number");
            }
            if (value == 0) {
                return 1 / value < 0 ? "-0" : "0";
            }
            BigDecimal shortest = shortest(value, float32).stripTrailingZeros();
            double abs = Math.abs(value);
            boolean exponent = float32 ? (float) abs < 1e-6f || (float) abs >= 1e21f : abs < 1e-6 || abs >= 1e21;
            if (!exponent) {
                return shortest.toPlainString();
            }
            String digits = shortest.unscaledValue().abs().toString();
            int exp = digits.length() - 1 - shortest.scale();
            StringBuilder out = new StringBuilder(digits.length() + 8);
            if (shortest.signum() < 0) {
                out.append('-');
            }
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            return out.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp)).toString();
        }

        /**
         * The decimal with the fewest significant digits that rounds to {@code value}; of two such, the nearer
         * one (as Go's {@code strconv.FormatFloat(f, 'g', -1, bits)} picks it).
         */
        private static BigDecimal shortest(double value, boolean float32) {
            BigDecimal exact = new BigDecimal(value);
            for (int digits = 1; digits < 17; digits++) {
                BigDecimal down = exact.round(new MathContext(digits, RoundingMode.FLOOR));
                BigDecimal up = exact.round(new MathContext(digits, RoundingMode.CEILING));
                boolean downOk = readsBack(down, value, float32);
                boolean upOk = readsBack(up, value, float32);
                if (downOk && upOk) {
                    return exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
                }
                if (downOk) {
                    return down;
                }
                if (upOk) {
                    return up;
                }
            }
            return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        }

        private static boolean readsBack(BigDecimal decimal, double value, boolean float32) {
            return float32 ? decimal.floatValue() == (float) value : decimal.doubleValue() == value;
        }
    }
}
