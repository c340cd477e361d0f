package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.InboundPayloads;
import io.meshbridge.bridge.MeshOrigin;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistentBus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of {@code bridge:kafka-ingest}: turns the Kafka record of a {@code kafka-broker:} consumer's
 * exchange into an event {@code user.<topic>} and completes the exchange only once the stream stored it, so the
 * consumer commits the record's offset only then.
 *
 * <p><b>Rules</b>, those of the HTTP ingest: the topic by the settings' {@link io.meshbridge.bridge.TopicMapping}
 * (the Kafka topic's {@code .}-separated parts as levels) under {@code io.meshbridge.ingest.TopicRules}; the
 * value by {@link InboundPayloads} (size and depth limits, non-objects wrapped or refused; a record without a
 * value counts as empty). A record the rules refuse goes to the dead-letter stream ({@link InboundDeadLetters},
 * written on a thread of its own) and then completes.
 *
 * <p><b>Event.</b> Data from the value, node the settings' {@code node} (else the worker's), id
 * {@code kafka:<topic>:<Mesh-Event-Id>} when the record carries that header (a record sent twice to Kafka is
 * stored once within the stream's duplicate window), else {@code kafka:<kafka topic>:<partition>:<offset>}
 * (a record read again after a restart or a rebalance is stored once within it). The record's
 * {@value MeshOrigin#HEADER} header is kept as the event's NATS header; a record carrying this mesh's own
 * marker left this mesh through a bridge and completes without being emitted (the loop guard).
 *
 * <p><b>Failures.</b> Emits are pipelined (as many as the consumer's {@code maxInFlight}); one the stream
 * does not acknowledge within {@code ackTimeout} fails the exchange retriably, and the consumer reads the record
 * again after a pause. An event too large for the server once encoded is dead-lettered. Thread-safe.
 */
public class KafkaIngestProducer extends DefaultAsyncProducer implements ShutdownPrepared {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngestProducer.class);

    private final BridgeEndpoint endpoint;
    private final KafkaBridgeSettings settings;
    private KafkaBridgeSettings.Inbound options;
    private MeshOrigin origin;
    private PersistentBus bus;
    private InboundDeadLetters deadLetters;
    private ExecutorService deadLetterThread;
    private volatile boolean stopping;

    KafkaIngestProducer(BridgeEndpoint endpoint, KafkaBridgeSettings settings) {
        super(endpoint);
        this.endpoint = endpoint;
        this.settings = settings;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        options = settings.inbound();
        // a window beyond the consumer's (twice it: emits of records dropped by a rewind may still be in flight),
        // so that an emit never waits for a place on the poll thread
        InboundMesh mesh = InboundMesh.attach(getEndpoint().getCamelContext(), options.meshId(), options.ackTimeout(),
                2 * options.maxInFlight() + 1, "kafka");
        origin = mesh.origin();
        bus = mesh.bus();
        deadLetters = mesh.deadLetters();
        deadLetterThread = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "KafkaIngestDeadLetters");
        LOG.info("Ingesting Kafka records of {} as user.{} events (mesh id {})", options.topics(),
                options.mapping().pattern(), origin.meshId());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            return ingest(exchange, callback);
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    private boolean ingest(Exchange exchange, AsyncCallback callback) throws InterruptedException {
        String topic = exchange.getIn().getHeader(KafkaBrokerConsumer.TOPIC, String.class);
        Headers headers = exchange.getIn().getHeader(KafkaBrokerConsumer.HEADERS, Headers.class);
        byte[] value = exchange.getIn().getBody(byte[].class);
        if (topic == null || headers == null || value == null) {
            throw new IllegalStateException("bridge:kafka-ingest needs a record of a kafka-broker: consumer");
        }
        String marker = MeshOrigin.validMarker(header(headers, MeshOrigin.HEADER));
        if (origin.inboundSkips(marker)) {
            endpoint.counts().returned();
            callback.done(true);
            return true;
        }
        String record = topic + ":" + exchange.getIn().getHeader(KafkaBrokerConsumer.PARTITION) + ":"
                + exchange.getIn().getHeader(KafkaBrokerConsumer.OFFSET);
        String sourceId = MeshOrigin.validMarker(header(headers, KafkaOutProducer.EVENT_ID));
        String meshTopic;
        Map<String, Object> data;
        try {
            meshTopic = KafkaBridgeSettings.meshTopic(options.mapping(), topic);
            data = options.payloads().data(value);
        } catch (IllegalArgumentException | InboundPayloads.Refused e) {
            return deadLetter(exchange, callback, topic, sourceId != null ? sourceId : record, value, e.getMessage());
        }
        Event event = Event.user(options.node() == null ? "" : options.node(), meshTopic, data);
        String id = sourceId != null ? "kafka:" + meshTopic + ":" + sourceId : "kafka:" + record;
        bus.emitAsync(event, id, marker == null ? Map.of() : Map.of(MeshOrigin.HEADER, marker))
                .orTimeout(options.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((stored, error) -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof IllegalArgumentException) { // too large for the server once encoded
                        deadLetter(exchange, callback, topic, sourceId != null ? sourceId : record, value,
                                "the event cannot be stored: " + cause.getMessage());
                        return;
                    }
                    try {
                        if (error == null) {
                            endpoint.counts().confirmed();
                        } else {
                            endpoint.counts().failed();
                            exchange.setException(new BridgeSendFailedException("the stream did not store the"
                                    + " record " + record + " (" + cause + "); it is read again"));
                        }
                    } finally {
                        callback.done(false);
                    }
                });
        return false;
    }

    private boolean deadLetter(Exchange exchange, AsyncCallback callback, String topic, String sourceId,
                               byte[] value, String reason) {
        String route = exchange.getFromRouteId();
        try {
            deadLetterThread.execute(() -> {
                try {
                    deadLetters.write(route, topic, sourceId, value, reason, () -> stopping);
                    endpoint.counts().deadLettered();
                } catch (InterruptedException e) {
                    exchange.setException(new BridgeSendFailedException("stopped before the dead letter of " + sourceId
                            + " was stored"));
                } catch (RuntimeException e) {
                    exchange.setException(e);
                } finally {
                    callback.done(false);
                }
            });
        } catch (RejectedExecutionException e) {
            exchange.setException(new BridgeSendFailedException("the route is stopping"));
            callback.done(false);
        }
        return false;
    }

    /** The last value of the record header {@code name} as UTF-8 text, or {@code null}. */
    static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        stopping = true; // a dead letter that cannot be written now is left to the record's next reading
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (deadLetterThread != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(deadLetterThread);
        }
        LOG.info("Stopped ingesting Kafka records of {}: {}", options == null ? "?" : options.topics(),
                endpoint.counts());
        super.doStop();
    }
}
