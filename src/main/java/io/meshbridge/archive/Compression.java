package io.meshbridge.archive;

/**
 * How archive files are compressed. Every appended batch is one self-contained unit of the format (a gzip
 * member, a zstd frame, or plain lines), so a file cut after any batch is still readable.
 */
public enum Compression {
    /** Plain JSON Lines, {@code .jsonl}. */
    NONE(".jsonl"),
    /** One gzip member per batch, {@code .jsonl.gz}; readable with any gzip tool. */
    GZIP(".jsonl.gz"),
    /** One zstd frame per batch, with a content checksum, {@code .jsonl.zst}. */
    ZSTD(".jsonl.zst");

    private final String extension;

    Compression(String extension) {
        this.extension = extension;
    }

    /** The file name extension of a finished file, with the leading dot. */
    public String extension() {
        return extension;
    }
}
