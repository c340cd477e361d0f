package io.meshbridge.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Batches of plain JSON Lines, delimited as gzip members and zstd frames are: the first line of each batch
 * begins with the member {@code "batch":"<length>:<crc32>"}, the byte length and the CRC-32 (8 hex digits)
 * of the batch as it would be without that member. A complete batch is one whose length and checksum match,
 * so a batch torn by a crash or scrambled by a power loss is found and cut, even where it holds whole lines.
 * Every line stays one JSON object; readers ignore the member.
 *
 * <p>Files written before batches were marked begin with a line without it ({@code {"stream":...}}): they
 * are read up to their last line break. Stateless and thread-safe.
 */
final class PlainBatches {

    private static final byte[] MARKED = "{\"batch\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNMARKED = "{\"stream\":".getBytes(StandardCharsets.US_ASCII);
    /** {@code {"batch":"} + up to 10 digits + {@code :} + 8 hex digits + {@code ",}. */
    private static final int LONGEST_MARK = MARKED.length + 10 + 1 + 8 + 2;
    private static final int CHUNK = 64 * 1024;

    private PlainBatches() {
    }

    /** The batch {@code plain} (JSON objects, one a line) with its mark in the first line. */
    static byte[] encode(byte[] plain) {
        if (plain.length < 2 || plain[0] != '{' || plain[plain.length - 1] != '\n') {
            throw new IllegalArgumentException("a batch is JSON objects, one a line");
        }
        CRC32 crc = new CRC32();
        crc.update(plain);
        byte[] member = markMember(plain.length, crc.getValue());
        byte[] out = new byte[plain.length + member.length];
        out[0] = '{';
        System.arraycopy(member, 0, out, 1, member.length);
        System.arraycopy(plain, 1, out, 1 + member.length, plain.length - 1);
        return out;
    }

    /** {@code "batch":"<length>:<crc32 as 8 hex digits>",} (a batch's mark, without the opening brace). */
    static byte[] markMember(int length, long crc) {
        String digits = Integer.toString(length);
        byte[] member = new byte[MARKED.length - 1 + digits.length() + 1 + 8 + 2];
        int pos = MARKED.length - 1;
        System.arraycopy(MARKED, 1, member, 0, pos);
        for (int i = 0; i < digits.length(); i++) {
            member[pos++] = (byte) digits.charAt(i);
        }
        member[pos++] = ':';
        for (int shift = 28; shift >= 0; shift -= 4) {
            member[pos++] = (byte) Character.forDigit((int) (crc >>> shift) & 0xf, 16);
        }
        member[pos++] = '"';
        member[pos] = ',';
        return member;
    }

    /** Passes each complete batch (as stored, mark included) to {@code units}; returns the length they span. */
    static long decode(ByteWindow window, Members.UnitConsumer units) throws IOException {
        int available = window.require(LONGEST_MARK);
        if (startsWith(window, available, MARKED)) {
            return marked(window, units);
        }
        return startsWith(window, available, UNMARKED) ? unmarked(window, units) : 0;
    }

    private static long marked(ByteWindow window, Members.UnitConsumer units) throws IOException {
        long valid = 0;
        while (true) {
            int available = window.require(LONGEST_MARK);
            if (!startsWith(window, available, MARKED)) {
                return valid;
            }
            long[] mark = mark(window.buffer(), window.offset(), available);
            if (mark == null || mark[0] + mark[2] > Integer.MAX_VALUE - 8) {
                return valid;
            }
            int length = (int) mark[0];
            int markLength = (int) mark[2];
            int stored = length + markLength;
            if (window.require(stored) < stored) {
                return valid;
            }
            byte[] data = window.buffer();
            int start = window.offset();
            CRC32 crc = new CRC32();
            crc.update(data, start, 1);
            crc.update(data, start + 1 + markLength, length - 1);
            if (crc.getValue() != mark[1] || !Members.endsWithLineBreak(data, start, stored)) {
                return valid;
            }
            units.accept(data, start, stored);
            window.skip(stored);
            valid += stored;
        }
    }

    /**
     * Parses the mark at {@code start}: {length, crc, length of the member with its comma}, or null when it
     * is not one.
     */
    private static long[] mark(byte[] data, int start, int available) {
        int i = start + MARKED.length;
        int limit = start + available;
        long length = 0;
        int digits = 0;
        while (i < limit && data[i] >= '0' && data[i] <= '9' && digits < 10) {
            length = length * 10 + (data[i++] - '0');
            digits++;
        }
        if (digits == 0 || length < 2 || i + 11 > limit || data[i] != ':') {
            return null;
        }
        long crc = 0;
        for (int k = i + 1; k < i + 9; k++) {
            int hex = Character.digit(data[k], 16);
            if (hex < 0 || data[k] >= 'A' && data[k] <= 'F') {
                return null;
            }
            crc = crc << 4 | hex;
        }
        if (data[i + 9] != '"' || data[i + 10] != ',') {
            return null;
        }
        return new long[] {length, crc, i + 11 - start - 1};
    }

    /** An unmarked file: everything up to its last line break, one window of lines at a time. */
    private static long unmarked(ByteWindow window, Members.UnitConsumer units) throws IOException {
        long valid = 0;
        for (int wanted = CHUNK; ; ) {
            int available = window.require(wanted);
            byte[] data = window.buffer();
            int start = window.offset();
            int end = available;
            while (end > 0 && data[start + end - 1] != '\n') {
                end--;
            }
            if (end > 0) {
                units.accept(data, start, end);
                window.skip(end);
                valid += end;
                wanted = CHUNK;
            } else if (available < wanted) {
                return valid; // the end: what is left has no line break
            } else {
                wanted = (int) Math.min(Integer.MAX_VALUE - 8, wanted * 2L); // a line longer than the window
            }
        }
    }

    private static boolean startsWith(ByteWindow window, int available, byte[] prefix) {
        if (available < prefix.length) {
            return false;
        }
        byte[] data = window.buffer();
        for (int i = 0; i < prefix.length; i++) {
            if (data[window.offset() + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
