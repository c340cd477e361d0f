package io.meshbridge.bridge.camel;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code kafka-broker:<label>?settings=#<KafkaBridgeSettings>} component: consumes Kafka topics for the
 * {@code kafka-to-mesh} template ({@link KafkaBrokerConsumer}), configured from a settings bean so that the
 * password and the TLS key stay out of the URI. Thread-safe; endpoints may be created concurrently.
 */
@Component("kafka-broker")
public class KafkaBrokerComponent extends DefaultComponent {

    /** A component to be added to a CamelContext (or found by Camel through its service file). */
    public KafkaBrokerComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KafkaBrokerEndpoint endpoint = new KafkaBrokerEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        if (endpoint.getSettings() == null) {
            throw new IllegalArgumentException("kafka-broker:" + remaining + " needs settings=#<bean> holding a"
                    + " KafkaBridgeSettings (the kafka-to-mesh route template makes one)");
        }
        endpoint.getSettings().inbound(); // fails the route's creation naming the parameter at fault
        return endpoint;
    }
}
