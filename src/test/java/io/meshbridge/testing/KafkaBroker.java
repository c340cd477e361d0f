package io.meshbridge.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.server.common.MetadataVersion;
import org.awaitility.Awaitility;

/**
 * A private Kafka broker in KRaft mode, in this JVM, from Kafka's own test kit ({@link KafkaClusterTestKit},
 * the version of the project's kafka-clients): one controller and one broker as separate nodes, the broker's
 * client listener on a fixed random loopback port so that a {@link #restartBroker()} comes back where the
 * clients look for it, its log in a temporary directory that survives the restart. Topics are created with
 * {@link #createTopic}; the internal topics (consumer offsets, transactions) have one replica.
 *
 * <p>Extra broker properties (a SASL listener, say) are given to {@link #start(Map)}; the listener is always
 * named {@code EXTERNAL}. Kafka's INFO logs (broker and clients) are quietened to WARN once a broker
 * started in the JVM. Synchronized; {@link #close()} stops both nodes and deletes the directories.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY = Duration.ofMinutes(2);

    private final KafkaClusterTestKit cluster;
    private final int port;

    private KafkaBroker(KafkaClusterTestKit cluster, int port) {
        this.cluster = cluster;
        this.port = port;
    }

    /** A started broker with a PLAINTEXT listener. */
    public static KafkaBroker start() throws Exception {
        return start(Map.of());
    }

    /**
     * A started broker with {@code brokerProperties} added to (and overriding) its configuration; the listener
     * {@code EXTERNAL://localhost:<port>} is set here, its security protocol may be given as
     * {@code listener.security.protocol.map}.
     */
    public static KafkaBroker start(Map<String, String> brokerProperties) throws Exception {
        quietenKafkaLogs();
        int port = FreePorts.pick();
        Map<String, String> broker = new HashMap<>();
        broker.put("listeners", "EXTERNAL://localhost:" + port);
        broker.putAll(brokerProperties);
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBootstrapMetadataVersion(MetadataVersion.IBP_3_9_IV0) // the release's, not the next one's
                .setCombined(false)
                .setNumControllerNodes(1)
                .setNumBrokerNodes(1)
                .setPerServerProperties(Map.of(0, broker))
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return new KafkaBroker(cluster, port);
    }

    /** The bootstrap servers, {@code localhost:<port>}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The broker's client listener port. */
    public int port() {
        return port;
    }

    /** An admin client of the broker (the caller closes it), with {@code extra} client properties. */
    public Admin admin(Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.putAll(extra);
        return Admin.create(p);
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions and one replica, and waits until the broker leads
     * every partition. The controller answers the creation before the broker has taken the leadership over; a
     * producer that sends in between gets {@code NOT_LEADER_OR_FOLLOWER}, and an idempotent one was seen to
     * retry for minutes with {@code OUT_OF_ORDER_SEQUENCE_NUMBER} after it. Listing the partitions' offsets is
     * answered by the partition leader only, so it waits until that succeeds.
     */
    public void createTopic(String topic, int partitions) throws Exception {
        createTopic(topic, partitions, Map.of());
    }

    /** {@link #createTopic(String, int)} through an admin client with {@code extra} client properties. */
    public void createTopic(String topic, int partitions, Map<String, Object> extra) throws Exception {
        try (Admin admin = admin(extra)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(1, TimeUnit.MINUTES);
            Map<TopicPartition, OffsetSpec> all = new HashMap<>();
            for (int i = 0; i < partitions; i++) {
                all.put(new TopicPartition(topic, i), OffsetSpec.latest());
            }
            // until then it may not even be in the broker's metadata (UNKNOWN_TOPIC_OR_PARTITION, not retried)
            Awaitility.await("broker leading " + topic).atMost(READY).pollInterval(Duration.ofMillis(20))
                    .ignoreExceptionsInstanceOf(ExecutionException.class)
                    .until(() -> admin.listOffsets(all).all().get(1, TimeUnit.MINUTES) != null);
        }
    }

    /**
     * Stops the broker (a controlled shutdown: its log is closed cleanly) and starts it again on the same port and
     * log directory; returns once the controller sees it ready again. The controller keeps running.
     */
    public synchronized void restartBroker() throws Exception {
        stopBroker();
        startBroker();
    }

    /** Stops the broker; clients see it gone until {@link #startBroker()}. */
    public synchronized void stopBroker() {
        broker().shutdown();
        broker().awaitShutdown();
        FreePorts.awaitBindable(port, READY);
    }

    /** Starts the broker stopped by {@link #stopBroker()} and waits until it is ready. */
    public synchronized void startBroker() throws Exception {
        broker().startup();
        cluster.waitForReadyBrokers();
        if (broker().boundPort(ListenerName.normalised("EXTERNAL")) != port) {
            throw new IllegalStateException("the restarted broker is not on port " + port);
        }
    }

    private static void quietenKafkaLogs() {
        for (String name : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private BrokerServer broker() {
        return cluster.brokers().get(0);
    }

    @Override
    public synchronized void close() throws Exception {
        cluster.close();
    }
}
