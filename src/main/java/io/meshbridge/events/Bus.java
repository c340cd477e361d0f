package io.meshbridge.events;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.NUID;
import io.nats.client.impl.Headers;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Core NATS event bus, compatible with the reference {@code events.Bus}: {@link #emit} publishes an event on
 * {@code events.<type>}, {@link #subscribe} and {@link #subscribeType} deliver decoded events.
 *
 * <p><b>Guarantees.</b> {@code emit} is a core publish: at most once, no acknowledgement; while the
 * connection is down, publishes wait in the client's reconnect buffer. Use {@link PersistentBus} when the
 * emitter must know an event was stored. Every emitted event gets a fresh id (a NUID), sent only as the
 * {@code Nats-Msg-Id} header so that the envelope keeps its four members and JetStream de-duplicates
 * retries.
 *
 * <p><b>Subscriptions.</b> Each subscription has its own dispatcher thread, so a slow handler delays only
 * its own subscription; its events arrive one at a time, in the order received. A handler's exception is
 * logged and counted, never fatal. A message that does not decode goes to the {@link DecodeErrorHandler}
 * (by default: logged and counted in {@link #decodeErrors()}), never silently dropped. Messages dropped by
 * the client because a handler is too slow are counted per subscription and reported by
 * {@link ConnectionEvents}.
 *
 * <p>Thread-safe. The bus does not own the connection: closing the connection is the caller's business.
 */
public final class Bus {

    /** The header carrying an event's id. */
    public static final String MSG_ID_HEADER = "Nats-Msg-Id";

    private static final System.Logger LOG = System.getLogger(Bus.class.getName());

    private final Connection connection;
    private final String nodeName;
    private final EventCodec codec;
    private final NUID nuid = new NUID();
    private final AtomicLong decodeErrors = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();

    /**
     * A bus on {@code connection} emitting as {@code nodeName}; the codec's payload limit is the server's
     * maximum payload.
     */
    public Bus(Connection connection, String nodeName) {
        this(connection, nodeName, codecFor(connection));
    }

    /** A bus with an explicit codec. */
    public Bus(Connection connection, String nodeName, EventCodec codec) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** A codec whose payload limit is the connected server's maximum payload. */
    public static EventCodec codecFor(Connection connection) {
        long max = connection.getServerInfo() == null ? 0 : connection.getServerInfo().getMaxPayload();
        return max <= 0 || max == EventCodec.DEFAULT_MAX_PAYLOAD ? EventCodec.defaults()
                : new EventCodec((int) Math.min(Integer.MAX_VALUE, max));
    }

    /** The node name this bus fills into events emitted with an empty node. */
    public String nodeName() {
        return nodeName;
    }

    /** The codec in use. */
    public EventCodec codec() {
        return codec;
    }

    /** The connection in use. */
    public Connection connection() {
        return connection;
    }

    /** A fresh event id (a NUID: 22 characters, unique, cheap). */
    public String newId() {
        return nuid.next();
    }

    /**
     * The event as it will be emitted: the bus's node name when the node is empty, the current time when the
     * timestamp is missing.
     */
    public Event stamp(Event event) {
        String node = nodeOf(event);
        Instant timestamp = timestampOf(event);
        return node == event.node() && timestamp == event.timestamp() ? event
                : new Event(event.type(), node, timestamp, event.data());
    }

    /**
     * Publishes an event on {@code events.<type>} (core NATS, no acknowledgement).
     *
     * @return the event's id
     * @throws IllegalArgumentException when the event is larger than the server's maximum payload
     * @throws IllegalStateException    when the connection is closed
     */
    public String emit(Event event) {
        String id = newId();
        connection.publish(event.subject(), headers(id), encodeStamped(event));
        LOG.log(Level.DEBUG, "emitted {0} id {1}", event.type(), id);
        return id;
    }

    /** The event encoded as {@link #stamp} would make it, without building the stamped copy. */
    byte[] encodeStamped(Event event) {
        return codec.encode(event, nodeOf(event), timestampOf(event));
    }

    private String nodeOf(Event event) {
        return event.node().isEmpty() ? nodeName : event.node();
    }

    private static Instant timestampOf(Event event) {
        return event.timestamp() == null ? Instant.now() : event.timestamp();
    }

    /** Subscribes to a subject pattern ({@code events.>}, {@code events.tool.*}, ...). */
    public EventSubscription subscribe(String pattern, EventHandler handler) {
        return subscribe(pattern, handler, this::logDecodeError);
    }

    /** Subscribes with an explicit handler for undecodable messages. */
    public EventSubscription subscribe(String pattern, EventHandler handler, DecodeErrorHandler onError) {
        EventTypes.requireValidFilter(pattern);
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(onError, "onError");
        EventSubscription[] holder = new EventSubscription[1];
        Dispatcher dispatcher = connection.createDispatcher(msg -> deliver(msg, holder[0], handler, onError));
        holder[0] = new EventSubscription(connection, dispatcher, pattern);
        dispatcher.subscribe(pattern);
        return holder[0];
    }

    /** Subscribes to one event type: {@code subscribeType("tool.crashed", h)} listens on its subject. */
    public EventSubscription subscribeType(String type, EventHandler handler) {
        return subscribe(EventTypes.SUBJECT_PREFIX + EventTypes.requireValidType(type), handler);
    }

    /** Undecodable messages seen by subscriptions using the default error handler. */
    public long decodeErrors() {
        return decodeErrors.get();
    }

    /** Handler exceptions over all subscriptions of this bus. */
    public long handlerErrors() {
        return handlerErrors.get();
    }

    static Headers headers(String id) {
        return new Headers().put(MSG_ID_HEADER, id);
    }

    private void deliver(Message msg, EventSubscription sub, EventHandler handler, DecodeErrorHandler onError) {
        ReceivedEvent event;
        try {
            event = codec.decode(msg.getSubject(), msg.getData());
        } catch (EventDecodeException e) {
            sub.decodeErrors.incrementAndGet();
            onError.onDecodeError(e);
            return;
        }
        String id = msg.hasHeaders() ? msg.getHeaders().getFirst(MSG_ID_HEADER) : null;
        sub.delivered.incrementAndGet();
        try {
            handler.onEvent(id == null ? event : event.withDelivery(id, null));
        } catch (Exception | LinkageError e) {
            sub.handlerErrors.incrementAndGet();
            handlerErrors.incrementAndGet();
            LOG.log(Level.WARNING, "event handler on " + sub.pattern() + " failed for " + msg.getSubject(), e);
        }
    }

    private void logDecodeError(EventDecodeException e) {
        decodeErrors.incrementAndGet();
        LOG.log(Level.WARNING, "undecodable message ({0}): {1}", e.getMessage(), e.rawPreview(120));
    }
}
