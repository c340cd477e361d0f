package io.meshbridge.events;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live subscription of a {@link Bus}. Closing it unsubscribes; it is safe to close more than once and from
 * any thread. The counters tell what happened to the messages it received.
 */
public final class EventSubscription implements AutoCloseable {

    private final Connection connection;
    private final Dispatcher dispatcher;
    private final String pattern;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong decodeErrors = new AtomicLong();
    final AtomicLong handlerErrors = new AtomicLong();

    EventSubscription(Connection connection, Dispatcher dispatcher, String pattern) {
        this.connection = connection;
        this.dispatcher = dispatcher;
        this.pattern = pattern;
    }

    /** The subject pattern subscribed to. */
    public String pattern() {
        return pattern;
    }

    /** Events handed to the handler (including those whose handler threw). */
    public long delivered() {
        return delivered.get();
    }

    /** Messages that did not decode and went to the error handler. */
    public long decodeErrors() {
        return decodeErrors.get();
    }

    /** Events whose handler threw. */
    public long handlerErrors() {
        return handlerErrors.get();
    }

    /**
     * Messages the client dropped because the handler did not keep up (a slow consumer; the connection's
     * {@link ConnectionEvents} logs each occurrence).
     */
    public long dropped() {
        return dispatcher.getDroppedCount();
    }

    /**
     * Bounds what the client buffers for this subscription before it drops messages (counted in
     * {@link #dropped()}); jnats' defaults are 512K messages and 64 MiB.
     */
    public void setPendingLimits(long maxMessages, long maxBytes) {
        dispatcher.setPendingLimits(maxMessages, maxBytes);
    }

    /** Whether the subscription is still active. */
    public boolean isActive() {
        return dispatcher.isActive();
    }

    /** Unsubscribes; messages already received are still handled. */
    @Override
    public void close() {
        if (dispatcher.isActive()) {
            connection.closeDispatcher(dispatcher);
        }
    }
}
