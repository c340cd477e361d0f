package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.camel.MeshComponent;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.StreamSetup;
import java.time.Duration;
import org.apache.camel.CamelContext;

/**
 * What an inbound bridge ({@code mqtt-to-mesh}, {@code kafka-to-mesh}) writes to: this mesh's origin marker (its
 * own marker is never taken back in), a bus on the {@code mesh} component's connection and stream for acknowledged
 * emits, and the dead-letter stream for what cannot become an event.
 *
 * @param origin      this mesh's loop guard (never forwarding bridged events)
 * @param bus         emits on the mesh component's stream
 * @param deadLetters the inbound dead letters of {@code source}
 */
record InboundMesh(MeshOrigin origin, PersistentBus bus, InboundDeadLetters deadLetters) {

    /**
     * Attaches to the {@code mesh} component of {@code context} (its dead-letter stream ensured), with at most
     * {@code emitWindow} emits awaiting their acknowledgement, each waited for up to {@code emitTimeout}.
     *
     * @param configuredMeshId the route's {@code meshId}, or {@code null} to derive it from the stream
     * @param source           the dead letters' source, e.g. {@code mqtt}
     */
    static InboundMesh attach(CamelContext context, String configuredMeshId, Duration emitTimeout, int emitWindow,
                              String source) throws Exception {
        MeshComponent mesh = context.getComponent("mesh", MeshComponent.class);
        MeshOrigin origin = new MeshOrigin(OutboundSteps.meshId(context, configuredMeshId), false);
        PersistentBus bus = PersistentBus.attach(mesh.connection(), mesh.getNodeName(), PersistConfig.defaults()
                .withStreamName(mesh.getStream()).withEmit(emitTimeout, emitWindow));
        StreamSetup.ensure(mesh.connection(), MeshComponent.deadLetterStream(), false);
        return new InboundMesh(origin, bus, new InboundDeadLetters(mesh.connection(), source));
    }
}
