package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.camel.HealthReporting;
import io.nats.client.Connection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultEndpoint;
import org.junit.jupiter.api.Test;

/** What {@code /health} lists: the connection, the context, routes not started, and endpoints' own problems. */
class HealthRouteTest {

    @Test
    void anEndpointsProblemMakesTheWorkerUnhealthyWhileItsRouteStillRuns() throws Exception {
        AtomicReference<String> problem = new AtomicReference<>();
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.addEndpoint("sick://in", new SickEndpoint(ctx, "sick://in", new AtomicReference<>()));
            ctx.addEndpoint("sick://sink", new SickEndpoint(ctx, "sick://sink", problem));
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("sick://in").routeId("archive-all").to("sick://sink");
                }
            });
            ctx.start();
            assertThat(HealthRoute.problems(ctx, Connection.Status.CONNECTED)).isEmpty();

            problem.set("route archive-all: the archive stopped writing");
            assertThat(HealthRoute.problems(ctx, Connection.Status.CONNECTED))
                    .containsExactly("route archive-all: the archive stopped writing");
            assertThat(HealthRoute.problems(ctx, Connection.Status.RECONNECTING))
                    .containsExactly("NATS connection RECONNECTING", "route archive-all: the archive stopped writing");

            problem.set(null);
            ctx.getRouteController().stopRoute("archive-all");
            assertThat(HealthRoute.problems(ctx, Connection.Status.CONNECTED)).containsExactly("route archive-all Stopped");
        }
    }

    /** An endpoint whose health is what the test says; its consumer never produces anything. */
    private static final class SickEndpoint extends DefaultEndpoint implements HealthReporting {
        private final AtomicReference<String> problem;

        SickEndpoint(CamelContext ctx, String uri, AtomicReference<String> problem) {
            this.problem = problem;
            setCamelContext(ctx);
            setEndpointUri(uri);
        }

        @Override
        public Optional<String> problem() {
            return Optional.ofNullable(problem.get());
        }

        @Override
        public Producer createProducer() {
            return new org.apache.camel.support.DefaultProducer(this) {
                @Override
                public void process(org.apache.camel.Exchange exchange) {
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new org.apache.camel.support.DefaultConsumer(this, processor);
        }
    }
}
