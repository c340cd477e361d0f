package io.meshbridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.camel.Reposition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;

/**
 * {@code /api/connectors...}: the worker's connectors (its routes consuming {@code mesh:}), their state, and
 * pause, resume, restart and position. Every operation answers the connector (a list of them for
 * {@code GET /connectors}):
 *
 * <ul>
 *   <li>{@code id} (the route id), {@code filter}, {@code stream}, {@code durable}, {@code worker} (this
 *   worker's node name);</li>
 *   <li>{@code state}: {@code stopped} (the route is not started here), {@code paused} (on purpose, on every
 *   worker sharing the durable), {@code stalled} (events pending on the durable and none settled by this worker
 *   for {@code mesh.health.stall-after}, as the health check decides), {@code failing} (at least one attempt
 *   failed, retried or dead-lettered, since this worker's last acknowledgement of the connector:
 *   {@code counts.failuresSinceAck > 0}), else {@code running}; the first that applies, in that order;</li>
 *   <li>{@code pause}: the stored pause ({@code reason}, {@code since}, {@code worker}, {@code route}) when the
 *   connector is paused or stopped and one is stored, else {@code null};</li>
 *   <li>{@code counts}: this worker's counts since its route was created ({@code delivered},
 *   {@code acknowledged}, {@code failed} attempts, {@code retried}, {@code returned} at stops,
 *   {@code deadLettered}, {@code terminatedAgain}, {@code failuresSinceAck}, {@code inFlight});</li>
 *   <li>{@code server}: the durable's state read from the server at the request, alike on every worker sharing
 *   it: {@code pending} (not yet delivered), {@code ackPending}, {@code lastDelivered} and {@code ackFloor}
 *   (stream sequences), {@code lastActive}; all {@code null} with a {@code problem} when the server cannot
 *   say.</li>
 * </ul>
 *
 * <p>Bodies are JSON objects; a member not listed for the operation is refused (400 naming it), and so is any
 * query parameter (none of these operations takes one). A route id that is no connector is a 404 naming the
 * connectors. Operations that change a connector are serialised per connector (a second one waiting longer than
 * the bound is a 409). Restart and position block for up to about twice the bound ({@code mesh.shutdown.timeout});
 * see {@link ConnectorMoves}. Thread-safe.
 */
public final class ConnectorsApi {

    private static final int MAX_REASON = 500;

    private final CamelContext context;
    private final ConnectorView view;
    private final ConnectorMoves moves;

    private ConnectorsApi(CamelContext context, ConnectorView view, ConnectorMoves moves) {
        this.context = context;
        this.view = view;
        this.moves = moves;
    }

    /**
     * Adds the connectors operations to {@code router}.
     *
     * @param context    the Camel context whose {@code mesh:} routes are the connectors
     * @param states     the worker's readings once they exist ({@code null} before: nothing is stalled yet)
     * @param stallAfter the stall time of the health check ({@code mesh.health.stall-after})
     * @param bound      how long a restart or a position may wait for running exchanges to finish and for the
     *                   durable to settle ({@code mesh.shutdown.timeout})
     */
    public static void register(ApiRouter router, CamelContext context, Supplier<ConnectorStates> states,
                                Duration stallAfter, Duration bound) {
        ConnectorView view = new ConnectorView(context, states, stallAfter);
        ConnectorsApi api = new ConnectorsApi(context, view, new ConnectorMoves(context, view, bound));
        router.add("GET", "/connectors", "Every connector (route consuming mesh:) of this worker: state, filter,"
                + " durable, this worker's counts and the durable's state on the server.", r -> api.list());
        router.add("GET", "/connectors/{id}", "One connector.", r -> ApiResponse.ok(view.json(api.find(r))));
        router.add("POST", "/connectors/{id}/pause", "Pause the connector on every worker sharing its durable"
                + " (kept in NATS).", api::pause);
        router.add("POST", "/connectors/{id}/resume", "Resume a paused connector on every worker.", api::resume);
        router.add("POST", "/connectors/{id}/restart", "Restart the connector's route on this worker (which also"
                + " resumes it).", api::restart);
        router.add("PUT", "/connectors/{id}/position", "Move the connector's durable to a stream sequence or a"
                + " time, to rewind or skip: it delivers next the first event at or after it.", api::position);
    }

    private ApiResponse list() {
        ArrayNode all = ApiJson.MAPPER.createArrayNode();
        for (ConnectorStates.Connector c : ConnectorStates.connectors(context)) {
            all.add(view.json(c));
        }
        ObjectNode out = ApiJson.object();
        out.set("connectors", all);
        return ApiResponse.ok(out);
    }

    /** The connector of the request's {@code id}, or a 404 naming the connectors. */
    private ConnectorStates.Connector find(ApiRequest request) {
        String id = request.pathParam("id");
        List<ConnectorStates.Connector> all = ConnectorStates.connectors(context);
        for (ConnectorStates.Connector c : all) {
            if (c.routeId().equals(id)) {
                return c;
            }
        }
        List<String> ids = all.stream().map(ConnectorStates.Connector::routeId).toList();
        throw ApiException.notFound("no connector '" + ApiJson.printable(id) + "' on this worker (a route consuming"
                + " mesh:); its connectors: " + (ids.isEmpty() ? "none" : ApiJson.printable(String.join(", ", ids))));
    }

    // each change answers the connector found again: a restart of its route creates a new consumer

    private ApiResponse pause(ApiRequest request) throws Exception {
        JsonNode body = body(request, Set.of("reason"));
        String reason = "paused through the API";
        JsonNode r = body.get("reason");
        if (r != null && !r.isNull()) {
            if (!r.isTextual() || r.asText().isBlank() || r.asText().length() > MAX_REASON) {
                throw ApiException.badRequest("reason must be a non-empty string of at most " + MAX_REASON
                        + " characters");
            }
            reason = r.asText().strip();
        }
        ConnectorStates.Connector c = find(request);
        moves.pause(c, reason);
        return ApiResponse.ok(view.json(find(request)));
    }

    private ApiResponse resume(ApiRequest request) throws Exception {
        body(request, Set.of());
        ConnectorStates.Connector c = find(request);
        moves.resume(c);
        return ApiResponse.ok(view.json(find(request)));
    }

    private ApiResponse restart(ApiRequest request) throws Exception {
        body(request, Set.of());
        ConnectorStates.Connector c = find(request);
        moves.restart(c);
        return ApiResponse.ok(view.json(find(request)));
    }

    private ApiResponse position(ApiRequest request) throws Exception {
        JsonNode body = body(request, Set.of("sequence", "time"));
        JsonNode seq = body.get("sequence");
        JsonNode time = body.get("time");
        boolean hasSeq = seq != null && !seq.isNull();
        boolean hasTime = time != null && !time.isNull();
        if (hasSeq == hasTime) {
            throw ApiException.badRequest("give exactly one of sequence (a stream sequence, at least 1) and time"
                    + " (RFC 3339), " + (hasSeq ? "not both" : "none was given"));
        }
        Reposition.Target target;
        if (hasSeq) {
            if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 1) {
                throw ApiException.badRequest("sequence must be an integer of at least 1, was "
                        + ApiJson.printable(seq.toString()));
            }
            target = Reposition.Target.sequence(seq.asLong());
        } else {
            if (!time.isTextual()) {
                throw ApiException.badRequest("time must be an RFC 3339 string such as 2026-12-01T10:00:00Z, was "
                        + ApiJson.printable(time.toString()));
            }
            try {
                target = Reposition.Target.time(Instant.parse(time.asText().strip()));
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("time must be an RFC 3339 time such as 2026-12-01T10:00:00Z, was '"
                        + ApiJson.printable(time.asText()) + "'");
            }
        }
        ConnectorStates.Connector c = find(request);
        ObjectNode position = moves.position(c, target);
        ObjectNode out = view.json(find(request));
        out.set("position", position);
        return ApiResponse.ok(out);
    }

    /** The body as an object with only {@code allowed} members; else a 400 naming the first other one. */
    private static JsonNode body(ApiRequest request, Set<String> allowed) {
        JsonNode body = request.jsonBody();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown member '" + ApiJson.printable(name) + "' in the body"
                        + (allowed.isEmpty() ? " (this operation takes none)"
                        : " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")"));
            }
        }
        return body;
    }
}
