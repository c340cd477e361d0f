package io.meshbridge.webhook.camel;

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
 * A {@code webhook-out:<name>} endpoint: send-only; its {@link WebhookProducer} POSTs the events of a
 * {@code mesh:} route to the endpoint its {@link WebhookSettings} name. The name is a label only.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "webhook-out", title = "Mesh webhook", syntax = "webhook-out:name",
             producerOnly = true, category = {Category.HTTP})
public class WebhookEndpoint extends DefaultEndpoint {

    @UriPath(description = "A label for the endpoint.")
    @Metadata(required = true)
    private final String name;

    @UriParam(description = "The target, signing, delivery and TLS settings (a bean reference, #name).")
    @Metadata(required = true)
    private WebhookSettings settings;

    /** An endpoint of {@code component} named {@code name}. */
    public WebhookEndpoint(String uri, WebhookComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public Producer createProducer() {
        return new WebhookProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("webhook-out: can only be sent to");
    }

    /** The label of the endpoint. */
    public String getName() {
        return name;
    }

    public WebhookSettings getSettings() {
        return settings;
    }

    public void setSettings(WebhookSettings settings) {
        this.settings = settings;
    }
}
