package io.meshbridge.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Batches as gzip members (RFC 1952): a member ends with the CRC-32 and the length of its content, so a
 * complete batch is one whose trailer matches. Stateless and thread-safe.
 */
final class GzipMembers {

    private static final int HEADER_LENGTH = 10;
    private static final int TRAILER_LENGTH = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int INPUT_CHUNK = 64 * 1024;

    private GzipMembers() {
    }

    static byte[] encode(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
        out.write(0x1f);
        out.write(0x8b);
        out.write(Deflater.DEFLATED);
        out.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xff}); // flags, mtime, xfl, os: unknown
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(plain);
            deflater.finish();
            byte[] buffer = new byte[Math.max(512, Math.min(plain.length, 64 * 1024))];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
        } finally {
            deflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(plain);
        writeIntLe(out, (int) crc.getValue());
        writeIntLe(out, plain.length);
        return out.toByteArray();
    }

    /** Passes the content of each complete member to {@code units}; returns the length they span. */
    static long decode(ByteWindow window, Members.UnitConsumer units) throws IOException {
        long valid = 0;
        for (int length = member(window, units); length > 0; length = member(window, units)) {
            window.skip(length);
            valid += length;
        }
        return valid;
    }

    /** Decodes the member at the window's position into {@code units}; returns its length, or -1. */
    private static int member(ByteWindow window, Members.UnitConsumer units) throws IOException {
        int header = headerLength(window);
        if (header < 0) {
            return -1;
        }
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        int end;
        try {
            int given = header;
            byte[] out = new byte[64 * 1024];
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    // the inflater holds no unread input here, so the window may move its buffer
                    int available = window.require(given + INPUT_CHUNK);
                    if (available <= given) {
                        return -1; // cut short
                    }
                    inflater.setInput(window.buffer(), window.offset() + given, available - given);
                    given = available;
                }
                int n = inflater.inflate(out);
                if (n == 0 && inflater.needsDictionary()) {
                    return -1;
                }
                content.write(out, 0, n);
            }
            end = given - inflater.getRemaining();
        } catch (DataFormatException e) {
            return -1;
        } finally {
            inflater.end();
        }
        if (window.require(end + TRAILER_LENGTH) < end + TRAILER_LENGTH) {
            return -1;
        }
        byte[] plain = content.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(plain);
        byte[] data = window.buffer();
        int trailer = window.offset() + end;
        if (readIntLe(data, trailer) != (int) crc.getValue() || readIntLe(data, trailer + 4) != plain.length
                || !Members.endsWithLineBreak(plain, 0, plain.length)) {
            return -1;
        }
        units.accept(plain, 0, plain.length);
        return end + TRAILER_LENGTH;
    }

    /** The length of the member header at the window's position, or -1 when it is not one. */
    private static int headerLength(ByteWindow window) throws IOException {
        if (window.require(HEADER_LENGTH) < HEADER_LENGTH) {
            return -1;
        }
        byte[] data = window.buffer();
        int start = window.offset();
        if ((data[start] & 0xff) != 0x1f || (data[start + 1] & 0xff) != 0x8b || data[start + 2] != Deflater.DEFLATED) {
            return -1;
        }
        int flags = data[start + 3] & 0xff;
        int length = HEADER_LENGTH;
        if ((flags & FEXTRA) != 0) {
            if (window.require(length + 2) < length + 2) {
                return -1;
            }
            data = window.buffer();
            start = window.offset();
            length += 2 + ((data[start + length] & 0xff) | (data[start + length + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                length = afterZero(window, length);
                if (length < 0) {
                    return -1;
                }
            }
        }
        if ((flags & FHCRC) != 0) {
            length += 2;
        }
        return window.require(length) >= length ? length : -1;
    }

    /** The offset just after the next zero byte at or after {@code from}, or -1 at the end. */
    private static int afterZero(ByteWindow window, int from) throws IOException {
        for (int i = from; ; i++) {
            if (window.require(i + 1) < i + 1) {
                return -1;
            }
            if (window.buffer()[window.offset() + i] == 0) {
                return i + 1;
            }
        }
    }

    private static void writeIntLe(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }

    private static int readIntLe(byte[] data, int pos) {
        return (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) << 16
                | (data[pos + 3] & 0xff) << 24;
    }
}
