package io.meshbridge.bridge.camel;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code mqtt-broker:<label>?settings=#<MqttBridgeSettings>} component: an MQTT 5 consumer for an
 * at-least-once ingest ({@link MqttBrokerConsumer}), configured from a settings bean, so that the password, the
 * TLS key and the topic filter (whose {@code #} and {@code +} a URI would mangle) stay out of the URI.
 *
 * <p>Not camel-paho-mqtt5's consumer: that one (4.17.0) supports manual acknowledgements ({@code
 * manualAcksEnabled}: the PUBACK when the exchange completes), but it registers its message callback only after
 * connecting, so what a persistent session delivers at once is dropped by paho unacknowledged (it comes back
 * only at the next reconnect), and it renews its subscription synchronously inside paho's reconnect callback,
 * which stalls delivery after a broker restart. This one uses paho's client (which camel-paho-mqtt5 brings)
 * the same way, without those two faults. Thread-safe.
 */
@Component("mqtt-broker")
public class MqttBrokerComponent extends DefaultComponent {

    /** A component to be added to a CamelContext (or found by Camel through its service file). */
    public MqttBrokerComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MqttBrokerEndpoint endpoint = new MqttBrokerEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        if (endpoint.getSettings() == null) {
            throw new IllegalArgumentException("mqtt-broker:" + remaining + " needs settings=#<bean> holding a"
                    + " MqttBridgeSettings (the mqtt-to-mesh route template makes one)");
        }
        return endpoint;
    }
}
