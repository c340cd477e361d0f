package io.meshbridge.archive;

import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.Timestamps;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when the stream dropped events before the archive got them (its limits ran out while the worker was
 * down or far behind): logs the gap, counts it and emits a {@value #GAP_TYPE} event with the sequence and
 * time range.
 *
 * <p>The archived part is what the writer holds of the stream incarnation (its high-water mark), or, when it
 * holds nothing, what the durable consumer has acknowledged; everything after that and before the stream's
 * first message is lost. When nothing of the incarnation was ever archived or acknowledged the archive simply
 * starts with what the stream still has: no gap. At start the durable's delivered position is not used (what
 * was delivered but not acknowledged before a crash may be lost too); later checks also count what was
 * delivered, so that events in flight when the stream drops them are not taken for lost. With a subject
 * filter narrower than the stream's the range may include messages the filter would not have matched. Each
 * range is reported once per process.
 *
 * <p>The event's data: {@code stream}, {@code stream_created}, {@code first_seq}, {@code last_seq},
 * {@code count}, {@code after} (stream time of the newest archived event, when known), {@code before}
 * (stream time of the stream's oldest message), {@code filter}, {@code route}, {@code worker}. Its id is
 * derived from the range, so reporting it again within the stream's duplicate window stores nothing.
 *
 * <p>Thread-safe (checks are serialised).
 */
final class GapReporter {

    /** The event type of a gap report. */
    static final String GAP_TYPE = "user.mesh-bridge.archive-gap";

    private static final Logger LOG = LoggerFactory.getLogger(GapReporter.class);

    /** Where the archive reads from. {@code durable} is null when the route does not consume a mesh: durable. */
    record Source(String stream, String durable, String filter, String route) {
    }

    /** A detected gap. */
    record Gap(String stream, Instant streamCreated, SequenceRange range, Instant after, Instant before) {
    }

    private final Connection connection;
    private final String nodeName;
    private final Source source;
    private final ArchiveWriter writer;
    private final StreamIncarnations incarnations;
    private final boolean emit;
    private final Map<StreamKey, Long> reportedUpTo = new LinkedHashMap<>();
    private final AtomicLong gaps = new AtomicLong();

    GapReporter(Connection connection, String nodeName, Source source, ArchiveWriter writer,
                StreamIncarnations incarnations, boolean emit) {
        this.connection = connection;
        this.nodeName = nodeName;
        this.source = source;
        this.writer = writer;
        this.incarnations = incarnations;
        this.emit = emit;
    }

    /** Gaps found so far. */
    long gaps() {
        return gaps.get();
    }

    /**
     * Checks for a new gap and reports it.
     *
     * @param atStart true before the consumer fetches anything
     */
    synchronized Optional<Gap> check(boolean atStart) throws IOException, JetStreamApiException {
        StreamInfo info = incarnations.refresh(source.stream());
        Instant created = info.getCreateTime().toInstant();
        StreamState state = info.getStreamState();
        long first = state.getMsgCount() == 0 ? state.getLastSequence() + 1 : state.getFirstSequence();
        long base = writer.highWater(source.stream(), created);
        ConsumerInfo consumer = consumerInfo();
        if (consumer != null) {
            base = Math.max(base, consumer.getAckFloor().getStreamSequence());
            if (!atStart) {
                base = Math.max(base, consumer.getDelivered().getStreamSequence());
            }
        }
        StreamKey key = new StreamKey(source.stream(), created);
        base = Math.max(base, reportedUpTo.getOrDefault(key, 0L));
        if (base == 0) {
            return Optional.empty();
        }
        Optional<SequenceRange> missing = ArchiveGaps.missing(first, base);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        reportedUpTo.put(key, missing.get().last());
        Instant before = state.getMsgCount() == 0 ? null : state.getFirstTime().toInstant();
        Gap gap = new Gap(source.stream(), created, missing.get(), newestArchived(key), before);
        report(gap);
        return Optional.of(gap);
    }

    private ConsumerInfo consumerInfo() throws IOException, JetStreamApiException {
        if (source.durable() == null) {
            return null;
        }
        try {
            return connection.jetStreamManagement().getConsumerInfo(source.stream(), source.durable());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == 10014) {
                return null;
            }
            throw e;
        }
    }

    private void report(Gap gap) throws IOException {
        gaps.incrementAndGet();
        LOG.warn("Archive gap: stream {} dropped {} message(s), sequences {} to {} (stored after {}, before {}),"
                        + " before they were archived", gap.stream(), gap.range().count(), gap.range().first(),
                gap.range().last(), gap.after() == null ? "?" : gap.after(), gap.before() == null ? "?" : gap.before());
        if (!emit) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stream", gap.stream());
        data.put("stream_created", Timestamps.format(gap.streamCreated()));
        data.put("first_seq", gap.range().first());
        data.put("last_seq", gap.range().last());
        data.put("count", gap.range().count());
        if (gap.after() != null) {
            data.put("after", Timestamps.format(gap.after()));
        }
        if (gap.before() != null) {
            data.put("before", Timestamps.format(gap.before()));
        }
        data.put("filter", source.filter());
        data.put("route", source.route());
        data.put("worker", writer.config().workerId());
        String id = "archive-gap-" + gap.stream() + "-" + gap.streamCreated().toEpochMilli() + "-"
                + gap.range().first() + "-" + gap.range().last() + "-" + writer.config().workerId();
        try {
            PersistentBus bus = PersistentBus.attach(connection, nodeName,
                    PersistConfig.defaults().withStreamName(source.stream()));
            bus.emit(Event.user(nodeName, GAP_TYPE.substring("user.".length()), data), id);
        } catch (JetStreamApiException e) {
            throw new IOException("cannot emit the archive gap event: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while emitting the archive gap event", e);
        }
    }

    /** The newest archived time of {@code key}: seen in this process, else from this directory's manifests. */
    private Instant newestArchived(StreamKey key) throws IOException {
        Instant seen = incarnations.newest(key.stream(), key.created());
        if (seen != null) {
            return seen;
        }
        Instant newest = null;
        try (Stream<Path> walk = Files.walk(writer.config().directory())) {
            for (Path p : (Iterable<Path>) walk.filter(f -> f.getFileName().toString()
                    .endsWith(ArchiveFileName.MANIFEST_SUFFIX))::iterator) {
                Manifest m = ArchiveFiles.readManifest(p);
                if (m.key().equals(key) && (newest == null || m.lastTime().isAfter(newest))) {
                    newest = m.lastTime();
                }
            }
        }
        return newest;
    }
}
