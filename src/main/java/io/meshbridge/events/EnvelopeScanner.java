package io.meshbridge.events;

import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link EventCodec#scan}: one pass over the bytes that checks the JSON (RFC 8259, UTF-8, with
 * the codec's nesting and number limits) and finds the envelope's {@code type}, {@code node} and
 * {@code timestamp}, without a parser object, tokens or any allocation but the three strings.
 *
 * <p>It only ever answers for the plain, common shape: it returns the three strings when the payload is
 * certainly well-formed JSON and the three members are ASCII strings without escapes (or {@code null}), each
 * member at most once, {@code data} an object or {@code null}; and {@code null} for anything else (malformed,
 * unusual or merely doubtful), which the full parser then decides, with its exact error. So it is stricter than
 * the parser, never more lenient. Stateless and thread-safe.
 */
final class EnvelopeScanner {

    private static final byte[] TYPE = bytes("type");
    private static final byte[] NODE = bytes("node");
    private static final byte[] TIMESTAMP = bytes("timestamp");
    private static final byte[] DATA = bytes("data");
    /** Numbers longer than this are left to the parser and its own limit. */
    private static final int MAX_NUMBER = 100;

    /** The members found: {@code type}, {@code node}, {@code timestamp} (each {@code null} when absent or null). */
    record Members(String type, String node, String timestamp) {
    }

    private final byte[] b;
    private final int maxDepth;
    private int pos;

    private EnvelopeScanner(byte[] b, int maxDepth) {
        this.b = b;
        this.maxDepth = maxDepth;
    }

    /** The members of a plain, well-formed envelope; {@code null} when the full parser must decide. */
    static Members scan(byte[] payload, int maxDepth) {
        return new EnvelopeScanner(payload, maxDepth).envelope();
    }

    private Members envelope() {
        String type = null;
        String node = null;
        String timestamp = null;
        int seen = 0;
        ws();
        if (!take('{')) {
            return null;
        }
        ws();
        if (!take('}')) {
            while (true) {
                int keyStart = pos + 1;
                if (!plainString()) {
                    return null;
                }
                int keyEnd = pos - 1;
                ws();
                if (!take(':')) {
                    return null;
                }
                ws();
                int member = member(keyStart, keyEnd);
                if (member != 0) {
                    if ((seen & member) != 0) {
                        return null;
                    }
                    seen |= member;
                }
                if (member == 8) {
                    if (!(at('{') ? value(2) : literal("null"))) {
                        return null;
                    }
                } else if (member != 0) {
                    String text;
                    if (literal("null")) {
                        text = null;
                    } else {
                        int start = pos + 1;
                        if (!plainString()) {
                            return null;
                        }
                        text = new String(b, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
                    }
                    switch (member) {
                        case 1 -> type = text;
                        case 2 -> node = text;
                        default -> timestamp = text;
                    }
                } else if (!value(2)) {
                    return null;
                }
                ws();
                if (take('}')) {
                    break;
                }
                if (!take(',')) {
                    return null;
                }
                ws();
            }
        }
        ws();
        return pos == b.length ? new Members(type, node, timestamp) : null;
    }

    /** 1 type, 2 node, 4 timestamp, 8 data, 0 any other key. */
    private int member(int start, int end) {
        if (is(TYPE, start, end)) {
            return 1;
        }
        if (is(NODE, start, end)) {
            return 2;
        }
        if (is(TIMESTAMP, start, end)) {
            return 4;
        }
        return is(DATA, start, end) ? 8 : 0;
    }

    private boolean is(byte[] name, int start, int end) {
        if (end - start != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** Any JSON value; a container here would be at nesting depth {@code depth} (the envelope is 1). */
    private boolean value(int depth) {
        if (pos >= b.length) {
            return false;
        }
        return switch (b[pos]) {
            case '{' -> depth < maxDepth && container(depth, '}', true);
            case '[' -> depth < maxDepth && container(depth, ']', false);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    private boolean container(int depth, char close, boolean object) {
        pos++;
        ws();
        if (take(close)) {
            return true;
        }
        while (true) {
            if (object) {
                if (!string()) {
                    return false;
                }
                ws();
                if (!take(':')) {
                    return false;
                }
                ws();
            }
            if (!value(depth + 1)) {
                return false;
            }
            ws();
            if (take(close)) {
                return true;
            }
            if (!take(',')) {
                return false;
            }
            ws();
        }
    }

    /** A string of printable ASCII without escapes. */
    private boolean plainString() {
        if (!take('"')) {
            return false;
        }
        while (pos < b.length) {
            int c = b[pos++];
            if (c == '"') {
                return true;
            }
            if (c < 0x20 || c == '\\' || c == 0x7f) {
                return false;
            }
        }
        return false;
    }

    /** Any JSON string: escapes checked, control characters refused, UTF-8 checked strictly. */
    private boolean string() {
        if (!take('"')) {
            return false;
        }
        while (pos < b.length) {
            int c = b[pos++] & 0xff;
            if (c == '"') {
                return true;
            }
            if (c == '\\') {
                if (!escape()) {
                    return false;
                }
            } else if (c < 0x20) {
                return false;
            } else if (c >= 0x80 && !utf8(c)) {
                return false;
            }
        }
        return false;
    }

    private boolean escape() {
        if (pos >= b.length) {
            return false;
        }
        int c = b[pos++];
        if (c == 'u') {
            for (int i = 0; i < 4; i++) {
                if (pos >= b.length || Character.digit(b[pos++], 16) < 0) {
                    return false;
                }
            }
            return true;
        }
        return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't';
    }

    /** The rest of a multi-byte sequence starting with {@code lead}: no overlong forms, no surrogates. */
    private boolean utf8(int lead) {
        int more;
        int min;
        if (lead >= 0xc2 && lead <= 0xdf) {
            more = 1;
            min = 0x80;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            more = 2;
            min = 0x800;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            more = 3;
            min = 0x10000;
        } else {
            return false;
        }
        int cp = lead & (0x3f >> more);
        for (int i = 0; i < more; i++) {
            if (pos >= b.length || (b[pos] & 0xc0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (b[pos++] & 0x3f);
        }
        return cp >= min && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    }

    /** A number as RFC 8259 writes it, at most {@value #MAX_NUMBER} characters. */
    private boolean number() {
        int start = pos;
        take('-');
        if (take('0')) {
            if (isDigit()) {
                return false;
            }
        } else if (!digits()) {
            return false;
        }
        if (take('.') && !digits()) {
            return false;
        }
        if (take('e') || take('E')) {
            if (!take('+')) {
                take('-');
            }
            if (!digits()) {
                return false;
            }
        }
        return pos - start <= MAX_NUMBER;
    }

    private boolean digits() {
        int start = pos;
        while (isDigit()) {
            pos++;
        }
        return pos > start;
    }

    private boolean isDigit() {
        return pos < b.length && b[pos] >= '0' && b[pos] <= '9';
    }

    private boolean literal(String word) {
        int n = word.length();
        if (pos + n > b.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    private boolean at(char c) {
        return pos < b.length && b[pos] == c;
    }

    private boolean take(char c) {
        if (at(c)) {
            pos++;
            return true;
        }
        return false;
    }

    private void ws() {
        while (pos < b.length && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
            pos++;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
