package io.meshbridge.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.api.ApiAuth;
import io.meshbridge.events.Secret;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code /observe/*} on the worker's HTTP port, answered from Camel's health checks and from Camel's
 * Micrometer registry:
 * <ul>
 *   <li>{@code GET /observe/health}: every check; {@code /observe/health/live}: the liveness checks;
 *       {@code /observe/health/ready}: the readiness checks. {@code 200 {"status":"UP","checks":[...]}} when
 *       each is up, else {@code 503} with {@code "status":"DOWN"}; each check with its name, status, message
 *       and details.</li>
 *   <li>{@code GET /observe/metrics}: the registry in Prometheus' text format (0.0.4).</li>
 * </ul>
 * With a token configured every request needs {@code Authorization: Bearer <token>}, compared in constant
 * time, else {@code 401}; with {@code api} set the API's tokens are accepted too (and one is required even
 * without an observe token); no token is ever logged or echoed.
 */
final class ObserveRoute extends RouteBuilder {

    static final String PREFIX = "/observe";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final byte[] tokenDigest;
    private final ApiAuth api;

    /** The routes on {@code registry}, behind {@code token} and, when not {@code null}, the API's {@code api}. */
    ObserveRoute(PrometheusMeterRegistry registry, Secret token, ApiAuth api) {
        this.registry = registry;
        this.tokenDigest = token == null ? null : sha256(token.value());
        this.api = api;
    }

    @Override
    public void configure() {
        from("platform-http:" + PREFIX + "/health?httpMethodRestrict=GET").routeId("mesh-observe-health")
                .process(e -> health(e, Scope.ALL));
        from("platform-http:" + PREFIX + "/health/live?httpMethodRestrict=GET").routeId("mesh-observe-live")
                .process(e -> health(e, Scope.LIVE));
        from("platform-http:" + PREFIX + "/health/ready?httpMethodRestrict=GET").routeId("mesh-observe-ready")
                .process(e -> health(e, Scope.READY));
        from("platform-http:" + PREFIX + "/metrics?httpMethodRestrict=GET").routeId("mesh-observe-metrics")
                .process(this::metrics);
    }

    private enum Scope { ALL, LIVE, READY }

    private void health(Exchange exchange, Scope scope) throws Exception {
        if (!authorized(exchange)) {
            return;
        }
        Collection<HealthCheck.Result> results = switch (scope) {
            case ALL -> HealthCheckHelper.invoke(exchange.getContext());
            case LIVE -> HealthCheckHelper.invokeLiveness(exchange.getContext());
            case READY -> HealthCheckHelper.invokeReadiness(exchange.getContext());
        };
        boolean up = !results.isEmpty() && results.stream().allMatch(r -> r.getState() == HealthCheck.State.UP);
        ObjectNode body = JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
        ArrayNode checks = body.putArray("checks");
        for (HealthCheck.Result r : results) {
            ObjectNode check = checks.addObject().put("name", r.getCheck().getId())
                    .put("status", r.getState().name());
            r.getMessage().ifPresent(m -> check.put("message", m));
            ObjectNode details = JSON.createObjectNode();
            for (Map.Entry<String, Object> d : r.getDetails().entrySet()) {
                if (!HealthCheckHelper.isReservedKey(d.getKey()) || "problems".equals(d.getKey())) {
                    details.set(d.getKey(), JSON.valueToTree(plain(d.getValue())));
                }
            }
            if (!details.isEmpty()) {
                check.set("details", details);
            }
        }
        answer(exchange, up ? 200 : 503, "application/json", JSON.writeValueAsString(body) + "\n");
    }

    private static Object plain(Object value) {
        return value instanceof Number || value instanceof Boolean || value instanceof Collection<?> ? value
                : String.valueOf(value);
    }

    private void metrics(Exchange exchange) {
        if (authorized(exchange)) {
            answer(exchange, 200, PROMETHEUS_TEXT, registry.scrape(PROMETHEUS_TEXT));
        }
    }

    /** Whether the request may pass; answers 401 when not. */
    private boolean authorized(Exchange exchange) {
        if (tokenDigest == null && api == null) {
            return true;
        }
        String header = exchange.getIn().getHeader("Authorization", String.class);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        boolean observeToken = tokenDigest != null && presented != null
                && MessageDigest.isEqual(tokenDigest, sha256(presented));
        if (observeToken || (api != null && api.allows(header))) {
            return true;
        }
        String wanted = tokenDigest == null ? "one of mesh.api.tokens" : api == null ? "<mesh.observe.token>"
                : "<mesh.observe.token> or one of mesh.api.tokens";
        answer(exchange, 401, "application/json", "{\"status\":\"UNAUTHORIZED\",\"reason\":\"" + PREFIX
                + "/* needs Authorization: Bearer " + wanted + "\"}\n");
        exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"mesh-bridge observe\"");
        return false;
    }

    private static void answer(Exchange exchange, int status, String contentType, String body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        exchange.getMessage().setBody(body);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
