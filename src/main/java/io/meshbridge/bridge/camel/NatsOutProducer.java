package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.bridge.NatsPublisher;
import io.meshbridge.bridge.SubjectMapping;
import io.meshbridge.camel.ConsumedEvent;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.events.ConnectionEvents;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
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
public class NatsOutProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(NatsOutProducer.class);

    private final BridgeEndpoint endpoint;
    private final NatsBridgeSettings settings;
    private NatsBridgeSettings.Options options;
    private MeshOrigin origin;
    private Connection connection;
    private NatsPublisher publisher;
    private String target;
    private volatile boolean stopping;

    NatsOutProducer(BridgeEndpoint endpoint, NatsBridgeSettings settings) {
        super(endpoint);
        this.endpoint = endpoint;
        this.settings = settings;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        options = settings.validated();
        origin = OutboundSteps.origin(getEndpoint().getCamelContext(), options.meshId(), options.forwardBridged());
        target = "NATS " + options.connection().servers();
        connection = options.connection().connect("mesh-bridge to " + options.subjectPrefix(), new ConnectionEvents());
        publisher = new NatsPublisher(connection, options.mode(), options.ackTimeout());
        LOG.info("Bridging events to {} ({} mode, subjects {}<type>, mesh id {}{})", options.connection(),
                options.mode().name().toLowerCase(java.util.Locale.ROOT), options.subjectPrefix(), origin.meshId(),
                origin.forwardBridged() ? ", forwarding bridged events" : "");
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ConsumedEvent event;
        try {
            event = OutboundSteps.consumed(exchange, "bridge:nats-out");
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        String marker = OutboundSteps.marker(event);
        if (!OutboundSteps.forward(origin, marker, endpoint.counts())) {
            callback.done(true);
            return true;
        }
        Headers headers = new Headers()
                .put(MeshConstants.NATS_MSG_ID, event.id())
                .put(MeshOrigin.HEADER, origin.markerFor(marker));
        publisher.publish(SubjectMapping.natsSubject(options.subjectPrefix(), event.subject()), headers, event.raw())
                .whenComplete((ok, error) -> {
                    try {
                        if (error == null) {
                            endpoint.counts().confirmed();
                        } else {
                            endpoint.counts().failed();
                            exchange.setException(OutboundSteps.failure(error, target, stopping));
                        }
                    } finally {
                        callback.done(false);
                    }
                });
        return false;
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (publisher != null) {
            publisher.close();
        }
        if (connection != null) {
            connection.close();
        }
        LOG.info("Stopped bridging events to {}: {}", target, endpoint.counts());
        super.doStop();
    }
}
