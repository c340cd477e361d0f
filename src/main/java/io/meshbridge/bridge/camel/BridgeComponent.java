package io.meshbridge.bridge.camel;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code bridge:} Camel component: the steps of the broker bridge templates, each configured by a settings
 * bean so that no secret appears in a URI.
 *
 * <ul>
 *   <li>{@code bridge:nats-out?settings=#<NatsBridgeSettings>} sends the events of a {@code mesh:} route to
 *   another NATS ({@link NatsOutProducer});</li>
 *   <li>{@code bridge:mqtt-out?settings=#<MqttBridgeSettings>} sends them to an MQTT broker
 *   ({@link MqttOutProducer});</li>
 *   <li>{@code bridge:mqtt-ingest?settings=#<MqttBridgeSettings>} emits the messages of an
 *   {@code mqtt-broker:} consumer as events ({@link MqttIngestProducer});</li>
 *   <li>{@code bridge:kafka-out?settings=#<KafkaBridgeSettings>} sends the events of a {@code mesh:} route to a
 *   Kafka topic ({@link KafkaOutProducer});</li>
 *   <li>{@code bridge:kafka-ingest?settings=#<KafkaBridgeSettings>} emits the records of a {@code kafka-broker:}
 *   consumer as events ({@link KafkaIngestProducer}).</li>
 * </ul>
 * Thread-safe; endpoints may be created concurrently.
 */
@Component("bridge")
public class BridgeComponent extends DefaultComponent {

    /** A component to be added to a CamelContext (or found by Camel through its service file). */
    public BridgeComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BridgeEndpoint.Kind kind = BridgeEndpoint.Kind.of(remaining);
        BridgeEndpoint endpoint = new BridgeEndpoint(uri, this, kind);
        setProperties(endpoint, parameters);
        if (endpoint.getSettings() == null) {
            throw new IllegalArgumentException("bridge:" + remaining + " needs settings=#<bean> (the route template"
                    + " makes one)");
        }
        kind.requireSettings(endpoint.getSettings());
        return endpoint;
    }
}
