package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshbridge.api.ApiRouter;
import io.meshbridge.api.OpenApi;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/openapi.json} names every operation the worker's router has, and no other, each with the query
 * parameters the router lets through to it.
 */
class ApiDocumentIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void theDocumentAndTheRouterListTheSameOperationsWithTheSameQueryParameters() throws Exception {
        Connection nc = NATS.connect();
        ApiRouter router;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            router = new ApiWiring(ConfigParser.parse(Map.of()), nc, () -> null).router(context);
        }
        Map<String, Set<String>> routed = new TreeMap<>();
        for (ApiRouter.Operation op : router.operations()) {
            routed.put(op.method() + " /api" + op.path(), new TreeSet<>(op.query()));
        }
        Map<String, Set<String>> documented = new TreeMap<>();
        JsonNode paths = OpenApi.document().path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!op.getKey().equals("parameters")) {
                    Set<String> query = new TreeSet<>();
                    queryParameters(path.getValue().path("parameters"), query);
                    queryParameters(op.getValue().path("parameters"), query);
                    documented.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), query);
                }
            }
        }
        assertThat(routed).isNotEmpty().isEqualTo(documented);
        assertThat(OpenApi.document().path("openapi").asText()).isEqualTo("3.0.3");
    }

    /** Adds the names of the {@code in: query} entries of an OpenAPI {@code parameters} list to {@code names}. */
    private static void queryParameters(JsonNode parameters, Set<String> names) {
        for (JsonNode p : parameters) {
            assertThat(p.has("$ref")).as("parameters are written out, not referenced: " + p).isFalse();
            if (p.path("in").asText().equals("query")) {
                names.add(p.path("name").asText());
            }
        }
    }
}
