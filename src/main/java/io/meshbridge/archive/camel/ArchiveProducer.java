package io.meshbridge.archive.camel;

import io.meshbridge.archive.ArchiveConfig;
import io.meshbridge.archive.ArchiveManifests;
import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.ArchiveWriter;
import io.meshbridge.archive.Lines;
import io.meshbridge.camel.MeshComponent;
import io.meshbridge.camel.ConsumedEvent;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshPermanentException;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of {@code archive:<directory>}: archives the event that a {@code mesh:} consumer delivered in
 * the exchange, and completes the exchange only once the event's line is fsynced, so that the consumer
 * acknowledges it only then.
 *
 * <p><b>What is archived.</b> The consumed event as stored: its payload bytes verbatim, subject, stream,
 * sequence, stream time and id (from the exchange property {@link MeshConstants#RECEIVED_EVENT_PROPERTY}; the
 * body and headers may have been changed by earlier steps and are not used). An exchange without it (a
 * payload that is not an event, consumed with {@code raw=true}, or a route that does not start with
 * {@code mesh:}) fails with a {@link MeshPermanentException}, so the consumer dead-letters it at once.
 *
 * <p><b>Writing.</b> Exchanges are written in groups by {@link GroupCommit}: one fsync per group of up to
 * {@code maxBatch} events, on one commit thread; a full queue makes the submitting (consumer) thread wait. A
 * full disk or an I/O error is retried until it clears; the exchanges wait meanwhile and are never failed for
 * it (so never dead-lettered), unless the route stops. The writer ({@link ArchiveWriter}) skips what this
 * worker archived before, so redeliveries after a crash are archived once.
 *
 * <p><b>A broken writer.</b> When the commit thread fails (the writer threw something other than an I/O
 * error), nothing is acknowledged or dead-lettered any more: every exchange waiting for it and every later
 * one is held, the consumer of each route they come from is suspended (it stops fetching and hands back what
 * it fetched but did not start, so that another worker on the same durable takes those), the error is logged
 * once, and {@link #problem()} (the endpoint's {@code /health} problem) names the routes and the error. Held
 * exchanges are failed retriably when the Camel context stops (or this producer does), so their consumer
 * hands their events out again; a restarted worker archives them.
 *
 * <p><b>Gaps.</b> The {@code mesh:} consumer of the route reports events the stream dropped before they were
 * settled ({@link io.meshbridge.camel.RetentionGaps}); through its endpoint this producer tells it what the
 * writer holds of each stream incarnation ({@link #heldUpTo}, {@link #heldTime}), so that what was archived
 * but not yet acknowledged when the worker stopped does not count as lost; each check passes the durable's
 * acknowledgement floor on to the writer ({@link #acknowledgedUpTo}), which bounds its memory.
 *
 * <p><b>Start and stop.</b> Starting opens the writer (recovering files of a killed process). A timer
 * finishes files older than the roll age and applies the retention every {@value #MAINTENANCE_SECONDS} s (or
 * the roll age, when shorter). Stopping (after Camel's graceful shutdown let running exchanges finish)
 * commits what is queued and finishes every open file.
 *
 * <p>Thread-safe.
 */
public class ArchiveProducer extends DefaultAsyncProducer {

    static final long MAINTENANCE_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveProducer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ArchiveEndpoint endpoint;
    // volatile: the getters of the metrics and the gap checks read it from other threads
    private volatile ArchiveWriter writer;
    private StreamIncarnations incarnations;
    private GroupCommit commit;
    private volatile java.util.function.LongConsumer commitSink;
    private ScheduledExecutorService timer;
    private final Set<String> heldRoutes = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean watchingForStop = new AtomicBoolean();

    /** A producer for {@code endpoint}. */
    public ArchiveProducer(ArchiveEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public ArchiveEndpoint getEndpoint() {
        return endpoint;
    }

    /** Events written to files since the start. */
    public long getWritten() {
        return commit == null ? 0 : commit.written();
    }

    /** Batches written, each with one fsync of its file(s), since the start. */
    public long getBatches() {
        return commit == null ? 0 : commit.batches();
    }

    /** Payload bytes of the batches written since the start (as received, before compression). */
    public long getPayloadBytes() {
        return commit == null ? 0 : commit.payloadBytes();
    }

    /**
     * Archive files the writer finished since the start: renamed from {@code .part} to their final name with
     * their manifest (by size, by age, to make room beyond {@code maxOpenFiles}, or recovered after an I/O
     * error); not those a killed process left and the start recovered. Read from any thread without
     * waiting for the commit thread or the writer (a scrape never waits behind an fsync), as are
     * {@link #getOpenFiles} and {@link #getWrittenBytes}; 0 before the start and after the stop. See
     * {@link io.meshbridge.archive.WriterStats}.
     */
    public long getFinishedFiles() {
        ArchiveWriter current = writer;
        return current == null ? 0 : current.stats().filesFinished();
    }

    /** The {@code .part} files the writer has open now (at most {@code maxOpenFiles}); 0 when not started. */
    public int getOpenFiles() {
        ArchiveWriter current = writer;
        return current == null ? 0 : current.stats().openFiles();
    }

    /**
     * Bytes written to archive files since the start, as stored (after compression), each batch counted once
     * fsynced: what the data files written since the start hold, manifests not included. Next to
     * {@link #getPayloadBytes} it tells what the lines around the payloads and the compression make of them.
     */
    public long getWrittenBytes() {
        ArchiveWriter current = writer;
        return current == null ? 0 : current.stats().writtenBytes();
    }

    /**
     * Receives the nanoseconds of each batch write with its fsync, on the commit thread (must not block);
     * {@code null} for none. Applies from the next batch.
     */
    public void setCommitLatencySink(java.util.function.LongConsumer sink) {
        commitSink = sink;
        GroupCommit current = commit;
        if (current != null) {
            current.commitSink(sink);
        }
    }

    /** Events not written again because this worker had archived them (redeliveries). */
    public long getSkippedDuplicates() {
        return commit == null ? 0 : commit.skipped();
    }

    /** The highest sequence of the stream incarnation the writer holds, 0 when none (or not started). */
    public long heldUpTo(String stream, Instant streamCreated) {
        ArchiveWriter current = writer;
        return current == null ? 0 : current.highWater(stream, streamCreated);
    }

    /** Lets the writer forget the finished files wholly at or below the route's acknowledgement floor. */
    public void acknowledgedUpTo(String stream, Instant streamCreated, long ackFloor) {
        ArchiveWriter current = writer;
        if (current != null) {
            current.acknowledgedUpTo(stream, streamCreated, ackFloor);
        }
    }

    /**
     * The newest stream time archived of the stream incarnation: seen in this process, else from the
     * manifests of the directory; null when unknown.
     */
    public Instant heldTime(String stream, Instant streamCreated) {
        StreamIncarnations known = incarnations;
        Instant seen = known == null ? null : known.newest(stream, streamCreated);
        if (seen != null) {
            return seen;
        }
        try {
            return ArchiveManifests.newestTime(Path.of(endpoint.getDirectory()), stream, streamCreated);
        } catch (IOException e) {
            LOG.warn("Cannot read the manifests of {}: {}", endpoint.getDirectory(), e.toString());
            return null;
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ArchiveConfig config = endpoint.archiveConfig();
        Connection connection = getEndpoint().getCamelContext().getComponent("mesh", MeshComponent.class)
                .connection();
        writer = ArchiveWriter.open(config);
        incarnations = new StreamIncarnations(connection.jetStreamManagement());
        timer = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "ArchiveMaintenance");
        commit = new GroupCommit(writer, endpoint.getMaxBatch(), batch -> incarnations.current(batch, writer),
                config.workerId(), this::held, getEndpoint().getCamelContext()::isStopping);
        commit.commitSink(commitSink);
        commit.start();
        long seconds = Math.max(1, Math.min(MAINTENANCE_SECONDS, config.rollAge().toSeconds()));
        timer.scheduleWithFixedDelay(this::maintain, seconds, seconds, TimeUnit.SECONDS);
        endpoint.started(this);
        LOG.info("Archiving to {} as worker {} ({}, roll at {} bytes or {})", config.directory(),
                config.workerId(), config.compression(), config.rollBytes(), config.rollAge());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            ArchiveRecord record = record(exchange);
            Lines.validate(record);
            return commit.submit(record, exchange, callback);
        } catch (IllegalArgumentException e) {
            exchange.setException(new MeshPermanentException("cannot archive: " + e.getMessage(), e));
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    /**
     * The record of the exchange's consumed event, from its stored bytes and position: the event's data is
     * not decoded for it.
     */
    private ArchiveRecord record(Exchange exchange) throws Exception {
        Object consumed = exchange.getProperty(MeshConstants.RECEIVED_EVENT_PROPERTY);
        if (consumed instanceof ConsumedEvent event) {
            StreamPosition at = event.position();
            return new ArchiveRecord(at.stream(), incarnations.created(at.stream()), at.sequence(), event.subject(),
                    at.time(), event.id(), event.raw());
        }
        ReceivedEvent event = exchange.getProperty(MeshConstants.RECEIVED_EVENT_PROPERTY, ReceivedEvent.class);
        if (event == null || event.position() == null) {
            throw new MeshPermanentException("archive: takes events consumed by a mesh: route; this exchange"
                    + " holds none (a payload that is not an event?)");
        }
        return ArchiveRecord.of(event, incarnations.created(event.position().stream()));
    }

    /**
     * What is wrong with this producer: its commit thread failed, so the routes sending to it acknowledge
     * nothing; empty while it works.
     */
    public Optional<String> problem() {
        GroupCommit current = commit;
        return current == null ? Optional.empty() : current.failure().map(e -> "route " + String.join(", ",
                heldRoutes) + ": the archive " + endpoint.getDirectory() + " stopped writing (" + e
                + "); its route is suspended and nothing is acknowledged until the worker restarts");
    }

    /** The writer (for tests of this package). */
    ArchiveWriter writer() {
        return writer;
    }

    /** An exchange held by a failed commit: suspends its route's consumer, once per route. */
    private void held(Exchange exchange) {
        try {
            String routeId = exchange.getFromRouteId();
            if (routeId != null && heldRoutes.add(routeId)) {
                timer.execute(() -> suspend(routeId));
            }
            if (watchingForStop.compareAndSet(false, true)) {
                timer.scheduleWithFixedDelay(this::failHeldWhenStopping, 100, 100, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            LOG.debug("Archive producer stopping; route of {} not suspended", exchange.getExchangeId());
        }
    }

    private void suspend(String routeId) {
        Route route = getEndpoint().getCamelContext().getRoute(routeId);
        if (route != null && route.getConsumer() != null) {
            ServiceHelper.suspendService(route.getConsumer());
            LOG.error("Route {} suspended: the archive {} stopped writing; restart the worker", routeId,
                    endpoint.getDirectory());
        }
    }

    /** Held exchanges keep a graceful shutdown waiting: fail them as soon as the context stops. */
    private void failHeldWhenStopping() {
        GroupCommit current = commit;
        if (current != null && getEndpoint().getCamelContext().isStopping()) {
            try {
                current.stop(STOP_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void maintain() {
        try {
            writer.finishExpired();
            writer.applyRetention();
        } catch (Exception e) {
            LOG.warn("Archive maintenance failed (retried in the next round): {}", e.toString());
        }
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.stopped(this);
        if (timer != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(timer);
            timer = null;
        }
        try {
            if (commit != null) {
                commit.stop(STOP_TIMEOUT);
                LOG.info("Archive {} stopping: {} event(s) written in {} batch(es), {} redelivered one(s) skipped",
                        endpoint.getDirectory(), commit.written(), commit.batches(), commit.skipped());
                commit = null;
            }
        } finally {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }
        super.doStop();
    }
}
