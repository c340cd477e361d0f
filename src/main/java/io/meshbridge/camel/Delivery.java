package io.meshbridge.camel;

import io.meshbridge.events.EventHead;
import io.meshbridge.events.StreamPosition;
import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One delivery of a stored message to a {@link MeshConsumer}, from the fetch until its final
 * acknowledgement (ack, nak or term).
 *
 * <p>Thread-safe: created by a fetching thread, completed by whatever thread completes the exchange, kept
 * alive by the progress thread. {@link #settle()} returns {@code true} exactly once.
 */
final class Delivery {

    private final Message message;
    private final String stream;
    private final long sequence;
    private final long deliveries;
    private final Instant streamTime;
    private final String eventId;
    private final boolean replay;
    private static final AtomicIntegerFieldUpdater<Delivery> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(Delivery.class, "settled");
    private static final AtomicIntegerFieldUpdater<Delivery> COMPLETED =
            AtomicIntegerFieldUpdater.newUpdater(Delivery.class, "completed");
    private volatile int settled;
    private volatile int completed;
    private final long receivedNanos;
    private volatile long lastProgressNanos;
    private volatile boolean abandoned;
    private EventHead head;
    private String undecodable;

    Delivery(Message message, long receivedNanos) {
        this(message, message.metaData(), receivedNanos);
    }

    private Delivery(Message message, NatsJetStreamMetaData meta, long receivedNanos) {
        this(message, meta.getStream(), meta.streamSequence(), meta.deliveredCount(), meta.timestamp().toInstant(),
                receivedNanos);
    }

    /**
     * A delivery of a message at {@code stream}/{@code sequence} that does not come from a JetStream consumer
     * (a dead letter's redrive: {@code message} is rebuilt from the dead letter, nothing is acknowledged).
     */
    Delivery(Message message, String stream, long sequence, long deliveries, Instant streamTime,
             long receivedNanos) {
        this.message = message;
        this.stream = stream;
        this.sequence = sequence;
        this.deliveries = deliveries;
        this.streamTime = streamTime;
        String msgId = message.hasHeaders() ? message.getHeaders().getFirst(MeshConstants.NATS_MSG_ID) : null;
        this.eventId = msgId != null && !msgId.isEmpty() ? msgId
                : new StreamPosition(stream, sequence, streamTime).derivedId();
        // read here, on the receiving thread, so the dispatching thread (the busier one) does not
        this.replay = replayMarked(message);
        this.receivedNanos = receivedNanos;
        this.lastProgressNanos = receivedNanos;
    }

    Message message() {
        return message;
    }

    String stream() {
        return stream;
    }

    long sequence() {
        return sequence;
    }

    /** The server's delivery count, this delivery included. */
    long deliveries() {
        return deliveries;
    }

    Instant streamTime() {
        return streamTime;
    }

    /** The {@code Nats-Msg-Id}, or {@code <stream>:<sequence>}. */
    String eventId() {
        return eventId;
    }

    /** Records the envelope check, on the receiving thread, before the delivery is queued for dispatch. */
    void scanned(EventHead checked, String problem) {
        this.head = checked;
        this.undecodable = problem;
    }

    /** The checked envelope, or {@code null} when the payload is not an event. */
    EventHead head() {
        return head;
    }

    /** Why the payload is not an event, when {@link #head()} is {@code null}. */
    String undecodable() {
        return undecodable;
    }

    /** When the delivery arrived ({@link System#nanoTime()}). */
    long receivedNanos() {
        return receivedNanos;
    }

    /** Whether "in progress" is no longer sent for it (it ran past {@code maxProcessingTime}). */
    boolean isAbandoned() {
        return abandoned;
    }

    void abandon() {
        abandoned = true;
    }

    long lastProgressNanos() {
        return lastProgressNanos;
    }

    void progressed(long nanos) {
        lastProgressNanos = nanos;
    }

    /** Marks the exchange as completed; {@code true} the first time only. */
    boolean complete() {
        return COMPLETED.compareAndSet(this, 0, 1);
    }

    /** Marks the final acknowledgement as sent; {@code true} the first time only. */
    boolean settle() {
        return SETTLED.compareAndSet(this, 0, 1);
    }

    /** Whether the replay marker {@code Mesh-Replay: true} is set. */
    boolean isReplay() {
        return replay;
    }

    private static boolean replayMarked(Message message) {
        if (!message.hasHeaders()) {
            return false;
        }
        String value = message.getHeaders().getFirst(MeshConstants.REPLAY_HEADER);
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    /**
     * Identity equality, as {@link Object#equals}; the hash comes from the position instead of the identity
     * hash, whose first computation per object is costly, and every delivery enters the in-flight set once.
     */
    @Override
    public int hashCode() {
        return Long.hashCode(sequence * 31 + deliveries);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public String toString() {
        return stream + ":" + sequence + " (delivery " + deliveries + ")";
    }
}
