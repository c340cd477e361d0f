package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.KafkaConnection;
import io.meshbridge.bridge.KafkaPublisher;
import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.camel.ConsumedEvent;
import io.meshbridge.camel.MeshPermanentException;
import io.meshbridge.events.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of {@code bridge:kafka-out}: sends the event a {@code mesh:} consumer delivered to a Kafka topic
 * and completes the exchange only once the cluster acknowledged the record ({@code acks=all}, idempotent
 * producer: {@link KafkaPublisher}), so the consumer acknowledges the event only then.
 *
 * <p><b>Record.</b> Topic: the settings' {@code topic}; key: by {@link KafkaKey} (default the event's node);
 * value: the event's bytes as stored; headers {@value MeshOrigin#HEADER} (the loop guard's marker),
 * {@value #EVENT_ID} (the event's id: consumers deduplicate by it, {@code kafka-to-mesh} derives its event ids
 * from it), {@value #TYPE}, {@value #NODE}, {@value #TIMESTAMP} (RFC 3339) and {@code content-type:
 * application/json}, all UTF-8. The record's own timestamp is the send time (an event's old timestamp would
 * make the topic's retention drop a replayed record at once).
 *
 * <p><b>Confirmation.</b> A record Kafka can never take (too large, invalid topic, topic not authorised)
 * fails the exchange permanently, so the event is dead-lettered; no acknowledgement within {@code sendTimeout}
 * (the producer retries inside it, in order and without duplicates) fails it retriably, so the event is retried
 * on the consumer's {@code backoff}. Sends are pipelined, up to the consumer's {@code maxAckPending}, in the
 * consumer's order. A key of {@code data.<field>} that cannot be decoded fails permanently.
 *
 * <p>camel-kafka's producer is not used: see the README ("Kafka"): it completes each exchange on a worker
 * pool rather than in the send callback, hands over every Camel header as a Kafka header, closes its producer
 * at stop without a time limit and cannot tell a refused record from a retriable failure.
 *
 * <p><b>Loop guard.</b> Events held back by {@link MeshOrigin#outbound} are acknowledged without being sent.
 * Checks at start that the topic can be reached (the cluster must be up then); at stop waits up to
 * {@value #CLOSE_GRACE_SECONDS} s for records in flight, and hands back the events of those still unconfirmed.
 * Thread-safe.
 */
public class KafkaOutProducer extends OutboundProducer {

    /** The record header carrying the event's id. */
    public static final String EVENT_ID = MqttOutProducer.EVENT_ID_PROPERTY;
    /** The record header carrying the event's type. */
    public static final String TYPE = "Mesh-Type";
    /** The record header carrying the event's node. */
    public static final String NODE = "Mesh-Node";
    /** The record header carrying the event's timestamp. */
    public static final String TIMESTAMP = "Mesh-Timestamp";

    static final int CLOSE_GRACE_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutProducer.class);
    private static final byte[] JSON = "application/json".getBytes(StandardCharsets.US_ASCII);

    private final KafkaBridgeSettings settings;
    private KafkaBridgeSettings.Outbound options;
    private KafkaPublisher publisher;

    KafkaOutProducer(BridgeEndpoint endpoint, KafkaBridgeSettings settings) {
        super(endpoint, "bridge:kafka-out");
        this.settings = settings;
    }

    @Override
    MeshOrigin open() throws Exception {
        options = settings.outbound();
        KafkaConnection connection = settings.connection("mesh-bridge-" + UUID.randomUUID().toString().substring(0, 8));
        MeshOrigin origin = OutboundSteps.origin(getEndpoint().getCamelContext(), options.meshId(),
                options.forwardBridged());
        publisher = new KafkaPublisher(connection, options.tuning());
        try {
            int partitions = publisher.checkTopic(options.topic());
            LOG.info("Bridging events to {} on {} ({} partitions, key {}, acks=all, idempotent, mesh id {}{})",
                    options.topic(), connection, partitions, options.key(), origin.meshId(),
                    origin.forwardBridged() ? ", forwarding bridged events" : "");
        } catch (Exception e) {
            publisher.close(Duration.ZERO);
            throw e;
        }
        return origin;
    }

    @Override
    String target() {
        return "Kafka topic " + options.topic();
    }

    @Override
    CompletableFuture<Void> send(ConsumedEvent event, String marker) {
        byte[] key;
        try {
            key = options.key().of(event);
        } catch (RuntimeException e) { // a data.<field> key of an event whose data cannot be decoded
            throw new MeshPermanentException("bridge:kafka-out: " + e.getMessage(), e);
        }
        return publisher.publish(options.topic(), key, event.raw(), headers(event, marker));
    }

    private static List<Header> headers(ConsumedEvent event, String marker) {
        List<Header> h = new ArrayList<>(6);
        h.add(header(MeshOrigin.HEADER, marker));
        h.add(header(EVENT_ID, event.id()));
        h.add(header(TYPE, event.head().type()));
        h.add(header(NODE, event.head().node()));
        h.add(header(TIMESTAMP, Timestamps.format(event.head().timestamp())));
        h.add(new RecordHeader("content-type", JSON));
        return h;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    void disconnect() {
        if (publisher != null) {
            publisher.close(Duration.ofSeconds(CLOSE_GRACE_SECONDS));
        }
    }
}
