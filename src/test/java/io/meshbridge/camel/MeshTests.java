package io.meshbridge.camel;

import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Helpers for the {@code mesh:} integration tests. Everything that checks results reads the server with
 * plain jnats calls, never through the component or the events library. Public for the tests of routes
 * that start with {@code mesh:} in other packages.
 */
public final class MeshTests {

    public static final Duration WAIT = Duration.ofSeconds(30);

    private MeshTests() {
    }

    /** A Camel context whose {@code mesh} component uses {@code nc} and the stream {@code stream}. */
    public static CamelContext context(Connection nc, String stream) {
        CamelContext ctx = new DefaultCamelContext();
        MeshComponent mesh = new MeshComponent();
        mesh.setConnection(nc);
        mesh.setStream(stream);
        mesh.setNodeName("test-node");
        ctx.addComponent("mesh", mesh);
        ctx.getShutdownStrategy().setTimeout(30);
        return ctx;
    }

    /** Loads YAML routes into {@code ctx}. */
    public static void loadYaml(CamelContext ctx, String yaml) throws Exception {
        PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
    }

    /** A YAML route {@code id} from {@code uri} with one step: the processor bean {@code processorRef}. */
    static String processRoute(String id, String uri, String processorRef) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "%s"
                      steps:
                        - process:
                            ref: %s
                """.formatted(id, uri, processorRef);
    }

    /** Creates an event stream on {@code events.>} (file storage, 2 min duplicate window). */
    public static void createEventStream(Connection nc, String stream) throws IOException, JetStreamApiException {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder()
                .name(stream)
                .subjects("events.>")
                .storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(2))
                .build());
    }

    /** A JSON envelope of {@code type} with {@code data}. */
    public static byte[] envelope(String type, String dataJson) {
        return ("{\"type\":\"" + type + "\",\"node\":\"n1\",\"timestamp\":\"2026-11-29T10:45:28.123Z\",\"data\":"
                + dataJson + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes with JetStream acknowledgement and an id; returns the stream sequence. */
    public static long publish(Connection nc, String subject, byte[] payload, String id) throws Exception {
        Headers headers = new Headers().put("Nats-Msg-Id", id);
        return nc.jetStream().publish(subject, headers, payload, PublishOptions.builder().build()).getSeqno();
    }

    /** Publishes an event of {@code type} with an id; returns the stream sequence. */
    public static long publishEvent(Connection nc, String type, String dataJson, String id) throws Exception {
        return publish(nc, "events." + type, envelope(type, dataJson), id);
    }

    public static ConsumerInfo consumerInfo(Connection nc, String stream, String durable) throws Exception {
        return nc.jetStreamManagement().getConsumerInfo(stream, durable);
    }

    /** Waits until the durable has no message left to deliver and nothing unacknowledged. */
    public static ConsumerInfo awaitDrained(Connection nc, String stream, String durable, long deliveredConsumerSeq) {
        ConsumerInfo[] last = new ConsumerInfo[1];
        await("durable " + durable + " drained").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> {
                    last[0] = consumerInfo(nc, stream, durable);
                    return last[0].getNumPending() == 0 && last[0].getNumAckPending() == 0
                            && last[0].getDelivered().getConsumerSequence() >= deliveredConsumerSeq;
                });
        return last[0];
    }

    /** Every message of {@code stream} on {@code subject}, in order, read with direct gets by sequence. */
    public static List<MessageInfo> messages(Connection nc, String stream, String subject) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        StreamInfo info = jsm.getStreamInfo(stream);
        List<MessageInfo> out = new ArrayList<>();
        long first = info.getStreamState().getFirstSequence();
        long last = info.getStreamState().getLastSequence();
        for (long seq = first; seq <= last && seq > 0; seq++) {
            try {
                MessageInfo m = jsm.getMessage(stream, seq);
                if (subject == null || subject.equals(m.getSubject())) {
                    out.add(m);
                }
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != 10037) { // deleted message
                    throw e;
                }
            }
        }
        return out;
    }

    /**
     * Records the acknowledgements the consumers of a durable send: each reply on
     * {@code $JS.ACK.<stream>.<durable>.>} by stream sequence, e.g. {@code +ACK}, {@code +NAK}, {@code +WPI}.
     */
    static final class AckSpy implements AutoCloseable {
        final Map<Long, List<String>> bySequence = new ConcurrentHashMap<>();
        private final Dispatcher dispatcher;
        private final Connection nc;

        AckSpy(Connection nc, String stream, String durable) throws Exception {
            this.nc = nc;
            this.dispatcher = nc.createDispatcher(this::record);
            dispatcher.subscribe("$JS.ACK." + stream + "." + durable + ".>");
            nc.flush(Duration.ofSeconds(5));
        }

        private void record(Message msg) {
            // $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>
            String[] tokens = msg.getSubject().split("\\.");
            long seq = Long.parseLong(tokens[5]);
            String kind = new String(msg.getData(), StandardCharsets.UTF_8);
            int space = kind.indexOf(' ');
            bySequence.computeIfAbsent(seq, k -> new CopyOnWriteArrayList<>())
                    .add(space < 0 ? (kind.isEmpty() ? "+ACK" : kind) : kind.substring(0, space));
        }

        List<String> of(long seq) {
            return bySequence.getOrDefault(seq, List.of());
        }

        long count(long seq, String kind) {
            return of(seq).stream().filter(kind::equals).count();
        }

        @Override
        public void close() {
            nc.closeDispatcher(dispatcher);
        }
    }
}
