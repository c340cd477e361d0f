package io.meshbridge.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.camel.ConnectorPause;
import io.meshbridge.camel.MeshEndpoint;
import io.meshbridge.camel.Reposition;
import io.meshbridge.events.Timestamps;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the connectors API does to a connector: pause and resume (the entry in NATS that every worker sharing the
 * durable watches), restart (the route on this worker) and position (the durable created again at another start).
 * One operation per connector at a time.
 *
 * <p><b>Restart</b> stops the route on this worker as a shutdown does (fetching stops, fetched exchanges not
 * started are handed back, running ones get up to the bound to finish; after it they are left to the server's
 * redelivery) and starts it again; the start deletes any pause entry, so it resumes the connector on every
 * worker.
 *
 * <p><b>Position</b>, in this order: (1) pause on every worker (the entry in NATS); (2) stop the route on this
 * worker, so its running exchanges settle; (3) wait, up to the bound, until the server has nothing of the durable
 * unacknowledged and no pull request waiting, i.e. every worker has stopped fetching and settled what it held;
 * (4) delete the durable and create it again at the position ({@link Reposition}); (5) start the route, which
 * resumes every worker: they bind to the new durable. A sequence before the stream's first starts at its first
 * (so that no retention gap is reported for what the stream no longer holds); one after its last + 1 is refused.
 * When (3) does not happen within the bound (a worker still processing, or one that died holding messages: the
 * server redelivers those after {@code ackWait} once the connector runs again), nothing is changed: the route
 * is started again (or the pause deleted, for a route that was not started) and the answer is a 409. When (4)
 * fails the connector stays paused and its route stopped on this worker, since starting it might create the
 * durable from the route's own start options: repeating the request finishes it. A position always ends with the
 * route started.
 */
final class ConnectorMoves {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorMoves.class);
    private static final Duration RESUME_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 50;
    private static final int CONSUMER_NOT_FOUND = 10014;
    private static final int STREAM_NOT_FOUND = 10059;

    /** A step of an operation, holding the connector's lock. */
    private interface Step<T> {
        T run() throws Exception;
    }

    private final CamelContext context;
    private final ConnectorView view;
    private final Duration bound;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    ConnectorMoves(CamelContext context, ConnectorView view, Duration bound) {
        this.context = context;
        this.view = view;
        this.bound = bound;
    }

    /** Pauses {@code c} on every worker, with {@code reason}. */
    void pause(ConnectorStates.Connector c, String reason) throws Exception {
        locked(c, () -> {
            pauseEverywhere(c, reason);
            LOG.warn("Connector {} (durable {}) paused through the API on every worker: {}", c.routeId(),
                    ConnectorView.durable(c), reason);
            return null;
        });
    }

    /** Deletes the pause of {@code c}: every worker fetches again; waits (briefly) for this one to. */
    void resume(ConnectorStates.Connector c) throws Exception {
        locked(c, () -> {
            deletePause(c);
            LOG.info("Connector {} (durable {}) resumed through the API", c.routeId(), ConnectorView.durable(c));
            long deadline = System.nanoTime() + RESUME_WAIT.toNanos();
            while (view.started(c) && c.paused() && System.nanoTime() < deadline) {
                Thread.sleep(20); // the consumer hears of the deleted entry through its watch, within moments
            }
            return null;
        });
    }

    /** Stops (when started) and starts the route of {@code c} on this worker. */
    void restart(ConnectorStates.Connector c) throws Exception {
        locked(c, () -> {
            stopRoute(c);
            startRoute(c, "");
            return null;
        });
    }

    /** Moves the durable of {@code c} to {@code target}; returns what was applied (see the class comment). */
    ObjectNode position(ConnectorStates.Connector c, Reposition.Target target) throws Exception {
        return locked(c, () -> {
            Connection nc = ConnectorView.connection(c);
            JetStreamManagement jsm = nc.jetStreamManagement();
            MeshEndpoint endpoint = c.consumer().getEndpoint();
            String stream = endpoint.streamName();
            String durable = ConnectorView.durable(c);
            ObjectNode applied = ApiJson.object();
            Reposition.Target t = target;
            if (target.time() == null) {
                StreamInfo info = streamInfo(jsm, stream);
                long first = Math.max(1, info.getStreamState().getFirstSequence());
                long last = info.getStreamState().getLastSequence();
                if (target.sequence() > last + 1) {
                    throw ApiException.badRequest("sequence must be at most " + (last + 1) + " (the last sequence"
                            + " of stream " + stream + " + 1), was " + target.sequence());
                }
                applied.put("sequence", target.sequence());
                if (target.sequence() < first) {
                    t = Reposition.Target.sequence(first);
                    applied.put("note", "sequence " + target.sequence() + " is no longer in stream " + stream
                            + "; the durable starts at its first, " + first);
                }
            } else {
                applied.put("time", Timestamps.format(target.time()));
            }
            boolean wasStarted = view.started(c);
            try {
                pauseEverywhere(c, "repositioning through the API to " + (t.time() == null ? "sequence "
                        + t.sequence() : "time " + Timestamps.format(t.time())));
                stopRoute(c);
                String unsettled = awaitSettled(jsm, stream, durable);
                if (unsettled != null) {
                    throw new ApiException(409, unsettled + "; nothing was changed");
                }
            } catch (ApiException e) {
                throw new ApiException(e.status(), e.getMessage() + restore(c, wasStarted), e);
            }
            ConsumerInfo created;
            try {
                created = Reposition.recreate(c.consumer(), c.routeId(), t);
            } catch (IllegalStateException e) {
                throw new ApiException(409, ApiJson.printable(e.getMessage()) + restore(c, wasStarted), e);
            } catch (Exception e) {
                LOG.error("Durable {} of connector {} could not be created again: {}", durable, c.routeId(),
                        e.toString());
                throw new ApiException(503, "durable " + durable + " could not be created again: "
                        + ApiJson.printable(e.getMessage()) + "; the connector stays paused on every worker and its"
                        + " route stopped on this one: repeat the request", e);
            }
            long next = created.getDelivered().getStreamSequence() + 1;
            applied.put("nextSequence", next);
            LOG.warn("Connector {} repositioned: durable {} delivers next from stream sequence {} ({})", c.routeId(),
                    durable, next, applied);
            startRoute(c, "durable " + durable + " was repositioned, but ");
            return applied;
        });
    }

    private <T> T locked(ConnectorStates.Connector c, Step<T> step) throws Exception {
        ReentrantLock lock = locks.computeIfAbsent(c.routeId(), id -> new ReentrantLock());
        if (!lock.tryLock(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new ApiException(409, "another operation on connector " + ApiJson.printable(c.routeId())
                    + " is still running; try again later");
        }
        try {
            return step.run();
        } finally {
            lock.unlock();
        }
    }

    /** Pauses on every worker: through the consumer when it is started (it stops at once), else in NATS only. */
    private void pauseEverywhere(ConnectorStates.Connector c, String reason) throws ApiException {
        ConnectorPause pause = c.consumer().getPause();
        String durable = ConnectorView.durable(c);
        if (view.started(c) && pause != null) {
            if (!pause.pause(reason)) {
                throw new ApiException(503, "connector " + ApiJson.printable(c.routeId()) + " paused on this worker"
                        + " only: its pause cannot be stored in NATS (bucket " + ConnectorPause.BUCKET + "), so other"
                        + " workers on durable " + durable + " go on; resume it or try again");
            }
            return;
        }
        Connection nc = ConnectorView.connection(c);
        MeshEndpoint endpoint = c.consumer().getEndpoint();
        try {
            int replicas = streamInfo(nc.jetStreamManagement(), endpoint.streamName()).getConfiguration()
                    .getReplicas();
            ConnectorPause.store(nc, replicas, durable, c.routeId(), endpoint.getComponent().getNodeName(), reason);
        } catch (IOException | JetStreamApiException e) {
            throw new ApiException(503, "the pause of connector " + ApiJson.printable(c.routeId())
                    + " cannot be stored in NATS: " + ApiJson.printable(e.getMessage()), e);
        }
    }

    private static void deletePause(ConnectorStates.Connector c) throws ApiException {
        try {
            ConnectorPause.resume(ConnectorView.connection(c), ConnectorView.durable(c));
        } catch (IOException | JetStreamApiException e) {
            throw new ApiException(503, "the pause of connector " + ApiJson.printable(c.routeId())
                    + " cannot be deleted in NATS: " + ApiJson.printable(e.getMessage()), e);
        }
    }

    /** Stops the route when it is started: graceful, forced after the bound (as a worker's shutdown). */
    private void stopRoute(ConnectorStates.Connector c) throws ApiException, InterruptedException {
        if (!view.started(c)) {
            return;
        }
        try {
            context.getRouteController().stopRoute(c.routeId(), bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ApiException(503, "route " + ApiJson.printable(c.routeId()) + " did not stop: "
                    + ApiJson.printable(e.getMessage()), e);
        }
    }

    /** Starts the route; a failure is a 503 whose reason begins with {@code before}. */
    private void startRoute(ConnectorStates.Connector c, String before) throws ApiException {
        try {
            context.getRouteController().startRoute(c.routeId());
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            LOG.error("Route {} did not start: {}", c.routeId(), root.toString());
            throw new ApiException(503, before + "route " + ApiJson.printable(c.routeId()) + " did not start: "
                    + ApiJson.printable(root.getMessage()), e);
        }
    }

    /**
     * Waits up to the bound until the durable has nothing unacknowledged and no pull request waiting (or is gone);
     * returns {@code null} then, else what is left.
     */
    private String awaitSettled(JetStreamManagement jsm, String stream, String durable)
            throws ApiException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            ConsumerInfo info;
            try {
                info = jsm.getConsumerInfo(stream, durable);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
                    return null;
                }
                throw new ApiException(503, "the state of durable " + durable + " cannot be read: "
                        + ApiJson.printable(e.getMessage()), e);
            } catch (IOException e) {
                throw new ApiException(503, "NATS did not answer: " + ApiJson.printable(e.getMessage()), e);
            }
            if (info.getNumAckPending() == 0 && info.getNumWaiting() == 0) {
                return null;
            }
            if (System.nanoTime() >= deadline) {
                return "after " + bound.toMillis() + " ms durable " + durable + " still has "
                        + info.getNumAckPending() + " message(s) unacknowledged and " + info.getNumWaiting()
                        + " pull request(s) waiting: a worker is still processing or fetching (one that died holding"
                        + " messages gets them redelivered after ackWait once the connector runs)";
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Undoes the pause and the stop of a position that changed nothing; what went wrong doing so, or "". */
    private String restore(ConnectorStates.Connector c, boolean wasStarted) {
        try {
            if (wasStarted) {
                startRoute(c, "");
            } else {
                deletePause(c);
            }
            return wasStarted ? "; the route was started again" : "; the pause was deleted";
        } catch (ApiException e) {
            return "; " + e.getMessage();
        }
    }

    private static StreamInfo streamInfo(JetStreamManagement jsm, String stream) throws ApiException {
        try {
            return jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                throw new ApiException(409, "stream " + stream + " does not exist", e);
            }
            throw new ApiException(503, "stream " + stream + " cannot be read: " + ApiJson.printable(e.getMessage()),
                    e);
        } catch (IOException e) {
            throw new ApiException(503, "NATS did not answer: " + ApiJson.printable(e.getMessage()), e);
        }
    }
}
