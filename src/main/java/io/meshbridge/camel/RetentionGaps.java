package io.meshbridge.camel;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when the stream dropped events before a route settled them (its limits ran out while the route was
 * down or far behind): logs the gap, counts it and emits a {@value #GAP_TYPE} event, so that no route loses
 * events silently. One per durable consumer; the {@code mesh:} consumer checks when it starts (before it
 * fetches anything: once it holds messages, the server moves the acknowledgement floor past any of them the
 * stream drops, and past the gap below them) and then periodically, and emits what the first check found
 * with its first fetched messages in hand (so that in a stream at its message limit the event displaces a
 * message the route already has, not one it has yet to get).
 *
 * <p><b>What counts as lost.</b> Everything after what the route has settled and before the stream's first
 * sequence now. Settled is the highest of: the durable's acknowledgement floor; what a sink of the route
 * holds durably beyond it ({@link HeldFloor}, e.g. the archive's high-water mark of the stream incarnation);
 * the stream's last sequence at an earlier check that found the durable with nothing pending and nothing
 * unacknowledged; and, except at the first check, the durable's delivered position (an event in the route's
 * hands is not lost when the stream drops it; at the first check, what was delivered before a crash but never
 * acknowledged may be lost). The server itself counts a delivered message the stream dropped as settled, so
 * such a message of a crashed worker goes unreported. When nothing of the stream incarnation was ever settled, the route starts with
 * what the stream still has: no gap. Each range is reported once per instance. With a subject filter narrower
 * than the stream's subjects the range may include messages the filter does not match (the log says so).
 * Between two checks, a route that is behind by more than the stream keeps and catches up again passes the
 * gap unseen; the check interval bounds that window.
 *
 * <p><b>The event.</b> Type {@value #GAP_TYPE}, emitted into the same stream with an acknowledged publish
 * whose {@code Nats-Msg-Id} is derived from the stream incarnation, the durable and the range, so two workers
 * on one durable that see the same gap store one event (within the stream's duplicate window). Data:
 * {@code stream}, {@code stream_created}, {@code first_seq}, {@code last_seq}, {@code count}, {@code after}
 * (stream time of the last settled message before the gap, when known), {@code before} (stream time of the
 * stream's first message now, when it has one), {@code filter}, {@code route}, {@code durable} and
 * {@code worker} (the node name). The first check queues its gap for {@link #emitPending()}; later checks
 * emit at once. An emit that fails is logged and retried at the next check. In a stream at its message limit,
 * the event displaces the oldest message like any other event.
 *
 * <p>Thread-safe: checks are serialised.
 */
public final class RetentionGaps {

    /** The event type of a gap report. */
    public static final String GAP_TYPE = "user.mesh-bridge.gap";

    /** How often the {@code mesh:} consumer checks, unless its component says otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(RetentionGaps.class);

    /**
     * Where a route consumes from.
     *
     * @param stream  the stream
     * @param durable the durable consumer's name
     * @param filter  the route's subject filter
     * @param route   the route id (the durable's name when the route has none)
     * @param node    the node name of this worker, the gap event's node and {@code worker}
     */
    public record Source(String stream, String durable, String filter, String route, String node) {
        /** Validates that every member is given. */
        public Source {
            for (String s : new String[] {stream, durable, filter, route, node}) {
                if (s == null || s.isBlank()) {
                    throw new IllegalArgumentException("gap source needs stream, durable, filter, route and node,"
                            + " got " + stream + ", " + durable + ", " + filter + ", " + route + ", " + node);
                }
            }
        }
    }

    /**
     * Sequences {@code firstSeq..lastSeq} of one stream incarnation, dropped before the route settled them.
     *
     * @param after  stream time of the last settled message before the gap, or null when unknown
     * @param before stream time of the stream's first message at the check, or null when it was empty
     */
    public record Gap(String stream, Instant streamCreated, long firstSeq, long lastSeq, Instant after,
                      Instant before) {
        /** Validates the range. */
        public Gap {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(streamCreated, "streamCreated");
            if (firstSeq < 1 || lastSeq < firstSeq) {
                throw new IllegalArgumentException("invalid gap " + firstSeq + ".." + lastSeq);
            }
        }

        /** How many sequences the gap spans. */
        public long count() {
            return lastSeq - firstSeq + 1;
        }
    }

    /**
     * Implemented by a sink (for a {@code mesh:} route: an endpoint of the route, found by the consumer) that
     * holds events durably before its consumer acknowledges them, so that what it holds beyond the
     * acknowledgement floor is not counted as lost. Called on the checking thread; must be thread-safe.
     */
    public interface HeldFloor {
        /** The highest sequence of the stream incarnation the sink holds durably; 0 when none. Cheap. */
        long heldUpTo(String stream, Instant streamCreated);

        /** The stream time of the newest message of the incarnation the sink holds, or null; may be slow. */
        default Instant heldTime(String stream, Instant streamCreated) {
            return null;
        }

        /**
         * Told at every check the durable's acknowledgement floor: no message of the incarnation at or below
         * it is delivered to the durable again, so the sink may forget what it kept to recognise them.
         */
        default void acknowledgedUpTo(String stream, Instant streamCreated, long ackFloor) {
        }
    }

    /** What is known of one stream incarnation. */
    private static final class Incarnation {
        final Instant created;
        long reportedUpTo;
        long settledUpTo;
        long knownSeq;
        Instant knownTime;

        Incarnation(Instant created) {
            this.created = created;
        }
    }

    private final Connection connection;
    private final Source source;
    private final boolean emit;
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile HeldFloor heldFloor;
    private final GapEvents events;
    private Incarnation incarnation;

    /** Gap checks of {@code source} on {@code connection}; {@code emit} false only logs and counts. */
    public RetentionGaps(Connection connection, Source source, boolean emit) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.source = Objects.requireNonNull(source, "source");
        this.emit = emit;
        this.events = new GapEvents(connection, source);
    }

    /** Registers what a sink holds beyond the acknowledgement floor (replaces an earlier one; null for none). */
    public void holdFloor(HeldFloor floor) {
        this.heldFloor = floor;
    }

    /** Where this instance checks. */
    public Source source() {
        return source;
    }

    /** Gaps found so far. */
    public long gaps() {
        return gaps.get();
    }

    /**
     * Stream messages counted in the gaps found so far (with a filter narrower than the stream these are the
     * stream's messages in the gaps' ranges, of which only some may have matched).
     */
    public long droppedMessages() {
        return dropped.get();
    }

    /** Checks done so far (successful ones). */
    public long checks() {
        return checks.get();
    }

    /**
     * The sequences lost between what was settled and the stream's first sequence.
     *
     * @param streamFirst the stream's first sequence now (its last sequence + 1 when it has no message)
     * @param settledUpTo the highest sequence settled; 0 when nothing was, then nothing counts as lost
     * @return {@code {first, last}}, or empty
     */
    static Optional<long[]> missing(long streamFirst, long settledUpTo) {
        if (streamFirst < 1 || settledUpTo < 0) {
            throw new IllegalArgumentException("invalid sequences: stream first " + streamFirst + ", settled "
                    + settledUpTo);
        }
        return settledUpTo > 0 && streamFirst > settledUpTo + 1
                ? Optional.of(new long[] {settledUpTo + 1, streamFirst - 1}) : Optional.empty();
    }

    /**
     * Checks for a new gap; reports it (log, count, event) and returns it. Except at the first check, also
     * emits the events not emitted yet.
     *
     * @param first true for the consumer's first check, before it fetches: its delivered position does not
     *              count as settled, and the event waits for {@link #emitPending()}
     * @throws IOException or JetStreamApiException when the stream or the durable cannot be read
     */
    public synchronized Optional<Gap> check(boolean first) throws IOException, JetStreamApiException {
        if (!first) {
            emitPending();
        }
        JetStreamManagement jsm = connection.jetStreamManagement();
        StreamInfo info = jsm.getStreamInfo(source.stream());
        StreamState state = info.getStreamState();
        long streamFirst = state.getMsgCount() == 0 ? state.getLastSequence() + 1 : state.getFirstSequence();
        ConsumerInfo consumer = consumerInfo(jsm);
        Incarnation inc = incarnation(info.getCreateTime().toInstant());
        HeldFloor floor = heldFloor;
        long held = floor == null ? 0 : floor.heldUpTo(source.stream(), inc.created);
        long base = Math.max(Math.max(inc.reportedUpTo, inc.settledUpTo), held);
        long delivered = 0;
        if (consumer != null) {
            long ackFloor = consumer.getAckFloor().getStreamSequence();
            if (floor != null) {
                floor.acknowledgedUpTo(source.stream(), inc.created, ackFloor);
            }
            base = Math.max(base, ackFloor);
            delivered = consumer.getDelivered().getStreamSequence();
            base = first ? base : Math.max(base, delivered);
            if (consumer.getNumPending() == 0 && consumer.getNumAckPending() == 0) {
                inc.settledUpTo = Math.max(inc.settledUpTo, state.getLastSequence());
            }
        }
        Optional<long[]> range = missing(streamFirst, base);
        checks.incrementAndGet();
        if (range.isEmpty()) {
            remember(jsm, inc, Math.max(base, delivered), streamFirst, state.getLastSequence());
            return Optional.empty();
        }
        Instant after = inc.knownSeq == base ? inc.knownTime
                : floor != null && held == base ? floor.heldTime(source.stream(), inc.created) : null;
        Instant before = state.getMsgCount() == 0 ? null : state.getFirstTime().toInstant();
        Gap gap = new Gap(source.stream(), inc.created, range.get()[0], range.get()[1], after, before);
        inc.reportedUpTo = gap.lastSeq();
        report(gap, info.getConfiguration().getSubjects().contains(source.filter()));
        if (!first) {
            emitPending();
        }
        return Optional.of(gap);
    }

    private Incarnation incarnation(Instant created) {
        if (incarnation == null || !incarnation.created.equals(created)) {
            incarnation = new Incarnation(created);
        }
        return incarnation;
    }

    private ConsumerInfo consumerInfo(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        try {
            return jsm.getConsumerInfo(source.stream(), source.durable());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == DurableSetup.CONSUMER_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** Remembers the stream time of {@code seq} while the stream still has it: the "after" of a later gap. */
    private void remember(JetStreamManagement jsm, Incarnation inc, long seq, long streamFirst, long streamLast) {
        if (seq == inc.knownSeq || seq < streamFirst || seq > streamLast) {
            return;
        }
        try {
            inc.knownTime = jsm.getMessage(source.stream(), seq).getTime().toInstant();
            inc.knownSeq = seq;
        } catch (IOException | JetStreamApiException e) {
            LOG.debug("No stream time for {} #{}: {}", source.stream(), seq, e.toString());
        }
    }

    private void report(Gap gap, boolean exactFilter) {
        gaps.incrementAndGet();
        dropped.addAndGet(gap.count());
        LOG.warn("Retention gap on route {}: stream {} dropped {} message(s), sequences {} to {} (stored after {},"
                        + " before {}), before durable {} settled them{}", source.route(), gap.stream(), gap.count(),
                gap.firstSeq(), gap.lastSeq(), gap.after() == null ? "?" : gap.after(),
                gap.before() == null ? "?" : gap.before(), source.durable(), exactFilter ? ""
                        : "; some may not match the filter " + source.filter());
        if (emit) {
            events.add(gap);
        }
    }

    /** Emits the events of the gaps found and not emitted yet; a failed one is tried again next time. */
    public synchronized void emitPending() {
        events.emitPending();
    }
}
