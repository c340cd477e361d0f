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
 * An {@code mqtt-broker:<label>} endpoint: consume-only; its {@link MqttBrokerConsumer} subscribes to the topic
 * filter of its {@link MqttBridgeSettings}. The label is a name only.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mqtt-broker", title = "Mesh MQTT ingest", syntax = "mqtt-broker:label",
             consumerOnly = true, category = {Category.MESSAGING, Category.IOT})
public class MqttBrokerEndpoint extends DefaultEndpoint {

    @UriPath(description = "A label for the endpoint.")
    @Metadata(required = true)
    private final String label;

    @UriParam(description = "The broker, session and topic settings (a bean reference, #name).")
    @Metadata(required = true)
    private MqttBridgeSettings settings;

    /** An endpoint of {@code component} named {@code label}. */
    public MqttBrokerEndpoint(String uri, MqttBrokerComponent component, String label) {
        super(uri, component);
        this.label = label;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        MqttBrokerConsumer consumer = new MqttBrokerConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("mqtt-broker: can only be consumed from (publish with bridge:mqtt-out)");
    }

    public String getLabel() {
        return label;
    }

    public MqttBridgeSettings getSettings() {
        return settings;
    }

    public void setSettings(MqttBridgeSettings settings) {
        this.settings = settings;
    }
}
