package io.meshbridge.camel;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two workers (Camel contexts) on one durable split the events: each is processed once in total. */
class MeshSharedDurableIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_SHARED";
    private static final int EVENTS = 1000;
    private static Connection nc;

    @RegisterExtension
    final MeshContexts contexts = new MeshContexts();

    @BeforeAll
    static void createStream() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
    }

    private CamelContext worker(Connection connection, String token, List<String> ids) throws Exception {
        Processor record = exchange -> ids.add(exchange.getIn().getHeader(MeshConstants.EVENT_ID, String.class));
        return contexts.start(connection, STREAM, """
                - route:
                    id: worker
                    from:
                      uri: "mesh:events.%s.>?durable=shared-%s&batchSize=20&concurrentConsumers=2"
                      steps:
                        - process:
                            ref: record
                """.formatted(token, token), Map.of("record", record));
    }

    @Test
    void twoWorkersOnOneDurableProcessEachEventOnce() throws Exception {
        String token = NATS.uniqueName("shared");
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        worker(NATS.connect(), token, first);
        worker(NATS.connect(), token, second);

        JetStream js = nc.jetStream();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        Set<String> published = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            String id = token + "-" + i;
            published.add(id);
            acks.add(js.publishAsync("events." + token + ".item", MeshTests.envelope(token + ".item", "{\"i\":" + i + "}"),
                    PublishOptions.builder().messageId(id).build()));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, "shared-" + token, EVENTS);
        await().atMost(WAIT).until(() -> first.size() + second.size() >= EVENTS);

        Set<String> union = new HashSet<>(first);
        union.addAll(second);
        assertThat(first.size() + second.size()).isEqualTo(EVENTS);
        assertThat(union).hasSize(EVENTS).isEqualTo(published);
        assertThat(first).isNotEmpty();
        assertThat(second).isNotEmpty();
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(EVENTS);
        assertThat(info.getNumAckPending()).isZero();
        assertThat(info.getRedelivered()).isZero();
    }
}
