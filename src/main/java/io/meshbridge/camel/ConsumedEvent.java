package io.meshbridge.camel;

import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.EventHead;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.StreamPosition;
import io.nats.client.impl.Headers;

/**
 * The event a {@code mesh:} consumer delivered in an exchange, held in the exchange property
 * {@link MeshConstants#RECEIVED_EVENT_PROPERTY}: its envelope was checked and read at delivery ({@link #head()}),
 * its data is decoded the first time {@link #received()} is asked for, and only then. Steps that forward or
 * archive the payload ({@link #raw()}, byte-exact) never pay for decoding it.
 *
 * <p>{@code exchange.getProperty(MeshConstants.RECEIVED_EVENT_PROPERTY, ReceivedEvent.class)} converts to the
 * decoded {@link ReceivedEvent} (the component registers the converter).
 *
 * <p>Thread-safe; decoding happens at most once in the usual case (two threads asking at the same moment may
 * both decode, to equal results).
 */
public final class ConsumedEvent {

    private final EventCodec codec;
    private final String subject;
    private final byte[] raw;
    private final EventHead head;
    private final String id;
    private final StreamPosition position;
    private final long deliveries;
    private final Headers headers;
    private volatile ReceivedEvent decoded;

    ConsumedEvent(EventCodec codec, String subject, byte[] raw, EventHead head, String id, StreamPosition position,
                  long deliveries, Headers headers) {
        this.codec = codec;
        this.subject = subject;
        this.raw = raw;
        this.head = head;
        this.id = id;
        this.position = position;
        this.deliveries = deliveries;
        this.headers = headers;
    }

    /** The type, node and timestamp, as checked at delivery. */
    public EventHead head() {
        return head;
    }

    /** The subject it was stored on. */
    public String subject() {
        return subject;
    }

    /** The payload as stored, verbatim; shared, not copied: do not modify it. */
    public byte[] raw() {
        return raw;
    }

    /** The {@code Nats-Msg-Id}, else {@code <stream>:<sequence>}. */
    public String id() {
        return id;
    }

    /** Where it is stored. */
    public StreamPosition position() {
        return position;
    }

    /** Which delivery of the message this exchange is: 1 for the first attempt, 2 for the first retry, ... */
    public long deliveries() {
        return deliveries;
    }

    /**
     * The first value of the stored message's NATS header {@code name} (such as a bridge's {@code Mesh-Origin}),
     * or {@code null} when it has none.
     */
    public String header(String name) {
        return headers == null ? null : headers.getFirst(name);
    }

    /**
     * The decoded event with its id and position, decoded on first use.
     *
     * @throws MeshPermanentException when the data cannot be decoded (beyond what the delivery-time check
     *                                covers, e.g. a string that is not valid UTF-8): retrying cannot help
     */
    public ReceivedEvent received() {
        ReceivedEvent known = decoded;
        if (known == null) {
            try {
                known = codec.decode(subject, raw).withDelivery(id, position);
            } catch (EventDecodeException e) {
                throw new MeshPermanentException("the event's data cannot be decoded: " + e.getMessage(), e);
            }
            decoded = known;
        }
        return known;
    }

    @Override
    public String toString() {
        return "ConsumedEvent[" + head.type() + " " + id + " at " + position + "]";
    }
}
