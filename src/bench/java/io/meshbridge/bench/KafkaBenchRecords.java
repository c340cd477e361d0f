package io.meshbridge.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.nats.client.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The raw sides' Kafka records and producer in {@link KafkaBridgeBench}, as the route sends them. */
final class KafkaBenchRecords {

    private static final JsonFactory JSON = new JsonFactory();

    private KafkaBenchRecords() {
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A stored event as a record: key the node, the envelope's fields and the event id as headers. */
    static ProducerRecord<byte[], byte[]> of(String topic, Message m) throws IOException {
        String type = null;
        String node = null;
        String timestamp = null;
        try (JsonParser p = JSON.createParser(m.getData())) {
            p.nextToken();
            while (timestamp == null || node == null || type == null) {
                if (p.nextToken() != JsonToken.FIELD_NAME) {
                    throw new IOException("not an event envelope");
                }
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "type" -> type = p.getText();
                    case "node" -> node = p.getText();
                    case "timestamp" -> timestamp = p.getText();
                    default -> p.skipChildren();
                }
            }
        }
        List<Header> h = List.of(header("Mesh-Origin", "bench"),
                header("Mesh-Event-Id", m.getHeaders().getFirst("Nats-Msg-Id")), header("Mesh-Type", type),
                header("Mesh-Node", node), header("Mesh-Timestamp", timestamp), header("content-type",
                        "application/json"));
        return new ProducerRecord<>(topic, null, null, node.getBytes(StandardCharsets.UTF_8), m.getData(), h);
    }

    /** A producer with the product's settings: idempotent, {@code acks=all}, linger 5 ms, no compression. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
