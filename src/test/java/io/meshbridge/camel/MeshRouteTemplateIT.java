package io.meshbridge.camel;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subject filters with {@code *} and {@code >} reach the consumer intact through the parameters of a YAML
 * route template. This class has the event stream to itself, so {@code events.>} sees only its events.
 */
class MeshRouteTemplateIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_TEMPLATE";

    private static final String YAML = """
            - routeTemplate:
                id: mesh-collect
                parameters:
                  - name: filter
                  - name: collector
                from:
                  uri: "mesh:{{filter}}"
                  steps:
                    - process:
                        ref: "{{collector}}"
            - templatedRoute:
                routeTemplateRef: mesh-collect
                routeId: tools
                parameters:
                  - name: filter
                    value: "events.tool.*"
                  - name: collector
                    value: toolsCollector
            - templatedRoute:
                routeTemplateRef: mesh-collect
                routeId: everything
                parameters:
                  - name: filter
                    value: "events.>"
                  - name: collector
                    value: allCollector
            """;

    @Test
    void wildcardFiltersPassThroughTemplateParameters() throws Exception {
        Connection nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
        List<String> tools = new CopyOnWriteArrayList<>();
        List<String> all = new CopyOnWriteArrayList<>();
        CamelContext ctx = MeshTests.context(nc, STREAM);
        ctx.getRegistry().bind("toolsCollector", (Processor) e ->
                tools.add(e.getIn().getHeader(MeshConstants.SUBJECT, String.class)));
        ctx.getRegistry().bind("allCollector", (Processor) e ->
                all.add(e.getIn().getHeader(MeshConstants.SUBJECT, String.class)));
        MeshTests.loadYaml(ctx, YAML);
        ctx.start();
        try {
            ConsumerConfiguration toolsConsumer = MeshTests.consumerInfo(nc, STREAM, "tools").getConsumerConfiguration();
            ConsumerConfiguration allConsumer = MeshTests.consumerInfo(nc, STREAM, "everything")
                    .getConsumerConfiguration();
            assertThat(toolsConsumer.getFilterSubject()).isEqualTo("events.tool.*");
            assertThat(allConsumer.getFilterSubject()).isEqualTo("events.>");

            MeshTests.publishEvent(nc, "tool.started", "{\"tool\":\"a\"}", "t1");
            MeshTests.publishEvent(nc, "node.joined", "{}", "n1");
            MeshTests.publishEvent(nc, "tool.crashed.twice", "{}", "t2");
            MeshTests.publishEvent(nc, "user.alerts.fired", "{}", "u1");

            MeshTests.awaitDrained(nc, STREAM, "tools", 1);
            MeshTests.awaitDrained(nc, STREAM, "everything", 4);
            await().atMost(WAIT).until(() -> tools.size() == 1 && all.size() == 4);
            assertThat(tools).containsExactly("events.tool.started");
            assertThat(all).containsExactly("events.tool.started", "events.node.joined", "events.tool.crashed.twice",
                    "events.user.alerts.fired");
        } finally {
            ctx.stop();
        }
    }
}
