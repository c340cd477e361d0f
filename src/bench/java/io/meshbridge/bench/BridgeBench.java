package io.meshbridge.bench;

import io.meshbridge.bridge.camel.BridgeEndpoint;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.Mosquitto;
import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * Broker bridges out: events/s from the event stream to an MQTT broker through the {@code mesh-to-mqtt} template,
 * and to another nats-server through {@code mesh-to-nats} (jetstream mode), each next to the raw client sending
 * the same messages with the same confirmation, in alternating rounds of one run ({@link Rounds}).
 *
 * <ul>
 *   <li><b>MQTT.</b> Product: a Camel context in this JVM with one {@code mesh-to-mqtt} route (a new durable per
 *   round, from the start of the stream, its defaults otherwise: QoS 1, 100 in flight cut to the broker's Receive
 *   Maximum, each event acknowledged on JetStream after its PUBACK) to a private Mosquitto (its Receive Maximum
 *   is its {@code max_inflight_messages}, 20). Raw: paho's {@code MqttAsyncClient} publishing the same payloads
 *   to the same topics with the same user properties at QoS 1, as many awaiting their PUBACK as the product's
 *   window, counting each PUBACK.</li>
 *   <li><b>NATS.</b> Product: a {@code mesh-to-nats} route (jetstream mode, {@code maxAckPending} 1,000: as many
 *   PubAcks outstanding) into a stream on the second server, created anew each round (the events keep their
 *   {@code Nats-Msg-Id}, which the stream's duplicate window would drop a round later). Raw: jnats
 *   {@code publishAsync} of the same messages and headers, 1,000 PubAcks outstanding at most.</li>
 * </ul>
 * The rate of both sides is the confirmations between the 10% mark and the last one over the time between them,
 * so neither side's start-up counts. Every product round must confirm exactly {@code bench.n} events, every raw
 * round receive exactly {@code bench.n} confirmations.
 *
 * <p>Run: {@code NATS_SERVER_BIN=$(.ci/nats-server-current) mvn -B -q -DskipTests test-compile
 * org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.meshbridge.bench.BridgeBench}; options {@code -Dbench.rounds=5 -Dbench.n=20000
 * -Dbench.only=mqtt,nats,kafka} (Kafka: {@link KafkaBridgeBench}).
 */
public final class BridgeBench {

    private static final String STREAM = "BENCH_BRIDGE";
    private static final int MQTT_WINDOW = 20;
    private static final int NATS_WINDOW = 1_000;
    private static final Duration WAIT = Duration.ofSeconds(300);

    private final Connection nc;
    private final int n;
    private final List<byte[]> bodies;
    private final List<String> subjects;
    private final List<String> problems = new ArrayList<>();

    private BridgeBench(Connection nc, int n) throws Exception {
        this.nc = nc;
        this.n = n;
        this.bodies = new ArrayList<>(n);
        this.subjects = new ArrayList<>(n);
        JetStream js = nc.jetStream();
        try (FetchConsumer fetch = js.getStreamContext(STREAM).createOrderedConsumer(
                new OrderedConsumerConfiguration().filterSubject("events.>")).fetchMessages(n)) {
            for (Message m = fetch.nextMessage(); m != null; m = fetch.nextMessage()) {
                bodies.add(m.getData());
                subjects.add(m.getSubject());
            }
        }
        if (bodies.size() != n) {
            throw new IllegalStateException("read " + bodies.size() + " stored events of " + n);
        }
    }

    public static void main(String[] args) throws Exception {
        CoreBench.quietLogging();
        int n = Integer.getInteger("bench.n", 20_000);
        String only = System.getProperty("bench.only", "mqtt,nats,kafka");
        Table table = new Table();
        List<String> problems = new ArrayList<>();
        try (NatsServer server = NatsServer.startDefault(); Connection nc = server.connect();
             NatsServer remote = NatsServer.builder().name("nats-remote").start(); Connection rc = remote.connect();
             Mosquitto broker = Mosquitto.start("allow_anonymous true\n", false)) {
            CoreBench.printEnvironment(server);
            StreamFill.fill(nc, STREAM, n);
            System.out.printf(Locale.ROOT, "stream:  %s, %,d stored events of %.0f bytes on average; Mosquitto %s,"
                    + " remote nats-server %s%n", STREAM, n, StreamFill.meanPayload(nc), broker.url(), remote.url());
            BridgeBench bench = new BridgeBench(nc, n);
            if (only.contains("mqtt")) {
                bench.mqtt(broker, table);
            }
            if (only.contains("nats")) {
                bench.nats(remote, rc, table);
            }
            if (only.contains("kafka")) {
                KafkaBridgeBench.run(nc, STREAM, n, table, problems);
            }
            problems.addAll(bench.problems);
        }
        System.out.println();
        System.out.println("load average at end: " + CoreBench.loadAverage());
        table.note("raw here: for MQTT paho's MqttAsyncClient (QoS 1, " + MQTT_WINDOW + " awaiting their PUBACK), for"
                + " NATS jnats publishAsync (" + NATS_WINDOW + " awaiting their PubAck), in this JVM, sending the"
                + " same messages; the product also acknowledges each event on JetStream.");
        table.print();
        System.out.println(problems.isEmpty() ? "no problems in any round"
                : "!!!!! " + problems.size() + " PROBLEM(S):\n  " + String.join("\n  ", problems));
    }

    private void mqtt(Mosquitto broker, Table table) throws Exception {
        System.out.printf(Locale.ROOT, "%nmesh-to-mqtt: %,d events to Mosquitto at QoS 1 (PUBACKs/s, 10%% to 100%%)%n", n);
        int[] round = {0};
        Rounds.Result<Double> r = Rounds.alternate("mqtt", Rounds.count(), () -> {
            String id = "bench_mqtt_" + ++round[0];
            return product(id, "mesh-to-mqtt", Map.of("filter", "events.>", "brokerUrl", broker.url(),
                    "topicPrefix", "bench", "deliverPolicy", "all"));
        }, () -> rawMqtt(broker.url()));
        table.rate("mesh-to-mqtt, QoS 1 (events/s)", Stats.of(r.product()), Stats.of(r.baseline()), 0.60);
    }

    private void nats(NatsServer remote, Connection rc, Table table) throws Exception {
        System.out.printf(Locale.ROOT, "%nmesh-to-nats: %,d events to the remote in jetstream mode (PubAcks/s, 10%% to"
                + " 100%%)%n", n);
        int[] round = {0};
        Rounds.Result<Double> r = Rounds.alternate("nats", Rounds.count(), () -> {
            String id = "bench_nats_" + ++round[0];
            remoteStream(rc);
            return product(id, "mesh-to-nats", Map.of("filter", "events.>", "servers", remote.url(),
                    "subjectPrefix", "bench.", "deliverPolicy", "all"));
        }, () -> {
            remoteStream(rc);
            return rawNats(rc);
        });
        table.rate("mesh-to-nats, jetstream (events/s)", Stats.of(r.product()), Stats.of(r.baseline()), 0.60);
    }

    private static void remoteStream(Connection rc) throws Exception {
        try {
            rc.jetStreamManagement().deleteStream("BENCH_REMOTE");
        } catch (io.nats.client.JetStreamApiException e) {
            // not there yet
        }
        rc.jetStreamManagement().addStream(StreamConfiguration.builder().name("BENCH_REMOTE").subjects("bench.>")
                .storageType(StorageType.File).build());
    }

    /** One product round: a context with one route of {@code template}; the rate of its confirmations. */
    private double product(String id, String template, Map<String, String> params) throws Exception {
        try (CamelContext ctx = MeshTests.context(nc, STREAM)) {
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.resolveMandatoryResource(ctx,
                    "classpath:templates/" + template + ".yaml"));
            StringBuilder yaml = new StringBuilder("- templatedRoute:\n    routeTemplateRef: " + template
                    + "\n    routeId: " + id + "\n    parameters:\n");
            params.forEach((k, v) -> yaml.append("      - name: ").append(k).append("\n        value: \"").append(v)
                    .append("\"\n"));
            MeshTests.loadYaml(ctx, yaml.toString());
            ctx.start();
            BridgeEndpoint bridge = (BridgeEndpoint) ctx.getEndpoints().stream()
                    .filter(e -> e instanceof BridgeEndpoint).findFirst().orElseThrow();
            double rate = rate(() -> bridge.counts().confirmedCount(), template);
            if (bridge.counts().confirmedCount() != n || bridge.counts().failedCount() != 0) {
                problem(template + " " + id + ": " + bridge.counts());
            }
            ctx.getRouteController().stopRoute(id);
            nc.jetStreamManagement().deleteConsumer(STREAM, id);
            return rate;
        }
    }

    private double rawMqtt(String url) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(url, "bench-raw-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o).waitForCompletion(10_000);
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore window = new Semaphore(MQTT_WINDOW);
        MqttActionListener listener = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                int[] codes = token.getReasonCodes();
                (codes == null || codes.length == 0 || codes[0] < 0x80 ? acked : failed).incrementAndGet();
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                failed.incrementAndGet();
                window.release();
            }
        };
        CompletableFuture<Double> rate = CompletableFuture.supplyAsync(() -> {
            try {
                return rate(acked::get, "raw mqtt");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < n; i++) {
            window.acquire();
            MqttProperties p = new MqttProperties();
            p.setUserProperties(List.of(new UserProperty("Mesh-Origin", "bench"), new UserProperty("Mesh-Event-Id",
                    "bench-" + i)));
            p.setContentType("application/json");
            p.setPayloadFormat(true);
            client.publish("bench/" + subjects.get(i).substring("events.".length()).replace('.', '/'),
                    new MqttMessage(bodies.get(i), 1, false, p), null, listener);
        }
        double result = rate.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (acked.get() != n || failed.get() != 0) {
            problem("raw mqtt: " + acked + " PUBACKs, " + failed + " failed, of " + n);
        }
        client.disconnect().waitForCompletion(5000);
        client.close();
        return result;
    }

    private double rawNats(Connection rc) throws Exception {
        JetStream js = rc.jetStream();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore window = new Semaphore(NATS_WINDOW);
        CompletableFuture<Double> rate = CompletableFuture.supplyAsync(() -> {
            try {
                return rate(acked::get, "raw nats");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < n; i++) {
            window.acquire();
            Headers h = new Headers().put("Nats-Msg-Id", "bench-" + i).put("Mesh-Origin", "bench");
            CompletableFuture<PublishAck> ack = js.publishAsync("bench." + subjects.get(i).substring(7), h,
                    bodies.get(i));
            ack.whenComplete((a, e) -> {
                (e == null ? acked : failed).incrementAndGet();
                window.release();
            });
        }
        double result = rate.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (acked.get() != n || failed.get() != 0) {
            problem("raw nats: " + acked + " PubAcks, " + failed + " failed, of " + n);
        }
        return result;
    }

    /** Confirmations/s between the 10% mark and the n-th, polling {@code confirmed}. */
    private double rate(LongSupplier confirmed, String side) throws InterruptedException {
        return confirmationRate(confirmed, n, WAIT, side);
    }

    /**
     * Confirmations/s between the 10% mark and the {@code n}-th, polling {@code confirmed} every 0.2 ms; fails
     * when they do not all come within {@code wait}. Shared with {@link KafkaBridgeBench}.
     */
    static double confirmationRate(LongSupplier confirmed, long n, Duration wait, String side)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long tenth = Math.max(1, n / 10);
        long start = 0;
        while (confirmed.getAsLong() < n) {
            if (start == 0 && confirmed.getAsLong() >= tenth) {
                start = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(side + ": " + confirmed.getAsLong() + " of " + n + " confirmed in "
                        + wait);
            }
            Thread.sleep(0, 200_000);
        }
        long end = System.nanoTime();
        if (start == 0) {
            start = end - 1;
        }
        return (n - tenth) / ((end - start) / 1e9);
    }

    private void problem(String text) {
        System.out.println("    !!! " + text);
        problems.add(text);
    }
}
