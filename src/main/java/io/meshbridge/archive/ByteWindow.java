package io.meshbridge.archive;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Reads a file forward through a window that holds only what the current unit (one batch) needs, and computes
 * the SHA-256 of every byte read. Reads at most the length given at the start, so a file that grows meanwhile
 * (a {@code .part} file being written) is read as it was then. Not thread-safe.
 */
final class ByteWindow {

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final MessageDigest digest = ArchiveFiles.newSha256();
    private long unread;
    private byte[] buffer = new byte[CHUNK];
    private int offset;
    private int end;
    private long position;

    /** A window over the first {@code length} bytes of {@code in}. */
    ByteWindow(InputStream in, long length) {
        this.in = in;
        this.unread = length;
    }

    /**
     * Makes at least {@code n} bytes available from the current position, fewer only at the end; returns how
     * many are available (possibly more than {@code n}).
     */
    int require(int n) throws IOException {
        int available = end - offset;
        if (available >= n || unread == 0) {
            return available;
        }
        int wanted = (int) Math.min(n, available + unread);
        if (offset + wanted > buffer.length) {
            byte[] target = wanted > buffer.length ? new byte[Math.max(wanted, buffer.length * 2)] : buffer;
            System.arraycopy(buffer, offset, target, 0, available);
            buffer = target;
            end = available;
            offset = 0;
        }
        while (end - offset < wanted) {
            int read = in.read(buffer, end, (int) Math.min(buffer.length - end, unread));
            if (read < 0) {
                unread = 0; // the file shrank
                break;
            }
            digest.update(buffer, end, read);
            end += read;
            unread -= read;
        }
        return end - offset;
    }

    /** The array holding the available bytes, from {@link #offset()}; valid until the next {@link #require}. */
    byte[] buffer() {
        return buffer;
    }

    /** Where the byte at the current position is in {@link #buffer()}. */
    int offset() {
        return offset;
    }

    /** Moves the position forward over {@code n} available bytes. */
    void skip(int n) {
        if (n < 0 || n > end - offset) {
            throw new IllegalArgumentException("cannot skip " + n + " of " + (end - offset) + " available bytes");
        }
        offset += n;
        position += n;
    }

    /** The number of bytes before the current position. */
    long position() {
        return position;
    }

    /** Reads the rest without keeping it; returns the total length read. */
    long drain() throws IOException {
        skip(end - offset);
        while (unread > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, unread));
            if (read < 0) {
                break;
            }
            digest.update(buffer, 0, read);
            unread -= read;
            position += read;
        }
        offset = 0;
        end = 0;
        return position;
    }

    /** The SHA-256 (hex) of the bytes read so far; call once, after {@link #drain()}. */
    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
