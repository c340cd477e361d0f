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
 * A {@code kafka-broker:<label>} endpoint: consume-only; its {@link KafkaBrokerConsumer} reads the topics of its
 * {@link KafkaBridgeSettings}. The label is a name only.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "kafka-broker", title = "Mesh Kafka ingest",
             syntax = "kafka-broker:label", consumerOnly = true, category = {Category.MESSAGING})
public class KafkaBrokerEndpoint extends DefaultEndpoint {

    @UriPath(description = "A label for the endpoint.")
    @Metadata(required = true)
    private final String label;

    @UriParam(description = "The cluster, group and topic settings (a bean reference, #name).")
    @Metadata(required = true)
    private KafkaBridgeSettings settings;

    /** An endpoint of {@code component} named {@code label}. */
    public KafkaBrokerEndpoint(String uri, KafkaBrokerComponent component, String label) {
        super(uri, component);
        this.label = label;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KafkaBrokerConsumer consumer = new KafkaBrokerConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("kafka-broker: can only be consumed from (send with bridge:kafka-out)");
    }

    public String getLabel() {
        return label;
    }

    public KafkaBridgeSettings getSettings() {
        return settings;
    }

    public void setSettings(KafkaBridgeSettings settings) {
        this.settings = settings;
    }
}
