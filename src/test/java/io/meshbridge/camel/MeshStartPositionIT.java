package io.meshbridge.camel;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Start positions of new durables ({@code deliverPolicy}), and the refusal to reuse a durable created with
 * another position or filter. Each test publishes {@code a1}, {@code b1}, {@code a2} on its own subjects.
 */
class MeshStartPositionIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_START";
    private static Connection nc;

    @RegisterExtension
    final MeshContexts contexts = new MeshContexts();

    @BeforeAll
    static void createStream() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
    }

    /** The stream sequences of a1, b1 and a2 published on events.&lt;token&gt;.a and .b. */
    private static long[] publishThree(String token) throws Exception {
        return new long[] {
            MeshTests.publishEvent(nc, token + ".a", "{\"n\":1}", token + "-a1"),
            MeshTests.publishEvent(nc, token + ".b", "{\"n\":1}", token + "-b1"),
            MeshTests.publishEvent(nc, token + ".a", "{\"n\":2}", token + "-a2"),
        };
    }

    private CamelContext context(String routeId, String uri, List<Long> sequences) throws Exception {
        Processor record = exchange -> sequences.add(exchange.getIn().getHeader(MeshConstants.SEQUENCE, Long.class));
        return contexts.create(nc, STREAM, MeshTests.processRoute(routeId, uri, "record"), Map.of("record", record));
    }

    private List<Long> consume(String token, String options, int expected) throws Exception {
        String routeId = "start-" + token;
        List<Long> sequences = new CopyOnWriteArrayList<>();
        context(routeId, "mesh:events." + token + ".*" + options, sequences).start();
        ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, expected);
        await().atMost(WAIT).until(() -> sequences.size() >= expected);
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(expected);
        return sequences;
    }

    @Test
    void allDeliversEverything() throws Exception {
        String token = NATS.uniqueName("all");
        long[] s = publishThree(token);
        assertThat(consume(token, "", 3)).containsExactly(s[0], s[1], s[2]);
        assertThat(MeshTests.consumerInfo(nc, STREAM, "start-" + token).getConsumerConfiguration()
                .getDeliverPolicy()).isEqualTo(DeliverPolicy.All);
    }

    @Test
    void newDeliversOnlyWhatIsStoredAfterTheStart() throws Exception {
        String token = NATS.uniqueName("new");
        publishThree(token);
        String routeId = "start-" + token;
        List<Long> sequences = new CopyOnWriteArrayList<>();
        context(routeId, "mesh:events." + token + ".*?deliverPolicy=new", sequences).start();
        long later = MeshTests.publishEvent(nc, token + ".b", "{\"n\":2}", token + "-b2");
        ConsumerInfo info = MeshTests.awaitDrained(nc, STREAM, routeId, 1);
        await().atMost(WAIT).until(() -> sequences.size() == 1);
        assertThat(sequences).containsExactly(later);
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(1);
    }

    @Test
    void lastPerSubjectDeliversTheLatestOfEachSubject() throws Exception {
        String token = NATS.uniqueName("last");
        long[] s = publishThree(token);
        assertThat(consume(token, "?deliverPolicy=last-per-subject", 2)).containsExactly(s[1], s[2]);
    }

    @Test
    void byTimeDeliversFromTheStoredTime() throws Exception {
        String token = NATS.uniqueName("time");
        long[] s = publishThree(token);
        Instant storedB1 = nc.jetStreamManagement().getMessage(STREAM, s[1]).getTime().toInstant();
        String startTime = DateTimeFormatter.ISO_INSTANT.format(storedB1);
        assertThat(consume(token, "?deliverPolicy=by-time&startTime=" + startTime, 2)).containsExactly(s[1], s[2]);
    }

    @Test
    void bySequenceDeliversFromTheSequence() throws Exception {
        String token = NATS.uniqueName("seq");
        long[] s = publishThree(token);
        assertThat(consume(token, "?deliverPolicy=by-sequence&startSequence=" + s[1], 2))
                .containsExactly(s[1], s[2]);
    }

    @Test
    void durableCreatedWithAnotherPositionOrFilterFailsTheStart() throws Exception {
        String token = NATS.uniqueName("conflict");
        publishThree(token);
        String routeId = "start-" + token;
        CamelContext first = context(routeId, "mesh:events." + token + ".*", new CopyOnWriteArrayList<>());
        first.start();
        MeshTests.awaitDrained(nc, STREAM, routeId, 3);
        first.stop();

        CamelContext otherPolicy = context(routeId, "mesh:events." + token + ".*?deliverPolicy=new",
                new CopyOnWriteArrayList<>());
        assertThat(startFailure(otherPolicy))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("durable '" + routeId + "' exists with deliverPolicy=all but the route asks for new;"
                        + " delete the consumer or use another durable name");

        CamelContext otherFilter = context(routeId, "mesh:events." + token + ".a", new CopyOnWriteArrayList<>());
        assertThat(startFailure(otherFilter))
                .hasMessage("durable '" + routeId + "' exists with filter subject events." + token + ".* but the"
                        + " route asks for events." + token + ".a; delete the consumer or use another durable name");

        CamelContext otherDurable = context("other-" + token, "mesh:events." + token + ".*?durable=" + routeId
                + "&deliverPolicy=by-sequence&startSequence=2", new CopyOnWriteArrayList<>());
        assertThat(startFailure(otherDurable))
                .hasMessageStartingWith("durable '" + routeId + "' exists with deliverPolicy=all but the route asks"
                        + " for by-sequence");

        // the durable itself is untouched
        ConsumerInfo info = MeshTests.consumerInfo(nc, STREAM, routeId);
        assertThat(info.getConsumerConfiguration().getDeliverPolicy()).isEqualTo(DeliverPolicy.All);
        assertThat(info.getConsumerConfiguration().getFilterSubject()).isEqualTo("events." + token + ".*");
        assertThat(info.getDelivered().getConsumerSequence()).isEqualTo(3);
    }

    /** The innermost cause of the failure of {@code ctx.start()}. */
    private static Throwable startFailure(CamelContext ctx) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(ctx::start).satisfies(t -> failure[0] = t);
        Throwable root = failure[0];
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
