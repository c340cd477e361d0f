package io.meshbridge.events;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * One short-lived ephemeral push consumer of a history read, and its inbox: memory storage, one replica, flow
 * control with idle heartbeats, removed by the server after {@link #INACTIVE} should its delete request be lost.
 * The creation answer says how many messages match from its start ({@link #pending()}).
 *
 * <p>Without a window the consumer takes no acknowledgements and the server sends ahead as flow control allows;
 * with a window of {@code w} it acknowledges "all up to": the server has at most {@code w} messages outstanding,
 * so a read that stops after {@code w} messages has made the server send no more, and {@link #ackThrough} lets
 * it send further. Never redelivers within a read (the ack wait is longer than the consumer lives).
 *
 * <p>Not thread-safe: one reader, one read; {@link #close} deletes the consumer (fire and forget).
 */
final class HistoryConsumer implements AutoCloseable {

    static final Duration INACTIVE = Duration.ofSeconds(30);
    /** Longest wait for the next message before a read counts as stalled. */
    static final Duration STALL = Duration.ofSeconds(5);
    /**
     * The server sends an idle heartbeat when it has had nothing to deliver for this long: the end of the
     * answer even when the pending count promised more (nats-server 2.9 overcounts with interior deletes).
     */
    private static final Duration IDLE_HEARTBEAT = Duration.ofMillis(500);

    private final Connection connection;
    private final String stream;
    private final Subscription sub;
    private final ConsumerInfo info;
    private boolean stalled;

    private HistoryConsumer(Connection connection, String stream, Subscription sub, ConsumerInfo info) {
        this.connection = connection;
        this.stream = stream;
        this.sub = sub;
        this.info = info;
    }

    /**
     * Creates a consumer of {@code stream} on {@code filter} delivering from {@code policy} (with
     * {@code startSeq} for {@link DeliverPolicy#ByStartSequence}, {@code startTime} for
     * {@link DeliverPolicy#ByStartTime}); {@code window} 0 for no acknowledgements, else the most messages
     * outstanding.
     */
    static HistoryConsumer open(Connection connection, JetStreamManagement jsm, String stream, String filter,
                                DeliverPolicy policy, long startSeq, Instant startTime, int window)
            throws IOException, JetStreamApiException {
        String inbox = connection.createInbox();
        Subscription sub = connection.subscribe(inbox);
        ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder()
                .deliverSubject(inbox)
                .filterSubject(filter)
                .deliverPolicy(policy)
                .memStorage(true)
                .numReplicas(1)
                .flowControl(IDLE_HEARTBEAT)
                .inactiveThreshold(INACTIVE);
        if (window > 0) {
            cc.ackPolicy(AckPolicy.All).maxAckPending(window).ackWait(INACTIVE.multipliedBy(2));
        } else {
            cc.ackPolicy(AckPolicy.None);
        }
        if (policy == DeliverPolicy.ByStartSequence) {
            cc.startSequence(startSeq);
        } else if (policy == DeliverPolicy.ByStartTime) {
            cc.startTime(startTime.atZone(ZoneOffset.UTC));
        }
        try {
            ConsumerInfo info = jsm.addOrUpdateConsumer(stream, cc.build());
            return new HistoryConsumer(connection, stream, sub, info);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            sub.unsubscribe();
            throw e;
        }
    }

    /** How many matching messages the server counted from the consumer's start when it was created. */
    long pending() {
        return info.getNumPending();
    }

    /**
     * The next stored message; {@code null} at the end of what the server delivers: an idle heartbeat, or
     * nothing for {@link #STALL} (then {@link #stalled()} says so). Answers flow control on the way.
     */
    Message next() throws IOException {
        while (true) {
            Message msg;
            try {
                msg = sub.nextMessage(STALL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading history", e);
            }
            if (msg == null) {
                stalled = true;
                return null;
            }
            if (!msg.isStatusMessage()) {
                return msg;
            }
            String reply = msg.getReplyTo();
            if (reply == null || reply.isEmpty()) {
                return null; // an idle heartbeat: nothing more to deliver
            }
            connection.publish(reply, null); // flow control: ask for more
        }
    }

    /** Whether the last {@link #next} waited {@link #STALL} in vain. */
    boolean stalled() {
        return stalled;
    }

    /** With a window: acknowledges {@code msg} and every message before it, so the server may send more. */
    void ackThrough(Message msg) {
        msg.ack();
    }

    /** A stored message decoded: a {@link ReceivedEvent} with its id and position, or its decode failure. */
    static Object decode(String stream, EventCodec codec, Message msg) {
        NatsJetStreamMetaData meta = msg.metaData();
        StreamPosition position = new StreamPosition(stream, meta.streamSequence(), meta.timestamp().toInstant());
        String id = msg.hasHeaders() ? msg.getHeaders().getFirst(Bus.MSG_ID_HEADER) : null;
        try {
            return codec.decode(msg.getSubject(), msg.getData()).withDelivery(id, position);
        } catch (EventDecodeException e) {
            return e.at(position);
        }
    }

    @Override
    public void close() {
        sub.unsubscribe();
        // fire and forget: the inactive threshold removes the consumer should this request be lost
        connection.publish("$JS.API.CONSUMER.DELETE." + stream + "." + info.getName(), null);
    }
}
