package io.meshbridge.bridge.camel;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A {@code bridge:<kind>} endpoint: send-only; its producer is the bridge step named by the kind (see
 * {@link BridgeComponent}). It holds the counts of what its producers did.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "bridge", title = "Mesh broker bridge", syntax = "bridge:kind",
             producerOnly = true, category = {Category.MESSAGING})
public class BridgeEndpoint extends DefaultEndpoint {

    /** The bridge steps. */
    public enum Kind {
        /** Events to another NATS. */
        NATS_OUT("nats-out", NatsBridgeSettings.class),
        /** Events to an MQTT broker. */
        MQTT_OUT("mqtt-out", MqttBridgeSettings.class),
        /** MQTT messages to events. */
        MQTT_INGEST("mqtt-ingest", MqttBridgeSettings.class),
        /** Events to a Kafka topic. */
        KAFKA_OUT("kafka-out", KafkaBridgeSettings.class),
        /** Kafka records to events. */
        KAFKA_INGEST("kafka-ingest", KafkaBridgeSettings.class);

        private final String path;
        private final Class<?> settings;

        Kind(String path, Class<?> settings) {
            this.path = path;
            this.settings = settings;
        }

        static Kind of(String path) {
            for (Kind k : values()) {
                if (k.path.equals(path)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("bridge:" + path + " is unknown: use bridge:nats-out, bridge:mqtt-out,"
                    + " bridge:mqtt-ingest, bridge:kafka-out or bridge:kafka-ingest");
        }

        void requireSettings(Object bean) {
            if (!settings.isInstance(bean)) {
                throw new IllegalArgumentException("bridge:" + path + " needs settings of type "
                        + settings.getSimpleName() + ", was " + bean.getClass().getSimpleName());
            }
        }
    }

    @UriPath(description = "The step: nats-out, mqtt-out, mqtt-ingest, kafka-out or kafka-ingest.")
    @Metadata(required = true)
    private final Kind kind;

    @UriParam(description = "The bridge's settings (a bean reference, #name): NatsBridgeSettings,"
                            + " MqttBridgeSettings or KafkaBridgeSettings.")
    @Metadata(required = true)
    private Object settings;

    private final BridgeCounts counts = new BridgeCounts();

    /** An endpoint of {@code component} for {@code kind}. */
    public BridgeEndpoint(String uri, BridgeComponent component, Kind kind) {
        super(uri, component);
        this.kind = kind;
    }

    @Override
    public Producer createProducer() {
        return switch (kind) {
            case NATS_OUT -> new NatsOutProducer(this, (NatsBridgeSettings) settings);
            case MQTT_OUT -> new MqttOutProducer(this, (MqttBridgeSettings) settings);
            case MQTT_INGEST -> new MqttIngestProducer(this, (MqttBridgeSettings) settings);
            case KAFKA_OUT -> new KafkaOutProducer(this, (KafkaBridgeSettings) settings);
            case KAFKA_INGEST -> new KafkaIngestProducer(this, (KafkaBridgeSettings) settings);
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("bridge: can only be sent to");
    }

    /** The step of this endpoint. */
    public Kind getKind() {
        return kind;
    }

    public Object getSettings() {
        return settings;
    }

    public void setSettings(Object settings) {
        this.settings = settings;
    }

    /** What this endpoint's producers did so far. */
    public BridgeCounts counts() {
        return counts;
    }
}
