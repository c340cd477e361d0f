package io.meshbridge.api;

import io.meshbridge.camel.ConnectorPause;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshConsumer;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's view of the worker's connectors (routes consuming {@code mesh:}) and of the event stream, read
 * every {@code pollInterval} on one thread ({@code MeshObserve}) and kept for the gauges and health checks, so
 * that scrapes and probes never query NATS themselves; and whether a connector is <em>stalled</em>.
 *
 * <p><b>Stalled.</b> A connector is stalled when its route is started, it is not paused on purpose
 * ({@link ConnectorPause}), the last reading found events pending on its durable (not yet delivered, or
 * delivered and not acknowledged), and this worker settled none of its deliveries for {@code stallAfter}
 * counted from the later of its last settlement and the first reading that found events pending. With several
 * workers on one durable each judges its own settlements: a worker that gets nothing while others take every
 * event counts as stalled, which is rare, since the server splits the pending events between the workers'
 * pull requests.
 *
 * <p>The worker creates one once its routes have started and closes it before they stop; the health checks,
 * the meters and the connectors API ({@link ConnectorsApi}) share it, so the API's {@code stalled} is the health
 * check's.
 *
 * <p>Thread-safe: readings are replaced whole; {@link #stalled} may be called from any thread.
 */
public final class ConnectorStates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorStates.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int CONSUMER_NOT_FOUND = 10014;

    /**
     * One reading of a durable.
     *
     * @param pending           messages not yet delivered to any consumer of the durable (num_pending)
     * @param ackPending        messages delivered and not yet acknowledged (num_ack_pending)
     * @param pendingSinceNanos {@link System#nanoTime()} of the first reading with events pending since the
     *                          last without, 0 when none are pending
     * @param problem           the durable or the stream is missing (a route restart creates the durable
     *                          again), or {@code null}
     */
    public record Reading(long pending, long ackPending, long pendingSinceNanos, String problem) {
        /** Whether events were pending or unacknowledged. */
        public boolean anyPending() {
            return pending + ackPending > 0;
        }
    }

    /**
     * The stream's state at the last reading: exists, missing, or unknown (with why).
     *
     * @param read    whether the last reading got an answer
     * @param exists  whether the stream exists (when read)
     * @param problem why it could not be read, or {@code null}
     */
    public record StreamState(boolean read, boolean exists, String problem) {
    }

    /**
     * The dead-letter stream {@value MeshConstants#DLQ_STREAM} at the last reading that found it.
     *
     * @param messages dead letters held
     * @param bytes    their size on the server
     */
    public record DeadLetterDepth(long messages, long bytes) {
        /** Requires counts of 0 or more. */
        public DeadLetterDepth {
            if (messages < 0 || bytes < 0) {
                throw new IllegalArgumentException("negative depth");
            }
        }
    }

    private final CamelContext context;
    private final Connection connection;
    private final String stream;
    private final Duration pollInterval;
    private final Runnable afterPoll;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();
    private volatile DeadLetterDepth deadLetters;
    private volatile StreamState streamState = new StreamState(false, false, "not read yet");
    private ScheduledExecutorService thread;

    /** Readings of {@code stream} and the durables every {@code pollInterval}, each followed by {@code afterPoll}. */
    public ConnectorStates(CamelContext context, Connection connection, String stream, Duration pollInterval,
                           Runnable afterPoll) {
        this.context = context;
        this.connection = connection;
        this.stream = stream;
        this.pollInterval = pollInterval;
        this.afterPoll = afterPoll;
    }

    /** Reads now and then every poll interval. */
    public void start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "MeshObserve");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::pollQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** The routes with a {@code mesh:} consumer, by route id, in the context's order. */
    public List<Connector> connectors() {
        return connectors(context);
    }

    /** The routes of {@code context} with a {@code mesh:} consumer, in the context's order. */
    public static List<Connector> connectors(CamelContext context) {
        List<Connector> out = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof MeshConsumer consumer) {
                out.add(new Connector(route.getRouteId(), consumer));
            }
        }
        return out;
    }

    /**
     * A route and its consumer.
     *
     * @param routeId  the route's id
     * @param consumer its {@code mesh:} consumer
     */
    public record Connector(String routeId, MeshConsumer consumer) {
        /** Whether the connector's pause entry says paused. */
        public boolean paused() {
            ConnectorPause pause = consumer.getPause();
            return pause != null && pause.paused();
        }
    }

    /** The last reading of {@code routeId}'s durable. */
    public Optional<Reading> reading(String routeId) {
        return Optional.ofNullable(readings.get(routeId));
    }

    /** The stream's state at the last reading. */
    public StreamState streamState() {
        return streamState;
    }

    /** The dead-letter stream's depth at the last reading that found it, or {@code null} before. */
    public DeadLetterDepth deadLetters() {
        return deadLetters;
    }

    /** Whether {@code connector} is stalled at {@code nowNanos} (see the class comment). */
    public boolean stalled(Connector connector, Duration stallAfter, long nowNanos) {
        var status = context.getRouteController().getRouteStatus(connector.routeId());
        if (status == null || !status.isStarted() || connector.paused()) {
            return false;
        }
        Reading r = readings.get(connector.routeId());
        if (r == null || !r.anyPending()) {
            return false;
        }
        long quietSince = Math.max(connector.consumer().getStats().lastSettledNanos(), r.pendingSinceNanos());
        return nowNanos - quietSince >= stallAfter.toNanos();
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.debug("Reading the durables' state failed: {}", e.toString());
        }
        try {
            afterPoll.run();
        } catch (RuntimeException e) {
            LOG.warn("Binding new meters failed: {}", e.toString());
        }
    }

    /** The dead-letter stream's depth; a failed read (a timeout) keeps the last, and the stream's state as read. */
    private void readDeadLetters(io.nats.client.JetStreamManagement jsm) {
        try {
            io.nats.client.api.StreamState dlq = jsm.getStreamInfo(MeshConstants.DLQ_STREAM).getStreamState();
            deadLetters = new DeadLetterDepth(dlq.getMsgCount(), dlq.getByteCount());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                deadLetters = new DeadLetterDepth(0, 0);
            }
        } catch (IOException e) {
            LOG.debug("Reading {} failed: {}", MeshConstants.DLQ_STREAM, e.toString());
        }
    }

    /** One reading of the stream and of every connector's durable. */
    public void poll() {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            streamState = new StreamState(false, false, "NATS connection " + connection.getStatus());
            return;
        }
        try {
            var jsm = connection.jetStreamManagement();
            try {
                jsm.getStreamInfo(stream);
                streamState = new StreamState(true, true, null);
            } catch (JetStreamApiException e) {
                streamState = e.getApiErrorCode() == STREAM_NOT_FOUND ? new StreamState(true, false, null)
                        : new StreamState(false, false, e.getMessage());
            }
            readDeadLetters(jsm);
            long now = System.nanoTime();
            List<Connector> connectors = connectors();
            readings.keySet().retainAll(connectors.stream().map(Connector::routeId).toList());
            for (Connector c : connectors) {
                String durable = c.consumer().getDurable();
                if (durable == null) {
                    continue;
                }
                Reading previous = readings.get(c.routeId());
                try {
                    ConsumerInfo info = jsm.getConsumerInfo(stream, durable);
                    long pending = info.getNumPending();
                    long ackPending = info.getNumAckPending();
                    long since = pending + ackPending == 0 ? 0
                            : previous != null && previous.pendingSinceNanos() != 0 ? previous.pendingSinceNanos()
                            : now;
                    readings.put(c.routeId(), new Reading(pending, ackPending, since, null));
                } catch (JetStreamApiException e) {
                    String problem = e.getApiErrorCode() == CONSUMER_NOT_FOUND ? "durable " + durable + " missing"
                            : e.getApiErrorCode() == STREAM_NOT_FOUND ? "stream " + stream + " missing" : null;
                    if (problem != null) {
                        readings.put(c.routeId(), previous == null ? new Reading(0, 0, 0, problem)
                                : new Reading(previous.pending(), previous.ackPending(), previous.pendingSinceNanos(),
                                problem));
                    } // another error (a timeout): the previous reading stands
                }
            }
        } catch (IOException e) {
            streamState = new StreamState(false, false, e.toString());
        }
    }
}
