package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.camel.ConsumedEvent;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every outbound bridge producer does around its broker's send: takes the event a {@code mesh:} consumer
 * delivered, lets the loop guard decide ({@link OutboundSteps#forward}: an event held back completes at once, so
 * it is acknowledged), sends it with the outgoing marker, and completes the exchange only when the broker
 * confirmed it (counted), or fails it as {@link OutboundSteps#failure} says: permanently for a refusal that
 * cannot change, retriably otherwise, handed back when the route stops first. A subclass opens its connection,
 * sends one event and closes. Thread-safe: sends may run on any thread, completions on the broker client's.
 */
abstract class OutboundProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundProducer.class);

    private final BridgeEndpoint endpoint;
    private final String step;
    private volatile boolean stopping;
    private MeshOrigin origin;
    private String target;

    /** A producer of {@code endpoint}, named {@code step} in failures ({@code bridge:nats-out}). */
    OutboundProducer(BridgeEndpoint endpoint, String step) {
        super(endpoint);
        this.endpoint = endpoint;
        this.step = step;
    }

    /** Connects; returns the mesh's origin rules (see {@link OutboundSteps#origin}). */
    abstract MeshOrigin open() throws Exception;

    /** The broker, for failures and the log ({@code NATS [nats://...]}); called after {@link #open}. */
    abstract String target();

    /**
     * Sends {@code event} carrying the outgoing loop-guard {@code marker}; the future completes once the broker
     * confirmed it, or fails with the broker client's failure.
     *
     * @throws io.meshbridge.camel.MeshPermanentException for an event this bridge can never send
     */
    abstract CompletableFuture<Void> send(ConsumedEvent event, String marker);

    /** Closes the connection, letting sends in flight finish as the broker client allows. */
    abstract void disconnect() throws Exception;

    @Override
    protected final void doStart() throws Exception {
        super.doStart();
        stopping = false;
        origin = open();
        target = target();
    }

    @Override
    public final boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<Void> sent;
        try {
            ConsumedEvent event = OutboundSteps.consumed(exchange, step);
            String marker = OutboundSteps.marker(event);
            if (!OutboundSteps.forward(origin, marker, endpoint.counts())) {
                callback.done(true);
                return true;
            }
            sent = send(event, origin.markerFor(marker));
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        sent.whenComplete((ok, error) -> {
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
    protected final void doStop() throws Exception {
        stopping = true;
        disconnect();
        LOG.info("Stopped bridging events to {}: {}", target, endpoint.counts());
        super.doStop();
    }
}
