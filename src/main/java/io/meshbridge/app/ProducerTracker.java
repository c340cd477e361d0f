package io.meshbridge.app;

import io.meshbridge.webhook.camel.WebhookProducer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Remembers the webhook producers of the Camel context with the route each belongs to, as Camel adds them
 * (a {@link org.apache.camel.spi.LifecycleStrategy}), so that their counts can be exported. Thread-safe.
 */
final class ProducerTracker extends LifecycleStrategySupport {

    private final Map<String, WebhookProducer> webhooks = new ConcurrentHashMap<>();

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (service instanceof WebhookProducer producer) {
            webhooks.put(route == null ? "" : route.getRouteId(), producer);
        }
    }

    @Override
    public void onServiceRemove(CamelContext context, Service service, Route route) {
        if (service instanceof WebhookProducer producer) {
            webhooks.remove(route == null ? "" : route.getRouteId(), producer);
        }
    }

    /** The webhook producers by route id. */
    Map<String, WebhookProducer> webhooks() {
        return new TreeMap<>(webhooks);
    }
}
