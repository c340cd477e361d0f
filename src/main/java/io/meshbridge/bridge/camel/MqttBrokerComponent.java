package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.MqttConnection;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Persistence;
import org.apache.camel.spi.annotations.Component;

/**
 * The {@code mqtt-broker:<label>?settings=#<MqttBridgeSettings>} component: camel-paho-mqtt5's endpoint and
 * consumer, configured from a settings bean, so that the password and the TLS key stay out of the URI (and so
 * does the topic filter, whose {@code #} and {@code +} a URI would mangle), with what an at-least-once ingest
 * needs fixed:
 *
 * <ul>
 *   <li>QoS 1 subscription and manual acknowledgements ({@code manualAcksEnabled}): camel-paho-mqtt5 sends the
 *   PUBACK of a message only when its exchange completed successfully, that is after the route's
 *   {@code bridge:mqtt-ingest} step saw the event stored; a failed exchange sends none, and the broker sends the
 *   message again when the session resumes;</li>
 *   <li>a persistent session: {@code cleanStart=false} with the {@code sessionExpiry} of the settings and the
 *   settings' {@code clientId} (which must stay the same across restarts), so the broker keeps the subscription
 *   and queues messages while the route is down;</li>
 *   <li>{@code receiveMaximum} from the settings: the most messages the broker sends before their PUBACK, the
 *   bound of what a restart can deliver twice;</li>
 *   <li>automatic reconnection, at most {@link MqttConnection#MAX_RECONNECT_DELAY} apart.</li>
 * </ul>
 * Other camel-paho-mqtt5 endpoint options may still be given in the URI. Thread-safe.
 */
@Component("mqtt-broker")
public class MqttBrokerComponent extends PahoMqtt5Component {

    /** A component to be added to a CamelContext (or found by Camel through its service file). */
    public MqttBrokerComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MqttBridgeSettings settings = resolveAndRemoveReferenceParameter(parameters, "settings",
                MqttBridgeSettings.class);
        if (settings == null) {
            throw new IllegalArgumentException("mqtt-broker:" + remaining + " needs settings=#<bean> holding a"
                    + " MqttBridgeSettings (the mqtt-to-mesh route template makes one)");
        }
        MqttBridgeSettings.Inbound inbound = settings.inbound();
        if (Params.text(settings.getClientId()) == null) {
            throw new IllegalArgumentException("bridge parameter clientId is required for mqtt-to-mesh: the broker"
                    + " keeps the route's session under it, so it must be the same after a restart");
        }
        MqttConnection connection = settings.connection(null);
        PahoMqtt5Configuration c = getConfiguration().copy();
        c.setBrokerUrl(connection.brokerUrl());
        c.setClientId(connection.clientId());
        if (connection.user() != null) {
            c.setUserName(connection.user());
            if (connection.password() != null) {
                c.setPassword(connection.password().value());
            }
        }
        if (connection.socketFactory() != null) {
            c.setSocketFactory(connection.socketFactory());
        }
        c.setQos(1);
        c.setManualAcksEnabled(true);
        c.setCleanStart(false);
        c.setSessionExpiryInterval(inbound.sessionExpiry().toSeconds());
        c.setReceiveMaximum(inbound.receiveMaximum());
        c.setAutomaticReconnect(true);
        c.setMaxReconnectDelay((int) MqttConnection.MAX_RECONNECT_DELAY.toMillis());
        c.setConnectionTimeout((int) connection.connectTimeout().toSeconds());
        c.setKeepAliveInterval((int) connection.keepAlive().toSeconds());
        c.setPersistence(PahoMqtt5Persistence.MEMORY);
        PahoMqtt5Endpoint endpoint = new PahoMqtt5Endpoint(uri, inbound.mapping().filter(), this, c);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
