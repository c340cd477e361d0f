package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.InboundPayloads;
import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of {@code bridge:mqtt-ingest}: turns the MQTT message of an {@code mqtt-broker:} consumer's
 * exchange into an event {@code user.<topic>} and returns only once the stream stored it, so the consumer
 * acknowledges the message (PUBACK) only then.
 *
 * <p><b>Rules</b>, those of the HTTP ingest: the topic by the settings' {@link io.meshbridge.bridge.TopicMapping}
 * under {@code io.meshbridge.ingest.TopicRules}; the payload by {@link InboundPayloads} (size and depth limits,
 * non-objects wrapped or refused). A message the rules refuse goes to the dead-letter stream
 * ({@link InboundDeadLetters}) and is acknowledged.
 *
 * <p><b>Event.</b> Data from the payload, node the settings' {@code node} (else the worker's), id
 * {@code mqtt:<topic>:<Mesh-Event-Id>} when the message carries that user property (a message sent again is
 * then stored once within the stream's duplicate window), else a fresh one (a message delivered again is
 * then stored again). The message's {@value MeshOrigin#HEADER} user property is kept as the event's NATS
 * header; a message carrying this mesh's own marker left this mesh through a bridge and is acknowledged
 * without being emitted (the loop guard).
 *
 * <p><b>Waiting.</b> While the stream does not acknowledge (NATS down), the emit is retried with the same id,
 * on this thread (the consumer's, paho's callback thread, so later messages wait: order is kept); a long outage
 * can make the broker drop the connection, which then delivers the unacknowledged messages again. At stop a
 * message not yet stored fails its exchange: no PUBACK, the broker delivers it again to the next session.
 * Thread-safe.
 */
public class MqttIngestProducer extends DefaultProducer implements ShutdownPrepared {

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngestProducer.class);
    private static final Duration EMIT_TRY = Duration.ofSeconds(5);
    private static final long PAUSE_MILLIS = 500;

    private final BridgeEndpoint endpoint;
    private final MqttBridgeSettings settings;
    private MqttBridgeSettings.Inbound options;
    private MeshOrigin origin;
    private PersistentBus bus;
    private InboundDeadLetters deadLetters;
    private volatile boolean stopping;
    private long lastWarning;

    MqttIngestProducer(BridgeEndpoint endpoint, MqttBridgeSettings settings) {
        super(endpoint);
        this.endpoint = endpoint;
        this.settings = settings;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        options = settings.inbound();
        InboundMesh mesh = InboundMesh.attach(getEndpoint().getCamelContext(), options.meshId(), EMIT_TRY,
                PersistConfig.defaults().maxInFlight(), "mqtt");
        origin = mesh.origin();
        bus = mesh.bus();
        deadLetters = mesh.deadLetters();
        LOG.info("Ingesting MQTT messages of {} as user.{} events (non-JSON payloads: {}, mesh id {})",
                options.mapping().filter(), options.mapping().pattern(), settings.getNonJson(), origin.meshId());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String topic = exchange.getIn().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
        byte[] payload = exchange.getIn().getBody(byte[].class);
        if (topic == null || payload == null) {
            throw new IllegalStateException("bridge:mqtt-ingest needs a message of an mqtt-broker: consumer");
        }
        MqttProperties properties = exchange.getIn().getHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES,
                MqttProperties.class);
        String marker = MeshOrigin.validMarker(userProperty(properties, MeshOrigin.HEADER));
        if (origin.inboundSkips(marker)) {
            endpoint.counts().returned();
            return;
        }
        String sourceId = MeshOrigin.validMarker(userProperty(properties, MqttOutProducer.EVENT_ID_PROPERTY));
        String route = exchange.getFromRouteId();
        String meshTopic;
        Map<String, Object> data;
        try {
            meshTopic = options.mapping().meshTopic(topic);
            data = options.payloads().data(payload);
        } catch (IllegalArgumentException | InboundPayloads.Refused e) {
            deadLetters.write(route, topic, sourceId, payload, e.getMessage(), () -> stopping);
            endpoint.counts().deadLettered();
            return;
        }
        Event event = Event.user(options.node() == null ? "" : options.node(), meshTopic, data);
        String id = sourceId != null ? "mqtt:" + meshTopic + ":" + sourceId : bus.bus().newId();
        emit(event, id, marker == null ? Map.of() : Map.of(MeshOrigin.HEADER, marker), route, topic, sourceId,
                payload);
    }

    private void emit(Event event, String id, Map<String, String> headers, String route, String topic,
                      String sourceId, byte[] payload) throws InterruptedException {
        while (true) {
            try {
                bus.emit(event, id, headers);
                endpoint.counts().confirmed();
                return;
            } catch (IllegalArgumentException e) { // larger than the server's max payload once encoded
                deadLetters.write(route, topic, sourceId, payload, "the event cannot be stored: " + e.getMessage(),
                        () -> stopping);
                endpoint.counts().deadLettered();
                return;
            } catch (IOException | RuntimeException e) {
                endpoint.counts().failed();
                if (stopping) {
                    throw new BridgeSendFailedException("the route stopped before the stream stored the message of "
                            + topic + "; the broker delivers it again");
                }
                warn("the stream did not store the message of " + topic + " (" + e.getMessage() + "); retrying");
                Thread.sleep(PAUSE_MILLIS);
            }
        }
    }

    private void warn(String message) {
        long now = System.nanoTime();
        if (lastWarning == 0 || now - lastWarning > 60_000_000_000L) {
            lastWarning = now;
            LOG.warn(message);
        }
    }

    /** The first value of the user property {@code name}, or {@code null}. */
    static String userProperty(MqttProperties properties, String name) {
        if (properties == null) {
            return null;
        }
        List<UserProperty> list = properties.getUserProperties();
        if (list == null) {
            return null;
        }
        for (UserProperty p : list) {
            if (name.equals(p.getKey())) {
                return p.getValue();
            }
        }
        return null;
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        stopping = true; // a message that cannot be stored now is left to the broker's next delivery
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        LOG.info("Stopped ingesting MQTT messages of {}: {}", options == null ? "?" : options.mapping().filter(),
                endpoint.counts());
        super.doStop();
    }
}
