package io.meshbridge.camel;

import io.meshbridge.events.StreamSetup;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Duration;

/**
 * The dead-letter stream {@value MeshConstants#DLQ_STREAM} and the messages written to it.
 *
 * <p>The stream takes {@code mesh.dlq.>} (never a subject under {@code events.}, so dead letters are not
 * events again), file storage, and the generous limits of {@link DeadLetterLimits} (the worker's
 * {@code mesh.dlq.*}): dead letters wait for an operator. A dead letter keeps
 * the original payload and carries the {@code Mesh-*} headers of {@link MeshConstants}. Its
 * {@code Nats-Msg-Id} is derived from the durable, the stream and the sequence, so a retried write (after a
 * lost acknowledgement or a redelivery) is stored once.
 */
final class DeadLetters {

    /** How long the stream remembers a dead letter's id, so that a retried write is stored once. */
    static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);

    private DeadLetters() {
    }

    /** The dead-letter stream's configuration with the default limits. */
    static StreamConfiguration streamConfiguration() {
        return streamConfiguration(DeadLetterLimits.DEFAULTS);
    }

    /** The dead-letter stream's configuration with {@code limits}. */
    static StreamConfiguration streamConfiguration(DeadLetterLimits limits) {
        return StreamConfiguration.builder()
                .name(MeshConstants.DLQ_STREAM)
                .subjects(MeshConstants.DLQ_SUBJECT_PREFIX + ">")
                .storageType(StorageType.File)
                .duplicateWindow(DUPLICATE_WINDOW)
                .maxAge(limits.maxAge())
                .maxBytes(limits.maxBytes())
                .discardPolicy(DiscardPolicy.Old)
                .build();
    }

    /** The longest a dead letter's write may take before it counts as failed. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Creates the dead-letter stream when missing (an existing one is used as it is) and returns its duplicate
     * window, which {@link #retryDelay} must stay inside.
     */
    static Duration ensureStream(Connection connection) throws IOException, JetStreamApiException {
        Duration window = StreamSetup.ensure(connection, streamConfiguration(), false).info().getConfiguration()
                .getDuplicateWindow();
        return window == null || window.isZero() ? DUPLICATE_WINDOW : window;
    }

    /**
     * How long to wait before writing a dead letter again after its write failed: the route's last backoff,
     * shortened so that the retry comes well inside the dead-letter stream's duplicate window. A write whose
     * acknowledgement was lost may have been stored; its retry carries the same id and is stored once only while
     * the stream still remembers that id, that is for {@code window} after the first write. The first write
     * may take up to {@link #WRITE_TIMEOUT} to fail; the retry is redelivered after the delay; half the rest
     * of the window is left for the redelivery itself.
     *
     * @throws IllegalArgumentException when the window is too short to retry safely at all
     */
    static Duration retryDelay(Duration last, Duration window) {
        Duration room = window.minus(WRITE_TIMEOUT).dividedBy(2);
        if (room.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the duplicate window of " + MeshConstants.DLQ_STREAM + " (" + window
                    + ") is too short: a dead letter's write is retried with the same id and must be remembered for"
                    + " at least " + WRITE_TIMEOUT.plusSeconds(2) + "; raise the stream's duplicate window");
        }
        return last.compareTo(room) > 0 ? room : last;
    }

    /** The dead-letter subject of a route: {@code mesh.dlq.<routeId>} (sanitised to one token). */
    static String subject(String routeId) {
        return MeshConstants.DLQ_SUBJECT_PREFIX + Names.token(routeId);
    }

    /** The id of the dead letter of one stored message, stable across retries. */
    static String id(String durable, String stream, long sequence) {
        return "dlq:" + durable + ":" + stream + ":" + sequence;
    }

    /** The dead letter of {@code original}. */
    static Message message(Delivery delivery, String subject, String routeId, String durable, String error) {
        Message original = delivery.message();
        Headers headers = new Headers()
                .put(MeshConstants.NATS_MSG_ID, id(durable, delivery.stream(), delivery.sequence()))
                .put(MeshConstants.DLQ_ROUTE, Names.headerValue(routeId, 256))
                .put(MeshConstants.DLQ_ERROR, Names.headerValue(error, MeshConstants.DLQ_ERROR_MAX_LENGTH))
                .put(MeshConstants.DLQ_ORIGINAL_SUBJECT, original.getSubject())
                .put(MeshConstants.DLQ_ORIGINAL_STREAM, delivery.stream())
                .put(MeshConstants.DLQ_ORIGINAL_SEQUENCE, Long.toString(delivery.sequence()))
                .put(MeshConstants.DLQ_ORIGINAL_TIME, delivery.streamTime().toString())
                .put(MeshConstants.DLQ_DELIVERIES, Long.toString(delivery.deliveries()));
        String originalId = original.hasHeaders() ? original.getHeaders().getFirst(MeshConstants.NATS_MSG_ID) : null;
        if (originalId != null && !originalId.isEmpty()) {
            headers.put(MeshConstants.DLQ_ORIGINAL_ID, Names.headerValue(originalId, 256));
        }
        return NatsMessage.builder()
                .subject(subject)
                .headers(headers)
                .data(original.getData())
                .build();
    }

    /** {@code ExceptionClass: message}, the text of {@code Mesh-Error}. */
    static String describe(Throwable error) {
        if (error == null) {
            return "the route marked the exchange for rollback";
        }
        String message = error.getMessage();
        return error.getClass().getName() + (message == null ? "" : ": " + message);
    }
}
