package io.meshbridge.bridge.camel;

import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.Names;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes broker messages that the ingest rules refused to the dead-letter stream
 * {@value MeshConstants#DLQ_STREAM}, on {@code mesh.dlq.<routeId>} like every route's: the payload as received
 * (cut to what the server takes, with {@value #TRUNCATED} giving the original length), with
 * {@value MeshConstants#DLQ_ROUTE}, {@value MeshConstants#DLQ_ERROR} (the rule's reason), {@value #SOURCE}
 * ({@code mqtt}) and {@value #SOURCE_TOPIC} (the broker topic) headers. The id is derived from the source's
 * event id when it has one, so a retried write is stored once; without one, a message delivered twice may be
 * dead-lettered twice. A write is retried until stored or the route stops. Thread-safe.
 */
final class InboundDeadLetters {

    /** Dead-letter header: which broker the message came from ({@code mqtt}, later {@code kafka}). */
    static final String SOURCE = "Mesh-Source";

    /** Dead-letter header: the broker topic of the message. */
    static final String SOURCE_TOPIC = "Mesh-Source-Topic";

    /** Dead-letter header: the payload's length when it was cut. */
    static final String TRUNCATED = "Mesh-Truncated";

    private static final Logger LOG = LoggerFactory.getLogger(InboundDeadLetters.class);
    private static final int HEADROOM = 8 * 1024;

    private final Connection connection;
    private final JetStream js;
    private final String source;

    InboundDeadLetters(Connection connection, String source) throws IOException {
        this.connection = connection;
        this.js = connection.jetStream();
        this.source = source;
    }

    /**
     * Writes one dead letter and waits until it is stored.
     *
     * @throws BridgeSendFailedException when {@code stopping} turned true before it was stored
     */
    void write(String route, String topic, String sourceId, byte[] payload, String reason, BooleanSupplier stopping)
            throws InterruptedException {
        String routeToken = Names.token(route == null ? source + "-ingest" : route);
        Headers headers = new Headers()
                .put(MeshConstants.DLQ_ROUTE, Names.headerValue(routeToken, 256))
                .put(MeshConstants.DLQ_ERROR, Names.headerValue(reason, MeshConstants.DLQ_ERROR_MAX_LENGTH))
                .put(SOURCE, source)
                .put(SOURCE_TOPIC, Names.headerValue(topic, 1024));
        if (sourceId != null) {
            headers.put(MeshConstants.NATS_MSG_ID, "dlq:" + routeToken + ":" + source + ":" + sourceId);
            headers.put(MeshConstants.DLQ_ORIGINAL_ID, sourceId);
        }
        long max = connection.getServerInfo() == null ? 1 << 20 : connection.getServerInfo().getMaxPayload();
        byte[] data = payload;
        if (payload.length > max - HEADROOM) {
            data = Arrays.copyOf(payload, (int) Math.max(0, max - HEADROOM));
            headers.put(TRUNCATED, Integer.toString(payload.length));
        }
        NatsMessage msg = NatsMessage.builder().subject(MeshConstants.DLQ_SUBJECT_PREFIX + routeToken)
                .headers(headers).data(data).build();
        while (true) {
            try {
                js.publish(msg);
                LOG.debug("dead-lettered a message of {}: {}", topic, reason);
                return;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                if (stopping.getAsBoolean()) {
                    throw new BridgeSendFailedException("the route stopped before the dead letter of a message of "
                            + topic + " was stored; the broker delivers it again");
                }
                LOG.warn("Writing the dead letter of a message of {} failed ({}); retrying", topic, e.toString());
                Thread.sleep(500);
            }
        }
    }
}
