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
import java.util.TreeSet;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/openapi.json} names every operation the worker's router has, and no other. */
class ApiDocumentIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void theDocumentAndTheRouterListTheSameOperations() throws Exception {
        Connection nc = NATS.connect();
        ApiRouter router;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            router = new ApiWiring(ConfigParser.parse(Map.of()), nc, () -> null).router(context);
        }
        Set<String> routed = new TreeSet<>();
        for (ApiRouter.Operation op : router.operations()) {
            routed.add(op.method() + " /api" + op.path());
        }
        Set<String> documented = new TreeSet<>();
        JsonNode paths = OpenApi.document().path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (!method.equals("parameters")) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        assertThat(routed).isNotEmpty().isEqualTo(documented);
        assertThat(OpenApi.document().path("openapi").asText()).isEqualTo("3.0.3");
    }
}
