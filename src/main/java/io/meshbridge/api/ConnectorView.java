package io.meshbridge.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.camel.ConnectorPause;
import io.meshbridge.camel.ConsumerStats;
import io.meshbridge.camel.MeshConsumer;
import io.meshbridge.camel.MeshEndpoint;
import io.meshbridge.events.Timestamps;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * The JSON of one connector, as every {@code /api/connectors} operation answers it (see {@link ConnectorsApi}
 * for the members). The counts are this worker's, from memory; the pause entry and the durable's state are read
 * from NATS at the time of the request, so every worker sharing the durable answers them alike. A NATS failure
 * is a {@code problem}, never an error of the request. Thread-safe.
 */
final class ConnectorView {

    /** The states a connector can be in, in the order they are decided. */
    enum State {
        /** The route is not started on this worker. */
        STOPPED,
        /** Paused on purpose ({@link ConnectorPause}), on every worker sharing the durable. */
        PAUSED,
        /** As the health check decides: events pending, none settled by this worker for the stall time. */
        STALLED,
        /** Failed attempts since this worker's last acknowledgement. */
        FAILING,
        /** None of the above. */
        RUNNING;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int CONSUMER_NOT_FOUND = 10014;
    private static final int STREAM_NOT_FOUND = 10059;

    private final CamelContext context;
    private final Supplier<ConnectorStates> states;
    private final Duration stallAfter;

    ConnectorView(CamelContext context, Supplier<ConnectorStates> states, Duration stallAfter) {
        this.context = context;
        this.states = states;
        this.stallAfter = stallAfter;
    }

    /** Whether the route of {@code c} is started on this worker. */
    boolean started(ConnectorStates.Connector c) {
        ServiceStatus status = context.getRouteController().getRouteStatus(c.routeId());
        return status != null && status.isStarted();
    }

    /** The state of {@code c} now. */
    State state(ConnectorStates.Connector c) {
        if (!started(c)) {
            return State.STOPPED;
        }
        if (c.paused()) {
            return State.PAUSED;
        }
        ConnectorStates s = states.get();
        if (s != null && s.stalled(c, stallAfter, System.nanoTime())) {
            return State.STALLED;
        }
        return c.consumer().getStats().failuresSinceAck() > 0 ? State.FAILING : State.RUNNING;
    }

    /** The durable's name: the consumer's once started, else what its start would use. */
    static String durable(ConnectorStates.Connector c) {
        String durable = c.consumer().getDurable();
        return durable != null ? durable : c.consumer().getEndpoint().durableName(c.routeId());
    }

    /** The connection of the connector's component. */
    static Connection connection(ConnectorStates.Connector c) throws ApiException {
        try {
            return c.consumer().getEndpoint().getComponent().connection();
        } catch (Exception e) {
            throw new ApiException(503, "connector " + ApiJson.printable(c.routeId()) + " has no NATS connection: "
                    + ApiJson.printable(e.getMessage()), e);
        }
    }

    /** The connector's JSON. */
    ObjectNode json(ConnectorStates.Connector c) {
        MeshConsumer consumer = c.consumer();
        MeshEndpoint endpoint = consumer.getEndpoint();
        String durable = durable(c);
        State state = state(c);
        ObjectNode out = ApiJson.object();
        out.put("id", c.routeId());
        out.put("state", state.json());
        out.put("filter", endpoint.getTarget());
        out.put("stream", endpoint.streamName());
        out.put("durable", durable);
        out.put("worker", endpoint.getComponent().getNodeName());
        Connection connection;
        try {
            connection = connection(c);
        } catch (ApiException e) {
            connection = null;
        }
        out.set("pause", state == State.PAUSED || state == State.STOPPED ? pause(connection, durable) : null);
        out.set("counts", counts(consumer));
        out.set("server", server(connection, endpoint.streamName(), durable));
        return out;
    }

    private static ObjectNode counts(MeshConsumer consumer) {
        ConsumerStats s = consumer.getStats();
        return ApiJson.object()
                .put("delivered", s.delivered())
                .put("acknowledged", s.acknowledged())
                .put("failed", s.failed())
                .put("retried", s.retried())
                .put("returned", s.returned())
                .put("deadLettered", s.deadLettered())
                .put("terminatedAgain", s.terminatedAgain())
                .put("failuresSinceAck", s.failuresSinceAck())
                .put("inFlight", consumer.getInFlight());
    }

    /** The stored pause entry, {@code null} when none, or a {@code problem} when it cannot be read. */
    private static ObjectNode pause(Connection connection, String durable) {
        if (connection == null || connection.getStatus() != Connection.Status.CONNECTED) {
            return null;
        }
        try {
            ConnectorPause.Entry e = ConnectorPause.entry(connection, durable);
            if (e == null) {
                return null;
            }
            return ApiJson.object().put("reason", e.reason())
                    .put("since", e.since() == null ? null : Timestamps.format(e.since()))
                    .put("worker", e.worker())
                    .put("route", e.route());
        } catch (IOException | JetStreamApiException e) {
            return ApiJson.object().put("problem", "the pause entry cannot be read: "
                    + ApiJson.printable(e.getMessage()));
        }
    }

    /** The durable's state on the server now; every member {@code null} and a {@code problem} when unknown. */
    private static ObjectNode server(Connection connection, String stream, String durable) {
        ObjectNode out = ApiJson.object();
        out.putNull("pending");
        out.putNull("ackPending");
        out.putNull("lastDelivered");
        out.putNull("ackFloor");
        out.putNull("lastActive");
        String problem;
        if (connection == null || connection.getStatus() != Connection.Status.CONNECTED) {
            problem = "NATS connection " + (connection == null ? "missing" : connection.getStatus());
        } else {
            try {
                ConsumerInfo info = connection.jetStreamManagement().getConsumerInfo(stream, durable);
                out.put("pending", info.getNumPending());
                out.put("ackPending", info.getNumAckPending());
                out.put("lastDelivered", info.getDelivered().getStreamSequence());
                out.put("ackFloor", info.getAckFloor().getStreamSequence());
                ZonedDateTime active = info.getDelivered().getLastActive();
                out.put("lastActive", active == null ? null : Timestamps.format(active.toInstant()));
                problem = null;
            } catch (JetStreamApiException e) {
                problem = e.getApiErrorCode() == CONSUMER_NOT_FOUND ? "durable " + durable + " does not exist on"
                        + " stream " + stream + " (the route's start creates it)"
                        : e.getApiErrorCode() == STREAM_NOT_FOUND ? "stream " + stream + " does not exist"
                        : "the server cannot say: " + ApiJson.printable(e.getMessage());
            } catch (IOException e) {
                problem = "NATS did not answer: " + ApiJson.printable(e.getMessage());
            }
        }
        out.put("problem", problem);
        return out;
    }
}
