package io.meshbridge.bridge;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One MQTT 5 connection kept up by replacing its paho client: after a loss a new {@link MqttAsyncClient} under
 * the same client id connects (so a persistent session resumes on the broker), 1 s after the loss and then up to
 * {@link MqttConnection#MAX_RECONNECT_DELAY} apart, until one succeeds or the link is closed.
 *
 * <p>Not paho's automatic reconnection: it restarts the old client's sending thread, and a restart that races
 * with that thread's stop waits in a loop until the old state clears, which took 97 s after a broker restart in
 * this project's tests (and is reported upstream to hang for good). A new client starts from a clean state.
 *
 * <p>Threading: the owner's callback runs on the paho threads of the client it was made for; {@link
 * Owner#connected} runs on the caller of {@link #connect()} for the first connection and on the link's own daemon
 * thread ({@code MqttReconnect[<client id>]}) for the later ones. {@link #client()} may be read from any thread.
 */
public final class MqttLink {

    private static final System.Logger LOG = System.getLogger(MqttLink.class.getName());
    private static final Duration FIRST_DELAY = Duration.ofSeconds(1);

    /** What the owner of a link does with each client. */
    public interface Owner {
        /** Prepares a new client before it connects and returns its callback (bound to that client). */
        MqttCallback prepare(MqttAsyncClient client) throws MqttException;

        /** The client is connected; {@code token} is its CONNECT token (CONNACK properties). */
        void connected(MqttAsyncClient client, IMqttToken token, boolean reconnect) throws MqttException;
    }

    private final MqttConnection connection;
    private final MqttConnectionOptions options;
    private final Owner owner;
    private final ScheduledExecutorService reconnects;
    private volatile MqttAsyncClient client;
    private volatile boolean closed;
    private long delayMillis = FIRST_DELAY.toMillis(); // the reconnecting thread's only

    /**
     * A link for {@code connection} (its URL, client id and connect timeout) with paho's {@code options} (their
     * automatic reconnection is turned off); nothing connects before {@link #connect()}.
     */
    public MqttLink(MqttConnection connection, MqttConnectionOptions options, Owner owner) {
        this.connection = connection;
        this.options = options;
        this.options.setAutomaticReconnect(false);
        this.owner = owner;
        this.reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "MqttReconnect[" + connection.clientId() + "]");
            t.setDaemon(true);
            return t;
        });
    }

    /** The current client (after a loss, the lost one until its replacement connected). */
    public MqttAsyncClient client() {
        return client;
    }

    /**
     * Connects the first client, waiting up to the connect timeout.
     *
     * @throws MqttException when the broker cannot be reached or refuses the connection
     */
    public void connect() throws MqttException {
        MqttAsyncClient c = newClient();
        try {
            IMqttToken token = c.connect(options);
            token.waitForCompletion(connection.connectTimeout().toMillis() + 1000);
            client = c;
            owner.connected(c, token, false);
        } catch (MqttException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Stops reconnecting; the owner disconnects and closes {@link #client()} itself. */
    public void close() {
        closed = true;
        reconnects.shutdownNow();
    }

    private MqttAsyncClient newClient() throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(connection.brokerUrl(), connection.clientId(), new MemoryPersistence());
        c.setCallback(new Watch(c, owner.prepare(c)));
        return c;
    }

    private void lost(MqttAsyncClient c) {
        if (!closed && c == client) {
            schedule(FIRST_DELAY.toMillis());
        }
    }

    private void schedule(long millis) {
        try {
            reconnects.schedule(this::reconnect, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile: nothing to reconnect
        }
    }

    private void reconnect() {
        if (closed) {
            return;
        }
        MqttAsyncClient old = client;
        if (old != null && old.isConnected()) {
            return;
        }
        if (old != null) {
            closeQuietly(old);
        }
        MqttAsyncClient c = null;
        try {
            c = newClient();
            IMqttToken token = c.connect(options);
            token.waitForCompletion(connection.connectTimeout().toMillis() + 1000);
            if (closed) {
                closeQuietly(c);
                return;
            }
            client = c;
            delayMillis = FIRST_DELAY.toMillis();
            owner.connected(c, token, true);
            if (!c.isConnected()) {
                schedule(delayMillis); // lost again before it was the current client: its loss was not seen
            }
        } catch (MqttException | RuntimeException e) {
            if (c != null && c != client) {
                closeQuietly(c);
            }
            LOG.log(System.Logger.Level.DEBUG, "MQTT reconnection to {0} failed: {1}", connection.brokerUrl(),
                    e.toString());
            delayMillis = Math.min(delayMillis * 2, MqttConnection.MAX_RECONNECT_DELAY.toMillis());
            schedule(delayMillis);
        }
    }

    /** Closes a client at once, whatever its state; for a lost or a failed one. */
    static void closeQuietly(MqttAsyncClient c) {
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 0, false);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT forced disconnect: {0}", e.toString());
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT close: {0}", e.toString());
        }
    }

    /** The owner's callback, and the loss of its client seen by the link. */
    private final class Watch implements MqttCallback {
        private final MqttAsyncClient c;
        private final MqttCallback delegate;

        Watch(MqttAsyncClient c, MqttCallback delegate) {
            this.c = c;
            this.delegate = delegate;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            try {
                delegate.disconnected(response);
            } finally {
                lost(c);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            delegate.mqttErrorOccurred(exception);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            delegate.messageArrived(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            delegate.deliveryComplete(token);
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            delegate.connectComplete(reconnect, serverUri);
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            delegate.authPacketArrived(reasonCode, properties);
        }
    }
}
