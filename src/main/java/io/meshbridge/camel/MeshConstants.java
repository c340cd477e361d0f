package io.meshbridge.camel;

import org.apache.camel.spi.Metadata;

/**
 * Names used by the {@code mesh:} component: Camel exchange headers, the NATS headers it reads and writes, and
 * the dead-letter stream.
 *
 * <p><b>Exchange headers set by the consumer</b> on every exchange: {@link #SUBJECT}, {@link #SEQUENCE},
 * {@link #STREAM_TIME}, {@link #DELIVERIES}, {@link #EVENT_ID}; and, when the payload decodes as an event,
 * {@link #TYPE}, {@link #NODE} and (when the event has one) {@link #TIMESTAMP}.
 *
 * <p><b>Exchange headers read or set by the producer</b>: {@link #EVENT_ID} (read, then set to the id used),
 * {@link #SEQUENCE} and {@link #DUPLICATE} (set).
 *
 * <p><b>Dead letters</b> are stored in {@link #DLQ_STREAM} on {@code mesh.dlq.<routeId>} with the original
 * payload and the {@code Mesh-*} headers below.
 */
public final class MeshConstants {

    /** The event type ({@code String}), e.g. {@code tool.crashed}. */
    @Metadata(label = "consumer", description = "The event type, e.g. tool.crashed.", javaType = "String")
    public static final String TYPE = "CamelMeshType";

    /** The originating node ({@code String}, possibly empty). */
    @Metadata(label = "consumer", description = "The node that emitted the event (possibly empty).",
              javaType = "String")
    public static final String NODE = "CamelMeshNode";

    /** The event's own timestamp ({@code java.time.Instant}); absent when the event has none. */
    @Metadata(label = "consumer", description = "The timestamp written in the event; absent when it has none.",
              javaType = "java.time.Instant")
    public static final String TIMESTAMP = "CamelMeshTimestamp";

    /**
     * The event id ({@code String}). Consumer: the {@code Nats-Msg-Id} of the stored message, or
     * {@code <stream>:<sequence>} when it was published without one. Producer: when set by the route, the
     * {@code Nats-Msg-Id} to emit with, so that a retried exchange is stored once; afterwards the id used.
     */
    @Metadata(description = "Consumer: the Nats-Msg-Id, or <stream>:<sequence> when the message has none."
                            + " Producer: when set by the route, the Nats-Msg-Id to emit with (a retried"
                            + " exchange is then stored once); after the emit, the id used.",
              javaType = "String")
    public static final String EVENT_ID = "CamelMeshEventId";

    /** The NATS subject the event was stored on ({@code String}). */
    @Metadata(label = "consumer", description = "The subject the event was stored on.", javaType = "String")
    public static final String SUBJECT = "CamelMeshSubject";

    /** The stream sequence ({@code Long}): of the consumed message, or of the stored emit (producer). */
    @Metadata(description = "The stream sequence of the consumed message, or of the stored event (producer).",
              javaType = "Long")
    public static final String SEQUENCE = "CamelMeshSequence";

    /** When the stream stored the message ({@code java.time.Instant}, the server's clock). */
    @Metadata(label = "consumer", description = "When the stream stored the message (the server's clock).",
              javaType = "java.time.Instant")
    public static final String STREAM_TIME = "CamelMeshStreamTime";

    /** How many times the message has been delivered, this delivery included ({@code Long}, 1 or more). */
    @Metadata(label = "consumer", description = "How many times the message has been delivered, this one"
                                                + " included (1 on the first attempt).",
              javaType = "Long")
    public static final String DELIVERIES = "CamelMeshDeliveries";

    /** Producer: whether the stream had already stored an event with this id ({@code Boolean}). */
    @Metadata(label = "producer", description = "Whether the stream already held an event with this id (a"
                                                + " retried emit): it was not stored again.",
              javaType = "Boolean")
    public static final String DUPLICATE = "CamelMeshDuplicate";

    /**
     * Exchange property set by the consumer: the consumed event, a {@link ConsumedEvent} with its payload bytes as
     * stored, its checked envelope, its id and its stream position, decoded on demand; read it as an
     * {@code io.meshbridge.events.ReceivedEvent} with {@code exchange.getProperty(RECEIVED_EVENT_PROPERTY,
     * ReceivedEvent.class)}. Absent when the payload is not an event ({@code raw=true}). Unlike the body and
     * headers, steps of the route do not change it.
     */
    public static final String RECEIVED_EVENT_PROPERTY = "CamelMeshReceivedEvent";

    /** The NATS header carrying a message's id, used by JetStream to de-duplicate. */
    public static final String NATS_MSG_ID = "Nats-Msg-Id";

    /** A NATS header marking a re-published (replayed) event; {@code true} makes consumers skip it. */
    public static final String REPLAY_HEADER = "Mesh-Replay";

    /** The dead-letter stream. */
    public static final String DLQ_STREAM = "MESH_DLQ";

    /** Prefix of dead-letter subjects; the route id follows. */
    public static final String DLQ_SUBJECT_PREFIX = "mesh.dlq.";

    /** Dead-letter header: the id of the route that gave up. */
    public static final String DLQ_ROUTE = "Mesh-Route";

    /** Dead-letter header: the exception class and message of the last attempt, or why no attempt was made. */
    public static final String DLQ_ERROR = "Mesh-Error";

    /** Dead-letter header: the subject the message was stored on in the event stream. */
    public static final String DLQ_ORIGINAL_SUBJECT = "Mesh-Original-Subject";

    /** Dead-letter header: the message's sequence in the event stream. */
    public static final String DLQ_ORIGINAL_SEQUENCE = "Mesh-Original-Sequence";

    /** Dead-letter header: the event stream's name. */
    public static final String DLQ_ORIGINAL_STREAM = "Mesh-Original-Stream";

    /** Dead-letter header: the original {@code Nats-Msg-Id}, when the message had one. */
    public static final String DLQ_ORIGINAL_ID = "Mesh-Original-Id";

    /**
     * Dead-letter header: when the event stream stored the message (RFC 3339, UTC); absent on dead letters
     * written before this header was added.
     */
    public static final String DLQ_ORIGINAL_TIME = "Mesh-Original-Time";

    /** Dead-letter header: how many times the message was delivered. */
    public static final String DLQ_DELIVERIES = "Mesh-Deliveries";

    /** Longest {@link #DLQ_ERROR} value, in characters. */
    public static final int DLQ_ERROR_MAX_LENGTH = 1024;

    /** The registry name under which a NATS {@code Connection} bean is looked up. */
    public static final String CONNECTION_BEAN = "meshConnection";

    private MeshConstants() {
    }
}
