package io.meshbridge.bridge;

import java.io.IOException;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Subscribes to an MQTT 5 topic filter at QoS 1 in a persistent session and hands each message to a
 * {@link Handler}, acknowledging it (PUBACK) only when the handler says so: at least once.
 *
 * <p><b>Session.</b> {@code cleanStart=false} with a session expiry and a fixed client id: the broker keeps
 * the subscription and queues messages while this client is away, and sends again what it delivered and got
 * no PUBACK for. The handler is registered before the connection is made, so nothing the broker sends at
 * once is missed; the subscription is renewed (asynchronously) after every connect. At most
 * {@code receiveMaximum} messages are delivered and not yet acknowledged: the most a restart can deliver twice.
 *
 * <p><b>Threading.</b> Messages are handed over one at a time, in order, on paho's callback thread; a handler
 * that takes long holds the next ones (and, beyond paho's small queue, the connection: a broker may then
 * drop it for its keep-alive, and deliver the unacknowledged messages again after the reconnect).
 * {@link Ack#ack()} may be called from any thread. Reconnects by itself with a new client ({@link MqttLink}), at
 * most {@link MqttConnection#MAX_RECONNECT_DELAY} apart.
 */
public final class MqttSubscriber implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MqttSubscriber.class.getName());

    /** Receives the messages. */
    public interface Handler {
        /** One message; {@code ack} sends its PUBACK (call it once the message is safe, or never). */
        void message(String topic, MqttMessage message, Ack ack);
    }

    /** The acknowledgement of one message. */
    public interface Ack {
        /** Sends the PUBACK. */
        void ack();
    }

    private final MqttConnection connection;
    private final String filter;
    private final Handler handler;
    private final MqttLink link;

    /**
     * Connects (waiting up to the connect timeout) and subscribes.
     *
     * @throws IOException when the broker cannot be reached, refuses the connection or the subscription
     */
    public MqttSubscriber(MqttConnection connection, String filter, Duration sessionExpiry, int receiveMaximum,
                          Handler handler) throws IOException {
        this.connection = connection;
        this.filter = filter;
        this.handler = handler;
        try {
            link = new MqttLink(connection, connection.options(false, sessionExpiry, receiveMaximum),
                    new MqttLink.Owner() {
                        @Override
                        public MqttCallback prepare(MqttAsyncClient client) {
                            client.setManualAcks(true);
                            return new Callback(client);
                        }

                        @Override
                        public void connected(MqttAsyncClient client, IMqttToken token, boolean reconnect)
                                throws MqttException {
                            subscribe(client, reconnect);
                        }
                    });
            link.connect();
        } catch (MqttException e) {
            if (e.getCause() instanceof IOException refused) {
                throw refused; // the SUBACK's refusal, worded in full
            }
            throw new IOException("cannot subscribe to " + filter + " at MQTT broker " + connection.brokerUrl() + ": "
                    + MqttPublisher.describe(e), e);
        }
    }

    /**
     * Subscribes (again, after a reconnect: the broker has the session's subscription, renewing it is harmless)
     * and checks the SUBACK.
     */
    private void subscribe(MqttAsyncClient client, boolean reconnect) throws MqttException {
        IMqttToken sub = client.subscribe(new MqttSubscription(filter, 1));
        sub.waitForCompletion(connection.connectTimeout().toMillis() + 1000);
        int[] codes = sub.getReasonCodes();
        if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
            String problem = "MQTT broker " + connection.brokerUrl() + " refused the subscription to " + filter
                    + ": SUBACK reason code 0x" + Integer.toHexString(codes[0]);
            if (!reconnect) {
                throw new MqttException(new IOException(problem));
            }
            LOG.log(System.Logger.Level.WARNING, problem);
        } else if (reconnect) {
            LOG.log(System.Logger.Level.INFO, "MQTT connection to {0} re-established", connection.brokerUrl());
        }
    }

    /** The callback of one client: its messages' PUBACKs go out on that client. */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient client;

        Callback(MqttAsyncClient client) {
            this.client = client;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            int id = message.getId();
            int qos = message.getQos();
            handler.message(topic, message, () -> {
                if (qos == 0) {
                    return;
                }
                try {
                    client.messageArrivedComplete(id, qos);
                } catch (MqttException | RuntimeException e) {
                    // the connection (or this client) is gone: the broker sends the message again in the
                    // resumed session
                    LOG.log(System.Logger.Level.DEBUG, "PUBACK of {0} not sent: {1}", id, e.toString());
                }
            });
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // the link reports connections (it replaces the client after a loss)
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.log(System.Logger.Level.WARNING, "MQTT connection to {0} lost ({1}); reconnecting",
                    connection.brokerUrl(), response == null ? "" : response.getReasonString());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT error: {0}", MqttPublisher.describe(exception));
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    /**
     * Disconnects, waiting up to {@code quiesce} for the message being handled; the session stays on the broker
     * (unacknowledged messages come again to the next session).
     */
    public void close(Duration quiesce) {
        link.close();
        MqttAsyncClient client = link.client();
        try {
            if (client.isConnected()) {
                client.disconnect(quiesce.toMillis()).waitForCompletion(quiesce.toMillis() + 2000);
            }
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT disconnect: {0}", MqttPublisher.describe(e));
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT close: {0}", MqttPublisher.describe(e));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
