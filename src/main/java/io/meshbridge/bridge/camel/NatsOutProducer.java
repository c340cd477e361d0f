package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.bridge.NatsPublisher;
import io.meshbridge.bridge.SubjectMapping;
import io.meshbridge.camel.ConsumedEvent;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.events.ConnectionEvents;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of {@code bridge:nats-out}: sends the event a {@code mesh:} consumer delivered to another NATS
 * server or cluster, and completes the exchange only once that server confirmed it, so the consumer
 * acknowledges the event only then.
 *
 * <p><b>Message.</b> Subject: the settings' prefix followed by the event's type ({@link SubjectMapping}); data:
 * the event's bytes as stored; headers: {@code Nats-Msg-Id} (the event's id, so a remote stream stores a
 * resent event once within its duplicate window) and {@link MeshOrigin#HEADER} (the loop guard's marker).
 *
 * <p><b>Confirmation</b> ({@link NatsPublisher}): {@code jetstream} waits for the remote stream's PubAck;
 * {@code core} for a flush after the publish (weaker: the server read it, nothing more). Sends are pipelined:
 * as many await their confirmation as the consumer has events in flight ({@code maxAckPending}); the remote
 * stream stores them in the order sent. A missing confirmation (timeout, outage) fails the exchange retriably
 * ({@link BridgeSendFailedException}), so the event is retried on the consumer's {@code backoff}; a message the
 * server can never take (too large) permanently, so it is dead-lettered.
 *
 * <p><b>Loop guard.</b> Events held back by {@link MeshOrigin#outbound} are acknowledged without being sent.
 *
 * <p><b>Lifecycle.</b> Connects at start (the remote must be reachable then; afterwards the connection
 * reconnects forever, buffering publishes), closes at stop; confirmations still missing at stop hand their
 * events back. Thread-safe.
 */
public class NatsOutProducer extends OutboundProducer {

    private static final Logger LOG = LoggerFactory.getLogger(NatsOutProducer.class);

    private final NatsBridgeSettings settings;
    private NatsBridgeSettings.Options options;
    private Connection connection;
    private NatsPublisher publisher;

    NatsOutProducer(BridgeEndpoint endpoint, NatsBridgeSettings settings) {
        super(endpoint, "bridge:nats-out");
        this.settings = settings;
    }

    @Override
    MeshOrigin open() throws Exception {
        options = settings.validated();
        MeshOrigin origin = OutboundSteps.origin(getEndpoint().getCamelContext(), options.meshId(),
                options.forwardBridged());
        connection = options.connection().connect("mesh-bridge to " + options.subjectPrefix(), new ConnectionEvents());
        publisher = new NatsPublisher(connection, options.mode(), options.ackTimeout());
        LOG.info("Bridging events to {} ({} mode, subjects {}<type>, mesh id {}{})", options.connection(),
                options.mode().name().toLowerCase(java.util.Locale.ROOT), options.subjectPrefix(), origin.meshId(),
                origin.forwardBridged() ? ", forwarding bridged events" : "");
        return origin;
    }

    @Override
    String target() {
        return "NATS " + options.connection().servers();
    }

    @Override
    CompletableFuture<Void> send(ConsumedEvent event, String marker) {
        Headers headers = new Headers()
                .put(MeshConstants.NATS_MSG_ID, event.id())
                .put(MeshOrigin.HEADER, marker);
        return publisher.publish(SubjectMapping.natsSubject(options.subjectPrefix(), event.subject()), headers,
                event.raw());
    }

    @Override
    void disconnect() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
