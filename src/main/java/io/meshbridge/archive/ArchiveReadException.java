package io.meshbridge.archive;

import java.io.IOException;

/**
 * An archive that cannot be read: its directory is not a directory or cannot be listed (an I/O error, a
 * manifest that is not one), or a file in it cannot be read (an I/O error). The message names the path. Broken
 * content is not such a failure: the reader reads a file's complete batches and {@link ArchiveVerifier}
 * reports the rest. Thrown by {@link ArchiveHistory}, so that a caller can tell it from a failure of the stream.
 */
public final class ArchiveReadException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, caused by {@code cause} (may be {@code null}). */
    public ArchiveReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
