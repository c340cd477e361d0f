package io.meshbridge.bridge.camel;

import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Helpers for the Kafka bridge tests, reading and writing the broker with the plain Kafka client only (never
 * through the bridge): every record of a topic, end offsets, a group's committed offsets, records sent and
 * acknowledged.
 */
final class KafkaTests {

    static final Duration LONG = Duration.ofSeconds(120);

    private KafkaTests() {
    }

    private static Properties common(KafkaBroker broker, Map<String, Object> extra) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.putAll(extra);
        return p;
    }

    /** A producer with the bridge's settings: idempotent, acks=all. */
    static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker, Map<String, Object> extra) {
        Properties p = common(broker, extra);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends {@code records} and waits for every acknowledgement. */
    static void send(KafkaBroker broker, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(broker, Map.of())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : records) {
                acks.add(producer.send(r));
            }
            for (Future<RecordMetadata> a : acks) {
                a.get(1, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * Sends {@code records} on a thread of its own, {@code perTick} every 100 ms (the producer retries through a
     * broker restart); the future completes once every record is acknowledged.
     */
    static CompletableFuture<Void> sendPaced(KafkaBroker broker, List<ProducerRecord<byte[], byte[]>> records,
                                             int perTick) {
        return CompletableFuture.runAsync(() -> {
            try (KafkaProducer<byte[], byte[]> producer = producer(broker, Map.of())) {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (int i = 0; i < records.size(); i++) {
                    acks.add(producer.send(records.get(i)));
                    if ((i + 1) % perTick == 0) {
                        Thread.sleep(100); // the pace of a source, not a wait for a condition
                    }
                }
                for (Future<RecordMetadata> a : acks) {
                    a.get(2, TimeUnit.MINUTES);
                }
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker broker) {
        Properties p = common(broker, Map.of());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(30))) {
            out.add(new TopicPartition(topic, info.partition()));
        }
        return out;
    }

    /** The number of records in {@code topic} (the sum of its partitions' end offsets; no compaction here). */
    static long count(KafkaBroker broker, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(broker)) {
            return c.endOffsets(partitions(c, topic), Duration.ofSeconds(30)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    /** Every record of {@code topic}, partition by partition, each in offset order. */
    static List<ConsumerRecord<byte[], byte[]>> records(KafkaBroker broker, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(broker)) {
            List<TopicPartition> parts = partitions(c, topic);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            c.assign(parts);
            c.seekToBeginning(parts);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            await("all records of " + topic).atMost(LONG).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
            return out;
        }
    }

    /** The offsets {@code group} committed, by partition. */
    static Map<TopicPartition, Long> committed(KafkaBroker broker, String group, String topic) {
        Properties p = common(broker, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> out = new HashMap<>();
            c.committed(new java.util.HashSet<>(partitions(c, topic)), Duration.ofSeconds(30))
                    .forEach((tp, om) -> out.put(tp, om == null ? -1L : om.offset()));
            return out;
        }
    }

    /** The end offsets of {@code topic}, by partition. */
    static Map<TopicPartition, Long> endOffsets(KafkaBroker broker, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(broker)) {
            return c.endOffsets(partitions(c, topic), Duration.ofSeconds(30));
        }
    }

    /** The text of the last header {@code name} of {@code record}, or {@code null}. */
    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The bridge endpoint of the only bridge route in {@code ctx}. */
    static BridgeEndpoint bridge(CamelContext ctx) {
        return (BridgeEndpoint) ctx.getEndpoints().stream().filter(e -> e instanceof BridgeEndpoint).findFirst()
                .orElseThrow();
    }

    /** The Kafka consumer of the route {@code routeId}. */
    static KafkaBrokerConsumer consumerOf(CamelContext ctx, String routeId) {
        return (KafkaBrokerConsumer) ctx.getRoute(routeId).getConsumer();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
