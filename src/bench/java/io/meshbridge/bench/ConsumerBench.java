package io.meshbridge.bench;

import io.meshbridge.camel.MeshComponent;
import io.meshbridge.testing.NatsServer;
import io.nats.client.ConsumerContext;
import io.nats.client.Connection;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The {@code mesh:} consumer against a raw jnats pull consumer: N stored events consumed into a no-op step,
 * each acknowledged on its own, with the same batch size and the same max ack pending. A round ends when
 * every message is acknowledged (the consumer's ack floor reaches the last sequence); each round uses a new
 * durable. Alternating rounds after a warm-up; medians with min–max.
 *
 * <p>Run: {@code mvn -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.meshbridge.bench.ConsumerBench}; sizes with
 * {@code -Dbench.rounds=5 -Dbench.consumer.n=100000}.
 */
public final class ConsumerBench {

    private static final String STREAM = "MESH_EVENTS";
    private static final int BATCH = 100;
    private static final int MAX_ACK_PENDING = 1_000;
    private static final Duration ROUND_LIMIT = Duration.ofMinutes(3);

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final int n;
    private final AtomicInteger durables = new AtomicInteger();

    private ConsumerBench(Connection connection, int n) throws Exception {
        this.connection = connection;
        this.jsm = connection.jetStreamManagement();
        this.n = n;
    }

    public static void main(String[] args) throws Exception {
        CoreBench.quietLogging();
        int rounds = Integer.getInteger("bench.rounds", 5);
        int n = Integer.getInteger("bench.consumer.n", 100_000);
        Table table = new Table();
        try (NatsServer server = NatsServer.startDefault(); Connection connection = server.connect()) {
            CoreBench.printEnvironment(server);
            ConsumerBench bench = new ConsumerBench(connection, n);
            bench.fill();
            System.out.printf(Locale.ROOT, "%nmesh: consumer, %,d stored events per round, batch %d, max ack"
                    + " pending %d, per-message acks, no-op step (events/s)%n", n, BATCH, MAX_ACK_PENDING);
            Rounds.Result<Double> r = Rounds.alternate("consume", rounds, bench::product, bench::baseline);
            table.rate("mesh: consumer → no-op (events/s)", Stats.of(r.product()), Stats.of(r.baseline()), 0.70);
        }
        System.out.println();
        System.out.println("load average at end: " + CoreBench.loadAverage());
        table.print();
    }

    private void fill() throws Exception {
        fill(connection, STREAM, n);
    }

    /** Creates {@code stream} on {@code events.>} and stores {@code n} sample events with ids in it. */
    static void fill(Connection connection, String stream, int n) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects("events.>").build());
        JetStream js = connection.jetStream();
        SampleEvents.Wire wire = SampleEvents.wire(new io.meshbridge.events.Bus(connection, "bench"));
        for (int i = 0; i < n; i++) {
            int k = i % wire.size();
            js.publishAsync(wire.subjects()[k], new Headers().put("Nats-Msg-Id", "bench-" + i),
                    wire.payloads()[k]);
            if (i % 5_000 == 4_999) {
                connection.flush(Duration.ofSeconds(30));
            }
        }
        while (jsm.getStreamInfo(stream).getStreamState().getMsgCount() < n) {
            connection.flush(Duration.ofSeconds(30));
        }
    }

    double product() throws Exception {
        String durable = "bench_mesh_" + durables.incrementAndGet();
        CountDownLatch done = new CountDownLatch(n);
        CamelContext ctx = meshContext(connection, STREAM);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("mesh:events.>?durable=" + durable + "&batchSize=" + BATCH + "&maxAckPending="
                        + MAX_ACK_PENDING).routeId(durable).process(exchange -> done.countDown());
            }
        });
        long start = System.nanoTime();
        ctx.start();
        try {
            awaitAllAcked(durable, done);
            return rate(start);
        } finally {
            ctx.stop();
            jsm.deleteConsumer(STREAM, durable);
        }
    }

    /** A Camel context whose {@code mesh} component uses {@code connection} and {@code stream}. */
    static CamelContext meshContext(Connection connection, String stream) {
        CamelContext ctx = new DefaultCamelContext();
        MeshComponent mesh = new MeshComponent();
        mesh.setConnection(connection);
        mesh.setStream(stream);
        mesh.setNodeName("bench");
        ctx.addComponent("mesh", mesh);
        return ctx;
    }

    double baseline() throws Exception {
        String durable = "bench_raw_" + durables.incrementAndGet();
        long start = System.nanoTime();
        jsm.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable(durable)
                .ackPolicy(AckPolicy.Explicit).maxAckPending(MAX_ACK_PENDING).build());
        ConsumerContext consumer = connection.getStreamContext(STREAM).getConsumerContext(durable);
        FetchConsumeOptions fetch = FetchConsumeOptions.builder().maxMessages(BATCH).noWaitExpiresIn(5_000).build();
        CountDownLatch done = new CountDownLatch(n);
        while (done.getCount() > 0) {
            try (FetchConsumer fc = consumer.fetch(fetch)) {
                for (Message m = fc.nextMessage(); m != null; m = fc.nextMessage()) {
                    m.ack();
                    done.countDown();
                }
            }
        }
        awaitAllAcked(durable, done);
        double rate = rate(start);
        jsm.deleteConsumer(STREAM, durable);
        return rate;
    }

    private void awaitAllAcked(String durable, CountDownLatch processed) throws Exception {
        if (!processed.await(ROUND_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(durable + ": only " + (n - processed.getCount()) + " of " + n
                    + " processed within " + ROUND_LIMIT);
        }
        long deadline = System.nanoTime() + ROUND_LIMIT.toNanos();
        while (jsm.getConsumerInfo(STREAM, durable).getAckFloor().getStreamSequence() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(durable + ": acknowledgements missing after " + ROUND_LIMIT);
            }
            connection.flush(Duration.ofSeconds(5));
        }
    }

    private double rate(long startNanos) {
        return n / ((System.nanoTime() - startNanos) / 1e9);
    }
}
