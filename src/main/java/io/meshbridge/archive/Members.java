package io.meshbridge.archive;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Encodes a batch of lines as one unit of a file's compression (a gzip member, a zstd frame, the plain bytes)
 * and splits file bytes back into complete units, which is how a torn last batch is found and cut.
 * Stateless and thread-safe.
 */
final class Members {

    private static final int GZIP_HEADER_LENGTH = 10;
    private static final int GZIP_TRAILER_LENGTH = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int ZSTD_LEVEL = 3;

    /**
     * The complete units at the start of a file.
     *
     * @param validLength the length of the longest prefix made of complete units, each ending in a line break
     * @param plain       the decompressed content of that prefix
     */
    record Decoded(long validLength, byte[] plain) {
    }

    private Members() {
    }

    /** One unit holding {@code plain}, which ends with a line break. */
    static byte[] encode(Compression compression, byte[] plain) {
        return switch (compression) {
            case NONE -> plain;
            case GZIP -> gzip(plain);
            case ZSTD -> zstd(plain);
        };
    }

    /** Receives the content of one complete unit; the array may be reused after the call. */
    @FunctionalInterface
    interface UnitConsumer {
        void accept(byte[] data, int offset, int length);
    }

    /** Splits {@code data} into its longest prefix of complete units, collecting their content. */
    static Decoded decode(Compression compression, byte[] data) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        long valid = decode(compression, data, plain::write);
        return new Decoded(valid, plain.toByteArray());
    }

    /**
     * Passes the content of each complete unit at the start of {@code data} to {@code units}, one at a time
     * (a file's content is never held whole); returns the length of that prefix.
     */
    static long decode(Compression compression, byte[] data, UnitConsumer units) {
        return switch (compression) {
            case NONE -> plainPrefix(data, units);
            case GZIP -> gunzipMembers(data, units);
            case ZSTD -> zstdFrames(data, units);
        };
    }

    private static long plainPrefix(byte[] data, UnitConsumer units) {
        int end = data.length;
        while (end > 0 && data[end - 1] != '\n') {
            end--;
        }
        units.accept(data, 0, end);
        return end;
    }

    private static byte[] gzip(byte[] plain) {
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

    private static long gunzipMembers(byte[] data, UnitConsumer units) {
        int valid = 0;
        while (valid < data.length) {
            int end = gunzipMember(data, valid, units);
            if (end < 0) {
                break;
            }
            valid = end;
        }
        return valid;
    }

    /** Decodes the member at {@code start} into {@code units}; returns its end, or -1 when it is not complete. */
    private static int gunzipMember(byte[] data, int start, UnitConsumer units) {
        int pos = headerEnd(data, start);
        if (pos < 0) {
            return -1;
        }
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try {
            inflater.setInput(data, pos, data.length - pos);
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return -1;
                }
                member.write(buffer, 0, n);
            }
            pos = data.length - inflater.getRemaining();
        } catch (DataFormatException e) {
            return -1;
        } finally {
            inflater.end();
        }
        if (data.length - pos < GZIP_TRAILER_LENGTH) {
            return -1;
        }
        byte[] content = member.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(content);
        if (readIntLe(data, pos) != (int) crc.getValue() || readIntLe(data, pos + 4) != content.length
                || !endsWithLineBreak(content)) {
            return -1;
        }
        units.accept(content, 0, content.length);
        return pos + GZIP_TRAILER_LENGTH;
    }

    private static int headerEnd(byte[] data, int start) {
        if (data.length - start < GZIP_HEADER_LENGTH || (data[start] & 0xff) != 0x1f
                || (data[start + 1] & 0xff) != 0x8b || data[start + 2] != Deflater.DEFLATED) {
            return -1;
        }
        int flags = data[start + 3] & 0xff;
        int pos = start + GZIP_HEADER_LENGTH;
        if ((flags & FEXTRA) != 0) {
            if (data.length - pos < 2) {
                return -1;
            }
            pos += 2 + ((data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                while (pos < data.length && data[pos] != 0) {
                    pos++;
                }
                pos++;
            }
        }
        if ((flags & FHCRC) != 0) {
            pos += 2;
        }
        return pos <= data.length ? pos : -1;
    }

    private static byte[] zstd(byte[] plain) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(ZSTD_LEVEL);
            ctx.setChecksum(true);
            return ctx.compress(plain);
        }
    }

    private static long zstdFrames(byte[] data, UnitConsumer units) {
        int valid = 0;
        while (valid < data.length) {
            int frameLength = zstdFrameLength(data, valid);
            byte[] content = frameLength < 0 ? null
                    : zstdFrame(java.util.Arrays.copyOfRange(data, valid, valid + frameLength));
            if (content == null) {
                break;
            }
            units.accept(content, 0, content.length);
            valid += frameLength;
        }
        return valid;
    }

    /** The length of the complete frame at {@code start}, or -1. */
    private static int zstdFrameLength(byte[] data, int start) {
        try {
            long length = Zstd.findFrameCompressedSize(data, start, data.length - start);
            return length > 0 && length <= data.length - start ? (int) length : -1;
        } catch (RuntimeException e) {
            return -1; // truncated or damaged
        }
    }

    /** The content of one frame when it decompresses, matches its checksum and ends a line; else null. */
    private static byte[] zstdFrame(byte[] frame) {
        try {
            long size = Zstd.getFrameContentSize(frame);
            if (size < 0 || size > Integer.MAX_VALUE) {
                return null;
            }
            byte[] content = Zstd.decompress(frame, (int) size);
            return content.length == size && endsWithLineBreak(content) ? content : null;
        } catch (RuntimeException e) {
            return null; // damaged
        }
    }

    private static boolean endsWithLineBreak(byte[] content) {
        return content.length > 0 && content[content.length - 1] == '\n';
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
