package io.meshbridge.bridge.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import io.meshbridge.bridge.MqttConnection;
import io.meshbridge.bridge.MqttLink;
import java.time.Duration;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * A plain paho MQTT 5 client for the tests: subscribes at QoS 1 with a persistent session (so it misses nothing
 * across a broker restart) and records every message with its DUP flag; also publishes. Thread-safe.
 */
final class MqttProbe implements AutoCloseable {

    /** One message as received. */
    record Received(String topic, byte[] payload, boolean dup, Map<String, String> properties) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final MqttLink link;
    final String clientId;

    private MqttProbe(String url, String clientId, boolean subscriber) throws MqttException {
        this.clientId = clientId;
        MqttCallback callback = new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                Map<String, String> props = m.getProperties() == null || m.getProperties().getUserProperties() == null
                        ? Map.of() : m.getProperties().getUserProperties().stream()
                        .collect(Collectors.toMap(UserProperty::getKey, UserProperty::getValue, (a, b) -> a));
                received.add(new Received(topic, m.getPayload(), m.isDuplicate(), props));
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int code, MqttProperties p) {
            }
        };
        MqttConnectionOptions o = new MqttConnectionOptions();
        // a subscriber keeps its session across a broker restart; a publisher must not resume one: paho 1.2.5
        // would resend its in-flight messages with the old connection's topic aliases (a protocol error)
        o.setCleanStart(!subscriber);
        o.setSessionExpiryInterval(subscriber ? 3600L : 0L);
        o.setReceiveMaximum(RECEIVE_MAXIMUM);
        // reconnects with a new client, as the bridges do: paho's own reconnection sometimes stays down for 97 s
        link = new MqttLink(new MqttConnection(url, null, null, null, clientId, Duration.ofSeconds(10),
                Duration.ofSeconds(30)), o, new MqttLink.Owner() {
            @Override
            public MqttCallback prepare(MqttAsyncClient client) {
                return callback;
            }

            @Override
            public void connected(MqttAsyncClient client, IMqttToken token, boolean reconnect) {
            }
        });
        link.connect();
    }

    /** The probe's Receive Maximum. */
    static final int RECEIVE_MAXIMUM = 20;

    /** A probe subscribed to {@code filter} at QoS 1. */
    static MqttProbe subscribe(String url, String filter) throws MqttException {
        MqttProbe p = new MqttProbe(url, "probe-" + System.nanoTime(), true);
        p.link.client().subscribe(new MqttSubscription(filter, 1)).waitForCompletion(10_000);
        return p;
    }

    /** A probe that only publishes. */
    static MqttProbe publisher(String url) throws MqttException {
        return new MqttProbe(url, "pub-" + System.nanoTime(), false);
    }

    /**
     * Publishes at QoS 1 and waits for the PUBACK. While the broker is away (a restart) the message is sent again
     * until a PUBACK comes: the one in flight when the connection dropped may have reached the broker, so one
     * message per outage may be there twice, never more.
     */
    void publish(String topic, byte[] payload, Map<String, String> userProperties) throws Exception {
        MqttProperties p = new MqttProperties();
        p.setUserProperties(userProperties.entrySet().stream().map(e -> new UserProperty(e.getKey(), e.getValue()))
                .toList());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            MqttMessage m = new MqttMessage(payload, 1, false, p);
            try {
                IMqttToken token = link.client().publish(topic, m);
                token.waitForCompletion(10_000);
                if (token.getException() == null) {
                    return;
                }
            } catch (MqttException | IllegalStateException e) {
                // not connected, or a client the link has closed and not yet replaced
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(50); // the pace of a publisher retrying while the broker restarts, not a wait for a condition
        }
    }

    @Override
    public void close() throws MqttException {
        link.close();
        MqttAsyncClient client = link.client();
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(5000);
        }
        client.close(true);
    }
}
