package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.bridge.SendException;
import io.meshbridge.camel.ConsumedEvent;
import io.meshbridge.camel.MeshComponent;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshHandBackException;
import io.meshbridge.camel.MeshPermanentException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * What the outbound bridge steps share: the consumed event of an exchange, the loop guard's verdict on it, the
 * mesh id, and how a broker's failure becomes the exchange's failure. Stateless.
 */
final class OutboundSteps {

    private OutboundSteps() {
    }

    /** The mesh's origin rules: {@code configuredId}, else the id derived from the mesh component's stream. */
    static MeshOrigin origin(CamelContext context, String configuredId, boolean forwardBridged) throws Exception {
        return new MeshOrigin(meshId(context, configuredId), forwardBridged);
    }

    /** {@code configuredId}, else the id derived from the mesh component's stream. */
    static String meshId(CamelContext context, String configuredId) throws Exception {
        MeshComponent mesh = context.getComponent("mesh", MeshComponent.class);
        return MeshOrigin.resolveId(configuredId, mesh.connection(), mesh.getStream());
    }

    /**
     * The event a {@code mesh:} consumer delivered in {@code exchange}.
     *
     * @throws MeshPermanentException when the exchange holds none
     */
    static ConsumedEvent consumed(Exchange exchange, String step) {
        ConsumedEvent event = exchange.getProperty(MeshConstants.RECEIVED_EVENT_PROPERTY, ConsumedEvent.class);
        if (event == null) {
            throw new MeshPermanentException(step + " needs an event delivered by a mesh: consumer (exchange property "
                    + MeshConstants.RECEIVED_EVENT_PROPERTY + ")");
        }
        return event;
    }

    /** The valid origin marker the event carries, or {@code null}. */
    static String marker(ConsumedEvent event) {
        return MeshOrigin.validMarker(event.header(MeshOrigin.HEADER));
    }

    /**
     * Whether the loop guard lets the event go out; counts it when not. An event held back completes its exchange
     * successfully, so it is acknowledged.
     */
    static boolean forward(MeshOrigin origin, String marker, BridgeCounts counts) {
        switch (origin.outbound(marker)) {
            case FORWARD:
                return true;
            case RETURNED:
                counts.returned();
                return false;
            default:
                counts.bridged();
                return false;
        }
    }

    /** The exchange's failure for a send that failed with {@code error}. */
    static RuntimeException failure(Throwable error, String target, boolean stopping) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (stopping) {
            return new MeshHandBackException("not confirmed by " + target + " before the route stopped");
        }
        if (e instanceof SendException s) {
            return s.permanent() ? new MeshPermanentException(target + ": " + s.getMessage())
                    : new BridgeSendFailedException(target + ": " + s.getMessage());
        }
        return new BridgeSendFailedException(target + ": " + e);
    }
}
