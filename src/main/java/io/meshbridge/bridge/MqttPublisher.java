package io.meshbridge.bridge;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * Publishes QoS 1 messages to an MQTT 5 broker and reports, per message, when the broker acknowledged it with
 * a successful PUBACK (reason code below {@code 0x80}; {@code 0x10}, no matching subscribers, is a success).
 *
 * <p><b>Window.</b> At most {@code maxInFlight} publishes await their PUBACK at once, never more than the
 * broker's Receive Maximum from its CONNACK; more wait in a queue, sent in order as places free. One thread
 * ({@code MqttBridgeSend}) sends, so messages leave in the order {@link #publish} was called.
 *
 * <p><b>Outages.</b> A new client reconnects ({@link MqttLink}: 1 s, then up to
 * {@link MqttConnection#MAX_RECONNECT_DELAY} apart). Publishes in flight when the connection dropped fail at
 * once, retriably (the broker may have had them: a retry can deliver them twice, at most the window per
 * outage); queued ones wait for the reconnect and go out then, in order. The session is not resumed
 * ({@code cleanStart=true}): paho 1.2.5 would resend its in-flight messages with the topic aliases of the old
 * connection, which the broker refuses as a protocol error, again on every reconnect.
 *
 * <p><b>Failures.</b> A PUBACK with an error reason fails the message: permanently for {@code 0x87} not
 * authorised, {@code 0x90} topic name invalid, {@code 0x99} payload format invalid and {@code 0x95} packet
 * too large, retriably for the others (quota exceeded, unspecified or implementation-specific errors). A
 * message not acknowledged within {@code timeout} of {@link #publish} fails retriably (it may still be
 * delivered: a retry can duplicate it); one that timed out while still queued is not sent.
 *
 * <p>Thread-safe; futures complete on one completing thread ({@code MqttBridgeDone}), in PUBACK order, so that
 * what a caller does on completion never holds paho's threads; failures at a disconnect or a timeout complete on
 * paho's or a timer's thread.
 */
public final class MqttPublisher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MqttPublisher.class.getName());

    private final MqttConnection connection;
    private final MqttLink link;
    private final Duration timeout;
    private final int window;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by this
    private final Set<Pending> unacked = new HashSet<>(); // guarded by this
    private int inFlight; // guarded by this
    private boolean connected; // guarded by this
    private boolean closed; // guarded by this
    private final Thread sender;
    /** Completes the futures, in PUBACK order, off paho's thread (which also reads the socket). */
    private final ExecutorService completions;

    private record Pending(String topic, MqttMessage message, CompletableFuture<Void> done) {
    }

    /**
     * Connects (waiting up to the connect timeout) and starts the sending thread.
     *
     * @throws IOException when the broker cannot be reached or refuses the connection (the message names the
     *                     broker URL and the reason, never the password)
     */
    public MqttPublisher(MqttConnection connection, int maxInFlight, Duration timeout) throws IOException {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        this.connection = connection;
        this.timeout = timeout;
        Integer[] brokerMax = new Integer[1];
        try {
            link = new MqttLink(connection, connection.options(true, Duration.ZERO, null), new MqttLink.Owner() {
                @Override
                public MqttCallback prepare(MqttAsyncClient client) {
                    return new Callback(client);
                }

                @Override
                public void connected(MqttAsyncClient client, IMqttToken token, boolean reconnect) {
                    if (reconnect) {
                        reconnected();
                    } else {
                        brokerMax[0] = token.getResponseProperties() == null ? null
                                : token.getResponseProperties().getReceiveMaximum();
                    }
                }
            });
            link.connect();
            window = Math.min(maxInFlight, brokerMax[0] == null || brokerMax[0] <= 0 ? 65535 : brokerMax[0]);
        } catch (MqttException e) {
            throw new IOException("cannot connect to MQTT broker " + connection.brokerUrl() + ": " + describe(e), e);
        }
        synchronized (this) {
            connected = true;
        }
        completions = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "MqttBridgeDone[" + connection.clientId() + "]");
            t.setDaemon(true);
            return t;
        });
        sender = new Thread(this::sendLoop, "MqttBridgeSend[" + connection.clientId() + "]");
        sender.setDaemon(true);
        sender.start();
    }

    /** The window in use: {@code maxInFlight}, or less when the broker allows less. */
    public int window() {
        return window;
    }

    /** Whether the client is connected now. */
    public synchronized boolean connected() {
        return connected;
    }

    /**
     * Publishes {@code payload} on {@code topic} at QoS 1 (not retained) with {@code userProperties} (MQTT 5
     * user properties, in map order) and {@code contentType} (or none); the future completes once the broker
     * acknowledged it, or fails with a {@link SendException}.
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, Map<String, String> userProperties,
                                           String contentType) {
        MqttMessage message = new MqttMessage(payload, 1, false, properties(userProperties, contentType));
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new SendException("the MQTT publisher is closed", false));
            }
            boolean wasEmpty = queue.isEmpty();
            queue.addLast(new Pending(topic, message, done));
            if (wasEmpty) {
                // the sender waits for an empty queue to fill, a free place in the window or the connection;
                // only the first of these changed here, and only when the queue was empty (waking it for every
                // message while the window is full cost a wake-up of the sending thread per message)
                notifyAll();
            }
        }
        return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e ->
                CompletableFuture.failedFuture(e instanceof TimeoutException
                        ? new SendException("no PUBACK from " + connection.brokerUrl() + " within "
                        + timeout.toMillis() + " ms", false) : e));
    }

    private static MqttProperties properties(Map<String, String> userProperties, String contentType) {
        MqttProperties p = new MqttProperties();
        List<UserProperty> list = new ArrayList<>(userProperties.size());
        userProperties.forEach((k, v) -> list.add(new UserProperty(k, v)));
        p.setUserProperties(list);
        if (contentType != null) {
            p.setContentType(contentType);
            p.setPayloadFormat(true);
        }
        return p;
    }

    private void sendLoop() {
        while (true) {
            Pending next;
            synchronized (this) {
                while (!closed && (queue.isEmpty() || !connected || inFlight >= window)) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                next = queue.pollFirst();
                if (next.done().isDone()) {
                    continue; // timed out while queued: not sent
                }
                inFlight++;
                unacked.add(next);
            }
            try {
                link.client().publish(next.topic(), next.message(), next, new Listener(next));
            } catch (MqttException e) {
                synchronized (this) {
                    forget(next);
                    if (e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED && !closed) {
                        queue.addFirst(next); // between a drop and its callback: try again in a moment
                        try {
                            wait(50);
                        } catch (InterruptedException stop) {
                            return;
                        }
                        continue;
                    }
                }
                next.done().completeExceptionally(new SendException("publish to " + connection.brokerUrl()
                        + " failed: " + describe(e), false));
            } catch (RuntimeException e) {
                synchronized (this) {
                    forget(next);
                }
                next.done().completeExceptionally(new SendException("publish failed: " + e, false));
            }
        }
    }

    private final class Listener implements MqttActionListener {
        private final Pending pending;

        Listener(Pending pending) {
            this.pending = pending;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            released(pending);
            int[] codes = token.getReasonCodes();
            int code = codes == null || codes.length == 0 ? 0 : codes[0];
            if (code < 0x80) {
                complete(pending, null);
            } else {
                complete(pending, new SendException("the broker refused the message on " + pending.topic()
                        + ": PUBACK reason code 0x" + Integer.toHexString(code), permanent(code)));
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
            released(pending);
            complete(pending, new SendException("publish to " + connection.brokerUrl() + " failed: "
                    + (error instanceof MqttException m ? describe(m) : String.valueOf(error)), false));
        }
    }

    private void complete(Pending pending, SendException failure) {
        try {
            completions.execute(() -> {
                if (failure == null) {
                    pending.done().complete(null);
                } else {
                    pending.done().completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException closed) { // closing: complete here
            if (failure == null) {
                pending.done().complete(null);
            } else {
                pending.done().completeExceptionally(failure);
            }
        }
    }

    private synchronized void released(Pending pending) {
        forget(pending);
        notifyAll();
    }

    /**
     * Frees the window place of {@code pending} if it still holds one: a loss of the connection may have freed
     * every place already (it empties the unacknowledged set), and counting one down twice would widen the window
     * beyond what the broker allows. Called holding the lock.
     */
    private void forget(Pending pending) {
        if (unacked.remove(pending)) {
            inFlight--;
        }
    }

    /** Whether a PUBACK reason code says the broker will never take the message. */
    static boolean permanent(int code) {
        return code == 0x87 || code == 0x90 || code == 0x95 || code == 0x99;
    }

    /** The callback of one client; only the current client's loss counts. */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient client;

        Callback(MqttAsyncClient client) {
            this.client = client;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (client != link.client()) {
                return; // a client already replaced (or one that never became current)
            }
            List<Pending> lost;
            synchronized (MqttPublisher.this) {
                connected = false;
                lost = new ArrayList<>(unacked);
                unacked.clear();
                inFlight = 0;
                MqttPublisher.this.notifyAll(); // a close() waiting for PUBACKs stops waiting: none will come
            }
            SendException failure = new SendException("the connection to " + connection.brokerUrl()
                    + " was lost before the PUBACK", false);
            lost.forEach(p -> p.done().completeExceptionally(failure));
            LOG.log(System.Logger.Level.WARNING, "MQTT connection to {0} lost ({1}); reconnecting",
                    connection.brokerUrl(), response == null ? "" : response.getReasonString());
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // the link reports connections (it replaces the client after a loss)
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT error: {0}", describe(exception));
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    private void reconnected() {
        synchronized (this) {
            connected = true;
            notifyAll();
        }
        LOG.log(System.Logger.Level.INFO, "MQTT connection to {0} re-established", connection.brokerUrl());
    }

    static String describe(MqttException e) {
        return e.getMessage() + " (reason " + e.getReasonCode() + ")";
    }

    /**
     * Waits up to {@code grace} for the publishes in flight, then disconnects; what is still queued or in flight
     * fails retriably.
     */
    public void close(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<Pending> left;
        synchronized (this) {
            while (inFlight > 0 && connected && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closed = true;
            left = new ArrayList<>(queue);
            left.addAll(unacked);
            queue.clear();
            notifyAll();
        }
        SendException failure = new SendException("the MQTT publisher closed before the message was sent", false);
        left.forEach(p -> p.done().completeExceptionally(failure));
        link.close();
        MqttAsyncClient client = link.client();
        try {
            if (client.isConnected()) {
                client.disconnect(1000).waitForCompletion(2000);
            }
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT disconnect: {0}", describe(e));
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT close: {0}", describe(e));
        }
        completions.shutdown();
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
