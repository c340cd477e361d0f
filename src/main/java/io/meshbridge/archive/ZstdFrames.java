package io.meshbridge.archive;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;

/**
 * Batches as zstd frames with their content size and checksum, so a complete batch is a frame that
 * decompresses to its stated size and matches its checksum. Stateless and thread-safe.
 */
final class ZstdFrames {

    private static final int LEVEL = 3;
    private static final int FIRST_LOOK = 64 * 1024;

    private ZstdFrames() {
    }

    static byte[] encode(byte[] plain) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(LEVEL);
            ctx.setChecksum(true);
            return ctx.compress(plain);
        }
    }

    /** Passes the content of each complete frame to {@code units}; returns the length they span. */
    static long decode(ByteWindow window, Members.UnitConsumer units) throws IOException {
        long valid = 0;
        for (int length = frameLength(window); length > 0 && frame(window, length, units);
                length = frameLength(window)) {
            window.skip(length);
            valid += length;
        }
        return valid;
    }

    /** The length of the complete frame at the window's position, or -1; reads as much as the frame needs. */
    private static int frameLength(ByteWindow window) throws IOException {
        for (int wanted = FIRST_LOOK; ; wanted = (int) Math.min(Integer.MAX_VALUE - 8, wanted * 2L)) {
            int available = window.require(wanted);
            if (available == 0) {
                return -1;
            }
            try {
                long length = Zstd.findFrameCompressedSize(window.buffer(), window.offset(), available);
                return length > 0 && length <= available ? (int) length : -1;
            } catch (ZstdException e) {
                if (e.getErrorCode() != Zstd.errSrcSizeWrong() || available < wanted) {
                    return -1; // damaged, or cut short
                }
            } catch (RuntimeException e) {
                return -1; // damaged
            }
        }
    }

    /** Passes the frame's content to {@code units} when it decompresses, matches its checksum and ends a line. */
    private static boolean frame(ByteWindow window, int length, Members.UnitConsumer units) {
        byte[] data = window.buffer();
        int start = window.offset();
        try {
            long size = Zstd.getFrameContentSize(data, start, length);
            if (size < 0 || size > Integer.MAX_VALUE - 8) {
                return false;
            }
            byte[] content = new byte[(int) size];
            long written = Zstd.decompressByteArray(content, 0, content.length, data, start, length);
            if (written != size || !Members.endsWithLineBreak(content, 0, content.length)) {
                return false;
            }
            units.accept(content, 0, content.length);
            return true;
        } catch (RuntimeException e) {
            return false; // damaged
        }
    }
}
