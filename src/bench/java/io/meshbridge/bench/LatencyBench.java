package io.meshbridge.bench;

import io.meshbridge.camel.MeshComponent;
import io.meshbridge.testing.NatsServer;
import io.nats.client.ConsumerContext;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.MessageConsumer;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Emit-to-delivery latency of the {@code mesh:} consumer at a low, steady rate (500 events/s by default), next
 * to jnats' own continuous pull consumer ({@code ConsumerContext.consume} with a handler, each message acked):
 * events are published with {@code publishAsync} on a fixed schedule, each carrying its send time, and each
 * side notes the time at which its step (or handler) sees it. Both sides run in this JVM, with the product on
 * the component's defaults; alternating rounds, each with a new durable that starts at new events.
 *
 * <p>Run: {@code NATS_SERVER_BIN=$(.ci/nats-server-current) mvn -q -B test-compile
 * org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.meshbridge.bench.LatencyBench}; {@code -Dbench.rate=500 -Dbench.seconds=10
 * -Dbench.rounds=3}.
 */
public final class LatencyBench {

    private static final String STREAM = "MESH_EVENTS";

    private LatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        CoreBench.quietLogging();
        int rate = Integer.getInteger("bench.rate", 500);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int rounds = Integer.getInteger("bench.rounds", 3);
        Table table = new Table();
        try (NatsServer server = NatsServer.startDefault(); Connection nc = server.connect()) {
            CoreBench.printEnvironment(server);
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(STREAM).subjects("events.>")
                    .build());
            System.out.printf(Locale.ROOT, "emit-to-delivery latency at %d events/s for %d s per round (ms)%n", rate,
                    seconds);
            List<Double> productP50 = new ArrayList<>();
            List<Double> productP99 = new ArrayList<>();
            List<Double> rawP50 = new ArrayList<>();
            List<Double> rawP99 = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                Stats product = product(nc, "lat_mesh_" + round, rate, seconds);
                Stats raw = raw(nc, "lat_raw_" + round, rate, seconds);
                System.out.printf(Locale.ROOT, "  %s: product p50 %.2f p99 %.2f, raw p50 %.2f p99 %.2f%n",
                        round == 0 ? "warm-up" : "round " + round, product.median(), product.percentile(99),
                        raw.median(), raw.percentile(99));
                if (round > 0) {
                    productP50.add(product.median());
                    productP99.add(product.percentile(99));
                    rawP50.add(raw.median());
                    rawP99.add(raw.percentile(99));
                }
            }
            table.latency("mesh: emit to step at " + rate + "/s, p50", Stats.of(productP50), Stats.of(rawP50), 5);
            table.latency("mesh: emit to step at " + rate + "/s, p99", Stats.of(productP99), Stats.of(rawP99), 25);
            table.print();
        }
    }

    private static Stats product(Connection nc, String durable, int rate, int seconds) throws Exception {
        ConcurrentLinkedQueue<Double> seen = new ConcurrentLinkedQueue<>();
        CamelContext ctx = new DefaultCamelContext();
        MeshComponent mesh = new MeshComponent();
        mesh.setConnection(nc);
        mesh.setStream(STREAM);
        mesh.setNodeName("bench");
        ctx.addComponent("mesh", mesh);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("mesh:events.>?deliverPolicy=new").routeId(durable)
                        .process(e -> seen.add(since(e.getIn().getBody(byte[].class))));
            }
        });
        ctx.start();
        try {
            return publish(nc, rate, seconds, seen);
        } finally {
            ctx.stop();
            nc.jetStreamManagement().deleteConsumer(STREAM, durable);
        }
    }

    private static Stats raw(Connection nc, String durable, int rate, int seconds) throws Exception {
        ConcurrentLinkedQueue<Double> seen = new ConcurrentLinkedQueue<>();
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable(durable).ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.New).maxAckPending(1_000).build());
        ConsumerContext context = nc.jetStream().getConsumerContext(STREAM, durable);
        Consumer<io.nats.client.Message> handler = msg -> {
            seen.add(since(msg.getData()));
            msg.ack();
        };
        try (MessageConsumer consumer = context.consume(handler::accept)) {
            return publish(nc, rate, seconds, seen);
        } finally {
            jsm.deleteConsumer(STREAM, durable);
        }
    }

    /** Publishes {@code rate × seconds} events on schedule; the latencies once all were seen. */
    private static Stats publish(Connection nc, int rate, int seconds, ConcurrentLinkedQueue<Double> seen)
            throws Exception {
        JetStream js = nc.jetStream();
        int n = rate * seconds;
        FixedRate.run(rate, n, Duration.ofMillis(200), (i, due) -> {
            String payload = "{\"type\":\"tool.crashed\",\"node\":\"bench\",\"timestamp\":\"2026-11-29T10:45:28.123Z\","
                    + "\"data\":{\"sent\":" + System.nanoTime() + ",\"tool\":\"whisper\"}}";
            js.publishAsync("events.tool.crashed", payload.getBytes(StandardCharsets.UTF_8));
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (seen.size() != n) {
            throw new IllegalStateException("saw " + seen.size() + " of " + n + " events");
        }
        return Stats.of(new ArrayList<>(seen));
    }

    private static double since(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        int at = text.indexOf("\"sent\":") + 7;
        int end = text.indexOf(',', at);
        return (System.nanoTime() - Long.parseLong(text.substring(at, end))) / 1e6;
    }
}
