package io.meshbridge.bench;

import io.meshbridge.bridge.camel.BridgeEndpoint;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.KafkaBroker;
import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Broker bridge to Kafka: events/s from the event stream to a Kafka topic through the {@code mesh-to-kafka}
 * template next to the raw Kafka producer sending the same records with the same settings and next to a raw bridge
 * doing the route's work with the raw clients, in rounds of one run (warm-up first; the product and the raw bridge
 * swap order each round), against an in-JVM KRaft broker ({@link KafkaBroker}: Kafka's test kit, one broker).
 * Also a part of {@link BridgeBench} ({@code -Dbench.only=kafka}), next to MQTT and NATS in the same run.
 *
 * <ul>
 *   <li><b>Product:</b> a Camel context in this JVM with one {@code mesh-to-kafka} route (a new durable from the
 *   start of the stream and a new topic of 3 partitions per round, its defaults otherwise: key the node,
 *   idempotent producer, {@code acks=all}, {@code linger.ms} 5, {@code maxAckPending} 1,000, each event
 *   acknowledged on JetStream after Kafka acknowledged its record).</li>
 *   <li><b>Raw:</b> a {@code KafkaProducer} with the same settings (idempotent, {@code acks=all}, linger 5 ms, no
 *   compression) sending the same values with the same keys and the same six headers to a new topic of 3
 *   partitions, at most 1,000 unacknowledged (the product's window), counting each acknowledgement.</li>
 *   <li><b>Raw bridge:</b> the same work done the plain way with the two raw clients: a new durable (explicit ack,
 *   max ack pending 2,000) bound by a legacy pull subscription, {@code fetch(500, 2 s)} in a loop, each message's
 *   envelope read with Jackson's streaming parser up to its {@code timestamp} for the key and headers, sent by the
 *   same producer settings with at most 1,000 unacknowledged, and {@code ack()}ed on JetStream in the send's
 *   callback; counting Kafka's acknowledgements, as for the product.</li>
 * </ul>
 * The rate of both sides is the acknowledgements between the 10% mark and the last one over the time between
 * them, so neither side's start-up counts. Every product round must confirm exactly {@code bench.n} events with no
 * failure, every raw round receive exactly {@code bench.n} acknowledgements.
 *
 * <p>Run: {@code NATS_SERVER_BIN=$(.ci/nats-server-current) mvn -B -q -DskipTests test-compile
 * org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.meshbridge.bench.KafkaBridgeBench}; options {@code -Dbench.rounds=5 -Dbench.n=20000}, and
 * {@code -Dbench.kafka.window=N} to give the product's route {@code maxAckPending} N instead of its default (to
 * see whether the window caps it; the raw side keeps 1,000).
 */
public final class KafkaBridgeBench {

    private static final String STREAM = "BENCH_KAFKA";
    private static final int WINDOW = 1_000;
    /** {@code -Dbench.kafka.window}: the product route's {@code maxAckPending}; null for the template's default. */
    private static final String PRODUCT_WINDOW = System.getProperty("bench.kafka.window");
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(300);

    /** One stored event as the raw side sends it. */
    private record Sample(byte[] body, byte[] key, List<Header> headers) {
    }

    private final Connection nc;
    private final String stream;
    private final KafkaBroker kafka;
    private final int n;
    private final List<Sample> samples;
    private final List<String> problems = new ArrayList<>();
    private int topics;

    private KafkaBridgeBench(Connection nc, String stream, KafkaBroker kafka, int n) throws Exception {
        this.nc = nc;
        this.stream = stream;
        this.kafka = kafka;
        this.n = n;
        this.samples = new ArrayList<>(n);
        try (FetchConsumer fetch = nc.jetStream().getStreamContext(stream).createOrderedConsumer(
                new OrderedConsumerConfiguration().filterSubject("events.>")).fetchMessages(n)) {
            for (Message m = fetch.nextMessage(); m != null; m = fetch.nextMessage()) {
                ProducerRecord<byte[], byte[]> r = KafkaBenchRecords.of("unused", m); // as the raw bridge sends it
                samples.add(new Sample(r.value(), r.key(), List.of(r.headers().toArray())));
            }
        }
        if (samples.size() != n) {
            throw new IllegalStateException("read " + samples.size() + " stored events of " + n);
        }
    }


    public static void main(String[] args) throws Exception {
        CoreBench.quietLogging();
        int n = Integer.getInteger("bench.n", 20_000);
        Table table = new Table();
        List<String> problems = new ArrayList<>();
        try (NatsServer server = NatsServer.startDefault(); Connection nc = server.connect()) {
            CoreBench.printEnvironment(server);
            StreamFill.fill(nc, STREAM, n);
            System.out.printf(Locale.ROOT, "stream:  %s, %,d stored events of %.0f bytes on average%n", STREAM, n,
                    StreamFill.meanPayload(nc));
            run(nc, STREAM, n, table, problems);
        }
        System.out.println();
        System.out.println("load average at end: " + CoreBench.loadAverage());
        table.print();
        System.out.println(problems.isEmpty() ? "no problems in any round"
                : "!!!!! " + problems.size() + " PROBLEM(S):\n  " + String.join("\n  ", problems));
    }

    /**
     * The Kafka part on the {@code n} events stored in {@code stream} (also run by {@link BridgeBench}): starts its
     * broker, runs the rounds, adds its row and note to {@code table} and its problems to {@code problems}.
     */
    static void run(Connection nc, String stream, int n, Table table, List<String> problems) throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            KafkaBridgeBench bench = new KafkaBridgeBench(nc, stream, kafka, n);
            System.out.printf(Locale.ROOT, "%nmesh-to-kafka: %,d events to Kafka %s (KRaft, one broker in this JVM),"
                    + " acks=all, idempotent (acknowledgements/s, 10%% to 100%%)%n", n, kafka.bootstrapServers());
            if (PRODUCT_WINDOW != null) {
                System.out.println("NOTE: the product's route runs with maxAckPending " + PRODUCT_WINDOW
                        + ", not its default (-Dbench.kafka.window)");
            }
            List<Double> product = new ArrayList<>();
            List<Double> bridged = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            for (int round = 0; round <= Rounds.count(); round++) {
                // the rates still climb from round to round (the broker's JIT): neither the product nor the raw
                // bridge always goes second
                boolean bridgeFirst = round % 2 == 1;
                double b = bridgeFirst ? bench.rawBridge("bench_kafka_raw_" + round) : 0;
                double p = bench.product("bench_kafka_" + round);
                b = bridgeFirst ? b : bench.rawBridge("bench_kafka_raw_" + round);
                double r = bench.raw();
                System.out.printf(Locale.ROOT, "  kafka %s: product %s/s, raw bridge %s/s, raw producer %s/s (load %s)%n",
                        round == 0 ? "warm-up" : "round " + round, Stats.Unit.RATE.format(p),
                        Stats.Unit.RATE.format(b), Stats.Unit.RATE.format(r), CoreBench.loadAverage());
                if (round > 0) {
                    product.add(p);
                    bridged.add(b);
                    raw.add(r);
                }
            }
            table.rate("mesh-to-kafka, acks=all, against the raw producer (events/s)", Stats.of(product),
                    Stats.of(raw), 0.60);
            table.rate("mesh-to-kafka, acks=all, against the raw bridge (events/s)", Stats.of(product),
                    Stats.of(bridged), 0.60);
            problems.addAll(bench.problems);
        }
        table.note("raw here for Kafka: KafkaProducer (idempotent, acks=all, linger 5 ms, " + WINDOW + " awaiting"
                + " their acknowledgement), in this JVM, sending the same records with the same keys and headers; the"
                + " product also reads each event from JetStream and acknowledges it there. The raw bridge does that"
                + " work too: jnats fetch(500) on a durable, KafkaProducer with the same settings, ack() in the send's"
                + " callback. The broker shares the JVM and the 2 cores with all three.");
    }

    private String newTopic() throws Exception {
        String topic = "bench-" + ++topics;
        kafka.createTopic(topic, PARTITIONS);
        return topic;
    }

    /** One product round: a context with one mesh-to-kafka route; the rate of its confirmations. */
    private double product(String id) throws Exception {
        String topic = newTopic();
        try (CamelContext ctx = MeshTests.context(nc, stream)) {
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.resolveMandatoryResource(ctx,
                    "classpath:templates/mesh-to-kafka.yaml"));
            MeshTests.loadYaml(ctx, "- templatedRoute:\n    routeTemplateRef: mesh-to-kafka\n    routeId: " + id
                    + "\n    parameters:\n" + param("filter", "events.>") + param("brokers", kafka.bootstrapServers())
                    + param("topic", topic) + param("deliverPolicy", "all")
                    + (PRODUCT_WINDOW == null ? "" : param("maxAckPending", PRODUCT_WINDOW)));
            ctx.start();
            BridgeEndpoint bridge = (BridgeEndpoint) ctx.getEndpoints().stream()
                    .filter(e -> e instanceof BridgeEndpoint).findFirst().orElseThrow();
            double rate = rate(() -> bridge.counts().confirmedCount(), "mesh-to-kafka");
            if (bridge.counts().confirmedCount() != n || bridge.counts().failedCount() != 0) {
                problem("mesh-to-kafka " + id + ": " + bridge.counts());
            }
            ctx.getRouteController().stopRoute(id);
            nc.jetStreamManagement().deleteConsumer(stream, id);
            return rate;
        }
    }

    private static String param(String name, String value) {
        return "      - name: " + name + "\n        value: \"" + value + "\"\n";
    }

    /** One raw round: the same records from a KafkaProducer with the same settings. */
    private double raw() throws Exception {
        String topic = newTopic();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore window = new Semaphore(WINDOW);
        try (KafkaProducer<byte[], byte[]> producer = KafkaBenchRecords.producer(kafka.bootstrapServers())) {
            producer.partitionsFor(topic); // metadata before the clock starts, as the product's start-up check
            CompletableFuture<Double> rate = rateInBackground(acked, "raw kafka");
            for (Sample s : samples) {
                window.acquire();
                producer.send(new ProducerRecord<>(topic, null, null, s.key(), s.body(), s.headers()), (m, e) -> {
                    (e == null ? acked : failed).incrementAndGet();
                    window.release();
                });
            }
            double result = rate.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (acked.get() != n || failed.get() != 0) {
                problem("raw kafka: " + acked + " acknowledgements, " + failed + " failed, of " + n);
            }
            return result;
        }
    }

    /**
     * One raw-bridge round: the stored events read from a new durable with jnats' legacy pull {@code fetch(500)},
     * sent as the product sends them, each acknowledged on JetStream once Kafka acknowledged it.
     */
    private double rawBridge(String durable) throws Exception {
        String topic = newTopic();
        nc.jetStreamManagement().addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable(durable)
                .ackPolicy(AckPolicy.Explicit).maxAckPending(2_000).filterSubject("events.>").build());
        JetStreamSubscription sub = nc.jetStream().subscribe("events.>", PullSubscribeOptions.bind(stream, durable));
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore window = new Semaphore(WINDOW);
        try (KafkaProducer<byte[], byte[]> producer = KafkaBenchRecords.producer(kafka.bootstrapServers())) {
            producer.partitionsFor(topic);
            CompletableFuture<Double> rate = rateInBackground(acked, "raw bridge");
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (int received = 0; received < n && System.nanoTime() < deadline; ) {
                for (Message m : sub.fetch(500, Duration.ofSeconds(2))) {
                    received++;
                    window.acquire();
                    producer.send(KafkaBenchRecords.of(topic, m), (meta, e) -> {
                        if (e == null) {
                            m.ack();
                            acked.incrementAndGet();
                        } else {
                            m.nak();
                            failed.incrementAndGet();
                        }
                        window.release();
                    });
                }
            }
            double result = rate.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (acked.get() != n || failed.get() != 0) {
                problem("raw bridge: " + acked + " acknowledgements, " + failed + " failed, of " + n);
            }
            return result;
        } finally {
            sub.unsubscribe();
            nc.jetStreamManagement().deleteConsumer(stream, durable);
        }
    }

    /** {@link #rate} of {@code acked} on another thread, while the calling one sends. */
    private CompletableFuture<Double> rateInBackground(AtomicInteger acked, String side) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return rate(acked::get, side);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Acknowledgements/s between the 10% mark and the n-th, polling {@code confirmed}. */
    private double rate(LongSupplier confirmed, String side) throws InterruptedException {
        return BridgeBench.confirmationRate(confirmed, n, WAIT, side);
    }

    private void problem(String text) {
        System.out.println("    !!! " + text);
        problems.add(text);
    }
}
