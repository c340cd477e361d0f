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

    /** Splits {@code data} into its longest prefix of complete units. */
    static Decoded decode(Compression compression, byte[] data) {
        return switch (compression) {
            case NONE -> plainPrefix(data);
            case GZIP -> gunzipMembers(data);
            case ZSTD -> zstdFrames(data);
        };
    }

    private static Decoded plainPrefix(byte[] data) {
        int end = data.length;
        while (end > 0 && data[end - 1] != '\n') {
            end--;
        }
        byte[] plain = end == data.length ? data : java.util.Arrays.copyOf(data, end);
        return new Decoded(end, plain);
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

    private static Decoded gunzipMembers(byte[] data) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream((int) Math.min(data.length * 4L, 1 << 20) + 32);
        int valid = 0;
        while (valid < data.length) {
            int end = gunzipMember(data, valid, plain);
            if (end < 0) {
                break;
            }
            valid = end;
        }
        return new Decoded(valid, plain.toByteArray());
    }

    /** Decodes the member at {@code start} into {@code out}; returns its end, or -1 when it is not complete. */
    private static int gunzipMember(byte[] data, int start, ByteArrayOutputStream out) {
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
        out.writeBytes(content);
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

    private static Decoded zstdFrames(byte[] data) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream((int) Math.min(data.length * 4L, 1 << 20) + 32);
        int valid = 0;
        while (valid < data.length) {
            try {
                long frameLength = Zstd.findFrameCompressedSize(data, valid, data.length - valid);
                if (frameLength <= 0 || frameLength > data.length - valid) {
                    break;
                }
                byte[] frame = java.util.Arrays.copyOfRange(data, valid, valid + (int) frameLength);
                long size = Zstd.getFrameContentSize(frame);
                if (size < 0 || size > Integer.MAX_VALUE) {
                    break;
                }
                byte[] content = Zstd.decompress(frame, (int) size);
                if (content.length != size || !endsWithLineBreak(content)) {
                    break;
                }
                plain.writeBytes(content);
                valid += (int) frameLength;
            } catch (RuntimeException e) {
                // a truncated or damaged frame: the valid prefix ends before it
                break;
            }
        }
        return new Decoded(valid, plain.toByteArray());
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
