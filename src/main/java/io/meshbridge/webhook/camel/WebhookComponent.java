package io.meshbridge.webhook.camel;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code webhook-out:} Camel component: {@code webhook-out:<name>?settings=#bean} POSTs the events that a
 * {@code mesh:} consumer delivers to one HTTP endpoint, and completes each exchange with the endpoint's
 * verdict, so that the consumer acknowledges, retries or dead-letters the event (see {@link WebhookProducer}).
 * Every option, secrets included, lives in a {@link WebhookSettings} bean, never in the URI; the
 * {@code mesh-webhook} route template makes one per route.
 *
 * <p>Thread-safe; endpoints may be created concurrently.
 */
@Component("webhook-out")
public class WebhookComponent extends DefaultComponent {

    /** A component to be added to a CamelContext (or found by Camel through its service file). */
    public WebhookComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WebhookEndpoint endpoint = new WebhookEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        if (endpoint.getSettings() == null) {
            throw new IllegalArgumentException("webhook-out:" + remaining + " needs settings=#<bean> holding a"
                    + " WebhookSettings (the mesh-webhook route template makes one)");
        }
        return endpoint;
    }
}
