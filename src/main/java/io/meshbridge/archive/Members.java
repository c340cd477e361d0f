package io.meshbridge.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes a batch of lines as one unit of a file's compression and finds the complete units of a file again,
 * which is how a torn last batch is found and cut: a gzip member ({@link GzipMembers}), a zstd frame
 * ({@link ZstdFrames}), a plain batch with its length and checksum in its first line ({@link PlainBatches}).
 * Files are read forward holding one unit at a time. Stateless and thread-safe.
 */
final class Members {

    /**
     * The complete units at the start of a file.
     *
     * @param validLength the length of the longest prefix made of complete units, each ending in a line break
     * @param plain       the content of that prefix (with plain files, as stored)
     */
    record Decoded(long validLength, byte[] plain) {
    }

    /** Receives the content of one complete unit; the array may be reused after the call. */
    @FunctionalInterface
    interface UnitConsumer {
        void accept(byte[] data, int offset, int length);
    }

    private Members() {
    }

    /** One unit holding {@code plain}: JSON objects, one a line, ending with a line break. */
    static byte[] encode(Compression compression, byte[] plain) {
        return switch (compression) {
            case NONE -> PlainBatches.encode(plain);
            case GZIP -> GzipMembers.encode(plain);
            case ZSTD -> ZstdFrames.encode(plain);
        };
    }

    /**
     * Passes the content of each complete unit from the window's position to {@code units}, one at a time;
     * returns the length of that prefix. The window is left at its end.
     */
    static long decode(Compression compression, ByteWindow window, UnitConsumer units) throws IOException {
        return switch (compression) {
            case NONE -> PlainBatches.decode(window, units);
            case GZIP -> GzipMembers.decode(window, units);
            case ZSTD -> ZstdFrames.decode(window, units);
        };
    }

    /** Splits {@code data} into its longest prefix of complete units, collecting their content. */
    static Decoded decode(Compression compression, byte[] data) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try {
            long valid = decode(compression, new ByteWindow(new ByteArrayInputStream(data), data.length),
                    plain::write);
            return new Decoded(valid, plain.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("reading an array does not fail", e);
        }
    }

    static boolean endsWithLineBreak(byte[] data, int offset, int length) {
        return length > 0 && data[offset + length - 1] == '\n';
    }
}
