package io.meshbridge.archive.camel;

import io.meshbridge.archive.ArchiveConfig;
import io.meshbridge.archive.Compression;
import io.meshbridge.camel.HealthReporting;
import io.meshbridge.camel.RetentionGaps;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * An {@code archive:<directory>} endpoint: send-only; its {@link ArchiveProducer} archives the events of a
 * {@code mesh:} route below {@code directory}.
 *
 * <p><b>Options</b> (every one has a default; invalid values fail the route's start with a message naming
 * the option):
 * <ul>
 *   <li>{@code layout} ({@value ArchiveConfig#DEFAULT_LAYOUT}): directories below the root, from the UTC
 *   stream time and the event type;</li>
 *   <li>{@code compression} ({@code gzip}): {@code gzip}, {@code zstd} or {@code none};</li>
 *   <li>{@code rollSize} ({@code 64MB}): a file is finished at this size ({@code KB}, {@code MB}, {@code GB}
 *   or bytes);</li>
 *   <li>{@code rollAge} ({@code 1h}): ... or once open this long;</li>
 *   <li>{@code maxOpenFiles} (64): files open at once;</li>
 *   <li>{@code retention} (none): finished files older than this are deleted;</li>
 *   <li>{@code workerId} (the host name): names this worker's files; one writer per directory and worker id;</li>
 *   <li>{@code maxBatch} (1000): most events written and fsynced together.</li>
 * </ul>
 *
 * <p>As a {@link HealthReporting}, it reports a producer whose commit thread failed (see
 * {@link ArchiveProducer}). As a {@link RetentionGaps.HeldFloor}, it tells the {@code mesh:} consumer of its
 * route what its writer holds beyond the acknowledgement floor, so the consumer's gap check does not count
 * it as lost, and hears the floor from each check, so the writer forgets the files wholly below it.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "archive", title = "Mesh archive", syntax = "archive:directory",
             producerOnly = true, category = {Category.FILE})
public class ArchiveEndpoint extends DefaultEndpoint implements HealthReporting, RetentionGaps.HeldFloor {

    @UriPath(description = "The archive root directory; created when missing.")
    @Metadata(required = true)
    private final String directory;

    @UriParam(defaultValue = ArchiveConfig.DEFAULT_LAYOUT, description = "Directory template below the root:"
              + " {yyyy} {MM} {dd} {HH} {mm} of the UTC stream time and {type}.")
    private String layout = ArchiveConfig.DEFAULT_LAYOUT;

    @UriParam(defaultValue = "gzip", enums = "gzip,zstd,none", description = "File compression.")
    private String compression = "gzip";

    @UriParam(defaultValue = "64MB", description = "Finish a file at this size: bytes, or with KB, MB, GB.")
    private String rollSize = "64MB";

    @UriParam(defaultValue = "1h", javaType = "java.time.Duration", description = "Finish a file once open this long.")
    private Duration rollAge = ArchiveConfig.DEFAULT_ROLL_AGE;

    @UriParam(defaultValue = "64", description = "Files open at once; one more finishes the least recently used.")
    private int maxOpenFiles = ArchiveConfig.DEFAULT_MAX_OPEN_FILES;

    @UriParam(javaType = "java.time.Duration", description = "Delete finished files older than this; unset keeps"
              + " them forever.")
    private Duration retention;

    @UriParam(description = "Names this worker's files (default the host name); one writer per directory and id.")
    private String workerId;

    @UriParam(defaultValue = "1000", description = "Most events written and fsynced together.")
    private int maxBatch = 1000;

    private final List<ArchiveProducer> started = new CopyOnWriteArrayList<>();

    /** An endpoint of {@code component} writing below {@code directory}. */
    public ArchiveEndpoint(String uri, ArchiveComponent component, String directory) {
        super(uri, component);
        this.directory = directory;
    }

    @Override
    public Producer createProducer() throws Exception {
        return new ArchiveProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("archive: can only be sent to; read archives with"
                + " 'mesh-bridge archive replay' or the history of 'mesh-bridge events list --archive'");
    }

    /**
     * The writer configuration of the options.
     *
     * @throws IllegalArgumentException naming the option when one is invalid
     */
    public ArchiveConfig archiveConfig() {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("archive option maxBatch must be at least 1, was " + maxBatch);
        }
        ArchiveConfig.Builder b = ArchiveConfig.builder(Path.of(directory));
        b.compression(parseCompression(compression)).rollBytes(parseSize(rollSize)).rollAge(rollAge)
                .maxOpenFiles(maxOpenFiles).retention(retention).workerId(workerId);
        try {
            return b.layout(layout).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("archive:" + directory + ": " + e.getMessage(), e);
        }
    }

    static Compression parseCompression(String value) {
        try {
            return Compression.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("archive option compression must be gzip, zstd or none, was '"
                    + value + "'");
        }
    }

    /** Parses {@code 123}, {@code 64KB}, {@code 64MB}, {@code 1GB} (binary units, case-insensitive). */
    static long parseSize(String value) {
        String s = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"}, {"B", "1"}}) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 1 || n > ArchiveConfig.MAX_ROLL_BYTES / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("archive option rollSize must be 1 byte to 1GB (e.g. 64MB), was '"
                    + value + "'");
        }
    }

    @Override
    public Optional<String> problem() {
        return started.stream().map(ArchiveProducer::problem).flatMap(Optional::stream).findFirst();
    }

    @Override
    public long heldUpTo(String stream, Instant streamCreated) {
        return started.stream().mapToLong(p -> p.heldUpTo(stream, streamCreated)).max().orElse(0);
    }

    @Override
    public Instant heldTime(String stream, Instant streamCreated) {
        return started.stream().map(p -> p.heldTime(stream, streamCreated)).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
    }

    @Override
    public void acknowledgedUpTo(String stream, Instant streamCreated, long ackFloor) {
        started.forEach(p -> p.acknowledgedUpTo(stream, streamCreated, ackFloor));
    }

    /** This endpoint's started producers (one per route sending to it), for their counts. */
    public List<ArchiveProducer> producers() {
        return List.copyOf(started);
    }

    void started(ArchiveProducer producer) {
        started.add(producer);
    }

    void stopped(ArchiveProducer producer) {
        started.remove(producer);
    }

    /** The archive root as given. */
    public String getDirectory() {
        return directory;
    }

    public String getLayout() {
        return layout;
    }

    public void setLayout(String layout) {
        this.layout = layout;
    }

    public String getCompression() {
        return compression;
    }

    public void setCompression(String compression) {
        this.compression = compression;
    }

    public String getRollSize() {
        return rollSize;
    }

    public void setRollSize(String rollSize) {
        this.rollSize = rollSize;
    }

    public Duration getRollAge() {
        return rollAge;
    }

    public void setRollAge(Duration rollAge) {
        this.rollAge = rollAge;
    }

    public int getMaxOpenFiles() {
        return maxOpenFiles;
    }

    public void setMaxOpenFiles(int maxOpenFiles) {
        this.maxOpenFiles = maxOpenFiles;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public String getWorkerId() {
        return workerId;
    }

    public void setWorkerId(String workerId) {
        this.workerId = workerId == null || workerId.isBlank() ? null : workerId;
    }

    public int getMaxBatch() {
        return maxBatch;
    }

    public void setMaxBatch(int maxBatch) {
        this.maxBatch = maxBatch;
    }
}
