package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.MqttConnection;
import io.meshbridge.bridge.MqttSubscriber;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.support.DefaultConsumer;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of {@code mqtt-broker:}: one exchange per MQTT message of its settings' topic filter, whose
 * PUBACK is sent only when the exchange completed successfully; a failed exchange sends none, so the broker
 * delivers the message again to the next session (after a reconnect or a restart of the route).
 *
 * <p><b>Exchange.</b> Body: the payload ({@code byte[]}); headers as camel-paho-mqtt5 sets them:
 * {@value PahoMqtt5Constants#MQTT_TOPIC} (the topic), {@value PahoMqtt5Constants#MQTT_QOS} and
 * {@value PahoMqtt5Constants#CAMEL_PAHO_MSG_PROPERTIES} (the MQTT 5 properties, user properties among them).
 *
 * <p><b>Session and order</b>: see {@link MqttSubscriber}: a persistent session under the settings' client id,
 * at most {@code receiveMaximum} messages unacknowledged, one exchange at a time on paho's callback thread, in
 * the broker's order. Connects when the route starts (the broker must be reachable then) and disconnects at
 * stop, leaving the session on the broker. Thread-safe.
 */
public class MqttBrokerConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBrokerConsumer.class);
    private static final Duration QUIESCE = Duration.ofSeconds(10);

    private final MqttBrokerEndpoint endpoint;
    private MqttSubscriber subscriber;

    MqttBrokerConsumer(MqttBrokerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MqttBridgeSettings settings = endpoint.getSettings();
        MqttBridgeSettings.Inbound inbound = settings.inbound();
        if (Params.text(settings.getClientId()) == null) {
            throw new IllegalArgumentException("bridge parameter clientId is required for mqtt-to-mesh: the broker"
                    + " keeps the route's session under it, so it must be the same after a restart");
        }
        MqttConnection connection = settings.connection(null);
        subscriber = new MqttSubscriber(connection, inbound.mapping().filter(), inbound.sessionExpiry(),
                inbound.receiveMaximum(), this::message);
        LOG.info("Subscribed to {} at {} (QoS 1, persistent session, {} unacknowledged at most)",
                inbound.mapping().filter(), connection, inbound.receiveMaximum());
    }

    private void message(String topic, MqttMessage message, MqttSubscriber.Ack ack) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(message.getPayload());
        exchange.getIn().setHeader(PahoMqtt5Constants.MQTT_TOPIC, topic);
        exchange.getIn().setHeader(PahoMqtt5Constants.MQTT_QOS, message.getQos());
        exchange.getIn().setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES, message.getProperties());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        try {
            if (exchange.getException() == null && !exchange.isRollbackOnly()) {
                ack.ack();
            } else {
                getExceptionHandler().handleException("MQTT message of " + topic + " not acknowledged (the broker"
                        + " sends it again to the next session)", exchange, exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (subscriber != null) {
            subscriber.close(QUIESCE);
            subscriber = null;
        }
        super.doStop();
    }
}
