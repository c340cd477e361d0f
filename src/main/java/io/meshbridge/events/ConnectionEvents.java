package io.meshbridge.events;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Subscription;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs what happens to a NATS connection and counts what must not go unnoticed.
 *
 * <p>Disconnects, reconnects and server errors are logged once each; slow-consumer events (the client
 * dropped messages because a subscriber did not keep up) are logged with the subject and counted in
 * {@link #slowConsumerEvents()}. Subclass to add behaviour (call {@code super}). Called on jnats' threads;
 * the counters are thread-safe.
 */
public class ConnectionEvents implements ErrorListener, io.nats.client.ConnectionListener {

    private static final System.Logger LOG = System.getLogger("io.meshbridge.events.nats");

    private final AtomicLong slowConsumerEvents = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    /** Whether the connection was up at the last event: jnats repeats DISCONNECTED per failed attempt. */
    private final AtomicBoolean up = new AtomicBoolean(true);

    /** How many times a subscription was reported as a slow consumer. */
    public long slowConsumerEvents() {
        return slowConsumerEvents.get();
    }

    /** How many times the connection was lost (once per outage, however many reconnect attempts). */
    public long disconnects() {
        return disconnects.get();
    }

    @Override
    public void connectionEvent(Connection conn, Events type) {
        switch (type) {
            case DISCONNECTED -> {
                if (up.getAndSet(false)) {
                    disconnects.incrementAndGet();
                    LOG.log(Level.WARNING, "NATS connection lost; reconnecting (publishes are buffered meanwhile)");
                }
            }
            case RECONNECTED -> {
                up.set(true);
                LOG.log(Level.INFO, "NATS connection re-established to {0}", conn.getConnectedUrl());
            }
            case CONNECTED -> up.set(true);
            case CLOSED -> LOG.log(Level.DEBUG, "NATS connection closed");
            default -> LOG.log(Level.DEBUG, "NATS connection event {0}", type);
        }
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        LOG.log(Level.WARNING, "NATS server error: {0}", error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        LOG.log(Level.DEBUG, "NATS client exception: {0}", exp.toString());
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        slowConsumerEvents.incrementAndGet();
        String subject = consumer instanceof Subscription s ? s.getSubject() : "a dispatcher";
        LOG.log(Level.WARNING, "slow consumer on {0}: messages are being dropped ({1} so far)", subject,
                consumer.getDroppedCount());
    }
}
