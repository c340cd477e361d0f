package io.meshbridge.archive;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of an archive writer, validated on construction.
 *
 * @param directory    the archive root; created when missing
 * @param layout       the directory template below the root, tokens {@code {yyyy} {MM} {dd} {HH} {mm}} (UTC
 *                     stream time) and {@code {type}}; default {@value #DEFAULT_LAYOUT}
 * @param compression  the file compression; default {@link Compression#GZIP}
 * @param rollBytes    a file is finished once it holds at least this many bytes; default 64 MiB, at most 1 GiB
 * @param rollAge      a file is finished once it has been open this long; default 1 hour
 * @param maxOpenFiles files open at once; opening one more finishes the least recently used; default 64
 * @param retention    finished files whose newest event is older than this are deleted; {@code null} keeps
 *                     them forever (the default)
 * @param workerId     names this worker's files, so several workers can share a directory; default the host
 *                     name (characters outside {@code A-Z a-z 0-9 . _ -} replaced); at most 64 characters
 */
public record ArchiveConfig(Path directory, String layout, Compression compression, long rollBytes,
                            Duration rollAge, int maxOpenFiles, Duration retention, String workerId) {

    /** The default layout: one directory per UTC hour and event type. */
    public static final String DEFAULT_LAYOUT = "{yyyy}/{MM}/{dd}/{HH}/{type}";
    /** The default roll size, 64 MiB. */
    public static final long DEFAULT_ROLL_BYTES = 64L * 1024 * 1024;
    /** The largest roll size: recovery and reading hold one file in memory. */
    public static final long MAX_ROLL_BYTES = 1024L * 1024 * 1024;
    /** The default roll age. */
    public static final Duration DEFAULT_ROLL_AGE = Duration.ofHours(1);
    /** The default number of open files. */
    public static final int DEFAULT_MAX_OPEN_FILES = 64;

    /** Validates the members and normalises the directory to an absolute path. */
    public ArchiveConfig {
        Objects.requireNonNull(directory, "directory");
        directory = directory.toAbsolutePath().normalize();
        PathLayout.validate(layout);
        Objects.requireNonNull(compression, "compression");
        if (rollBytes < 1 || rollBytes > MAX_ROLL_BYTES) {
            throw new IllegalArgumentException("archive roll size must be 1 byte to 1 GiB, was " + rollBytes);
        }
        if (rollAge == null || rollAge.isNegative() || rollAge.isZero()) {
            throw new IllegalArgumentException("archive roll age must be positive, was " + rollAge);
        }
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException("archive max open files must be at least 1, was " + maxOpenFiles);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("archive retention must be positive or unset, was " + retention);
        }
        if (workerId == null || !workerId.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("archive worker id must be 1 to 64 characters A-Z a-z 0-9 . _ -, "
                    + "not starting with '.' or '-', was '" + workerId + "'");
        }
    }

    /** A builder with the defaults, for the given archive root. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The configuration with every default, for the given archive root. */
    public static ArchiveConfig defaults(Path directory) {
        return builder(directory).build();
    }

    /** The host name as a worker id, or {@code worker} when it is unknown. */
    static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv("HOSTNAME");
        }
        if (host == null || host.isBlank()) {
            return "worker";
        }
        String id = host.replaceAll("[^A-Za-z0-9._-]", "_");
        id = id.length() > 64 ? id.substring(0, 64) : id;
        return id.charAt(0) == '.' || id.charAt(0) == '-' ? "_" + id.substring(1) : id;
    }

    /** Builds an {@link ArchiveConfig}; every setter has a default. Not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private String layout = DEFAULT_LAYOUT;
        private Compression compression = Compression.GZIP;
        private long rollBytes = DEFAULT_ROLL_BYTES;
        private Duration rollAge = DEFAULT_ROLL_AGE;
        private int maxOpenFiles = DEFAULT_MAX_OPEN_FILES;
        private Duration retention;
        private String workerId;

        private Builder(Path directory) {
            this.directory = directory;
        }

        /** Sets the layout template. */
        public Builder layout(String value) {
            this.layout = value;
            return this;
        }

        /** Sets the compression. */
        public Builder compression(Compression value) {
            this.compression = value;
            return this;
        }

        /** Sets the roll size in bytes. */
        public Builder rollBytes(long value) {
            this.rollBytes = value;
            return this;
        }

        /** Sets the roll age. */
        public Builder rollAge(Duration value) {
            this.rollAge = value;
            return this;
        }

        /** Sets the number of files open at once. */
        public Builder maxOpenFiles(int value) {
            this.maxOpenFiles = value;
            return this;
        }

        /** Sets the retention; {@code null} keeps finished files forever. */
        public Builder retention(Duration value) {
            this.retention = value;
            return this;
        }

        /** Sets the worker id. */
        public Builder workerId(String value) {
            this.workerId = value;
            return this;
        }

        /** Builds and validates the configuration. */
        public ArchiveConfig build() {
            return new ArchiveConfig(directory, layout, compression, rollBytes, rollAge, maxOpenFiles, retention,
                    workerId != null ? workerId : defaultWorkerId());
        }
    }
}
