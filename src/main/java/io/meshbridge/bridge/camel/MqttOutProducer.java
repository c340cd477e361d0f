package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.bridge.MqttConnection;
import io.meshbridge.bridge.MqttPublisher;
import io.meshbridge.bridge.SubjectMapping;
import io.meshbridge.camel.ConsumedEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of {@code bridge:mqtt-out}: publishes the event a {@code mesh:} consumer delivered to an MQTT 5
 * broker at QoS 1 and completes the exchange only once the broker's PUBACK accepted it, so the consumer
 * acknowledges the event only then.
 *
 * <p><b>Message.</b> Topic: the settings' prefix, then the event's type with {@code .} as {@code /}
 * ({@link SubjectMapping#mqttTopic}); payload: the event's bytes as stored, content type
 * {@code application/json}; user properties {@value MeshOrigin#HEADER} (the loop guard's marker) and
 * {@value #EVENT_ID_PROPERTY} (the event's id: subscribers deduplicate by it, and {@code mqtt-to-mesh} derives
 * its event ids from it). Not retained.
 *
 * <p><b>Confirmation</b> ({@link MqttPublisher}): a PUBACK with a success reason code. A refusal that cannot
 * change (not authorised, invalid topic or payload, too large) fails the exchange permanently, so the event is
 * dead-lettered; others, and a PUBACK that does not come within {@code sendTimeout}, retriably, so the event
 * is retried on the consumer's {@code backoff}. Up to {@code maxInFlight} (and the broker's Receive Maximum)
 * publishes await their PUBACK at once, sent in the consumer's order; a broker restart delays them (they are
 * sent again after the reconnect) rather than failing them.
 *
 * <p>camel-paho-mqtt5's own producer is not used here: it publishes one message at a time and ignores the
 * PUBACK's reason code, so a message the broker refused (an ACL, a quota) would be acknowledged as delivered.
 *
 * <p><b>Loop guard.</b> Events held back by {@link MeshOrigin#outbound} are acknowledged without being sent.
 * Connects at start (the broker must be reachable then). Thread-safe.
 */
public class MqttOutProducer extends OutboundProducer {

    /** The user property carrying the event's id. */
    public static final String EVENT_ID_PROPERTY = "Mesh-Event-Id";

    private static final Logger LOG = LoggerFactory.getLogger(MqttOutProducer.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final MqttBridgeSettings settings;
    private MqttBridgeSettings.Outbound options;
    private MqttConnection connection;
    private MqttPublisher publisher;

    MqttOutProducer(BridgeEndpoint endpoint, MqttBridgeSettings settings) {
        super(endpoint, "bridge:mqtt-out");
        this.settings = settings;
    }

    @Override
    MeshOrigin open() throws Exception {
        options = settings.outbound();
        // a fresh client id per producer: workers sharing the route must not take each other's connection
        connection = settings.connection("mesh-bridge-" + UUID.randomUUID().toString().substring(0, 8));
        MeshOrigin origin = OutboundSteps.origin(getEndpoint().getCamelContext(), options.meshId(),
                options.forwardBridged());
        publisher = new MqttPublisher(connection, options.maxInFlight(), options.sendTimeout());
        LOG.info("Bridging events to {} (topics {}/<type>, QoS 1, {} in flight at most, mesh id {}{})", connection,
                options.topicPrefix(), publisher.window(), origin.meshId(),
                origin.forwardBridged() ? ", forwarding bridged events" : "");
        return origin;
    }

    @Override
    String target() {
        return "MQTT " + connection.brokerUrl();
    }

    @Override
    CompletableFuture<Void> send(ConsumedEvent event, String marker) {
        Map<String, String> properties = new LinkedHashMap<>(4);
        properties.put(MeshOrigin.HEADER, marker);
        properties.put(EVENT_ID_PROPERTY, event.id());
        return publisher.publish(SubjectMapping.mqttTopic(options.topicPrefix(), event.subject()), event.raw(),
                properties, "application/json");
    }

    @Override
    void disconnect() {
        if (publisher != null) {
            publisher.close(CLOSE_GRACE);
        }
    }
}
