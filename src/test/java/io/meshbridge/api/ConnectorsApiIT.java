package io.meshbridge.api;

import static io.meshbridge.camel.MeshTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshbridge.archive.camel.ArchiveEndpoint;
import io.meshbridge.archive.camel.ArchiveProducer;
import io.meshbridge.camel.ConnectorPause;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connectors operations ({@link ConnectorsApi}) on real {@code mesh:} routes in a Camel context, against a
 * private nats-server, driven through {@link ApiRouter#dispatch}: exact deliveries after pause, resume, restart
 * and position (rewind, skip, by time), a second consumer of the same durable after a reposition, and the
 * archive skipping what it had archived when its route is rewound.
 */
class ConnectorsApiIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "API_EVENTS";
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration NEVER_STALLED = Duration.ofHours(1);
    private static Connection nc;

    private final List<CamelContext> contexts = new ArrayList<>();
    private final List<ConnectorStates> readings = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void createStream() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
    }

    @AfterEach
    void stop() {
        readings.forEach(ConnectorStates::close);
        contexts.forEach(CamelContext::stop);
    }

    // ---- list, get, bad requests ------------------------------------------------------------------------

    @Test
    void listAndGetDescribeEachConnectorWithThisWorkersCountsAndTheServersState() throws Exception {
        String t = NATS.uniqueName("list");
        Recorder a = new Recorder();
        Api api = start(route(t + "-a", "events." + t + ".a", "", "a") + route(t + "-b", "events." + t + ".b",
                "durable=" + t + "-shared-b", "b"), Map.of("a", a, "b", new Recorder()), NEVER_STALLED);
        List<Long> seqs = publish(t, "a", 3);
        await().atMost(WAIT).until(() -> a.seqs.size() >= 3);
        MeshTests.awaitDrained(nc, STREAM, t + "-a", 3);

        Answer list = api.call("GET", "/connectors", null);
        assertThat(list.status).isEqualTo(200);
        assertThat(list.body.get("connectors")).hasSize(2);
        assertThat(list.body.get("connectors").get(0).get("id").asText()).isEqualTo(t + "-a");
        JsonNode b = list.body.get("connectors").get(1);
        assertThat(b.get("durable").asText()).isEqualTo(t + "-shared-b");
        assertThat(b.get("filter").asText()).isEqualTo("events." + t + ".b");
        assertThat(b.get("counts").get("delivered").asLong()).isZero();

        JsonNode one = api.call("GET", "/connectors/" + t + "-a", null).body;
        assertThat(one.get("state").asText()).isEqualTo("running");
        assertThat(one.get("stream").asText()).isEqualTo(STREAM);
        assertThat(one.get("worker").asText()).isEqualTo("test-node");
        assertThat(one.get("pause").isNull()).isTrue();
        JsonNode counts = one.get("counts");
        assertThat(counts.get("delivered").asLong()).isEqualTo(3);
        assertThat(counts.get("acknowledged").asLong()).isEqualTo(3);
        assertThat(counts.get("failed").asLong()).isZero();
        assertThat(counts.get("retried").asLong()).isZero();
        assertThat(counts.get("deadLettered").asLong()).isZero();
        assertThat(counts.get("inFlight").asLong()).isZero();
        JsonNode server = one.get("server");
        assertThat(server.get("problem").isNull()).isTrue();
        assertThat(server.get("pending").asLong()).isZero();
        assertThat(server.get("ackPending").asLong()).isZero();
        assertThat(server.get("lastDelivered").asLong()).isEqualTo(seqs.get(2));
        assertThat(server.get("ackFloor").asLong()).isEqualTo(seqs.get(2));
        assertThat(server.get("lastActive").asText()).endsWith("Z");

        Answer missing = api.call("GET", "/connectors/nope", null);
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.reason()).contains("'nope'", t + "-a", t + "-b");
        assertThat(api.call("POST", "/connectors/nope/pause", null).status).isEqualTo(404);

        String id = "/connectors/" + t + "-a";
        assertThat(api.call("PUT", id + "/position", "{}").reason()).contains("exactly one of sequence");
        assertThat(api.call("PUT", id + "/position", "{\"sequence\":1,\"time\":\"2026-01-01T00:00:00Z\"}")
                .reason()).contains("exactly one", "not both");
        assertThat(api.call("PUT", id + "/position", "{\"sequence\":\"7\"}").reason())
                .startsWith("sequence must be an integer");
        assertThat(api.call("PUT", id + "/position", "{\"sequence\":0}").reason())
                .startsWith("sequence must be an integer of at least 1");
        assertThat(api.call("PUT", id + "/position", "{\"time\":\"yesterday\"}").reason())
                .startsWith("time must be an RFC 3339 time");
        assertThat(api.call("PUT", id + "/position", "{\"seq\":3}").reason()).contains("unknown member 'seq'");
        Answer tooFar = api.call("PUT", id + "/position", "{\"sequence\":" + (lastSequence() + 2) + "}");
        assertThat(tooFar.status).isEqualTo(400);
        assertThat(tooFar.reason()).startsWith("sequence must be at most " + (lastSequence() + 1));
        assertThat(api.call("POST", id + "/pause", "{\"reason\":5}").reason()).startsWith("reason must be");
        assertThat(api.call("POST", id + "/pause", "[1]").reason()).isEqualTo("the body must be a JSON object");
        assertThat(api.call("POST", id + "/resume", "{\"force\":true}").reason()).contains("takes none");
        for (String bad : List.of("{}", "{\"sequence\":\"7\"}", "{\"seq\":3}")) {
            assertThat(api.call("PUT", id + "/position", bad).status).as(bad).isEqualTo(400);
        }
        assertThat(api.call("GET", id, null).body.get("counts").get("delivered").asLong())
                .as("no bad request touched the connector").isEqualTo(3);
    }

    @Test
    void everyConnectorsOperationIsInTheOpenApiDocument() {
        ApiRouter router = new ApiRouter();
        ConnectorsApi.register(router, MeshTests.context(nc, STREAM), () -> null, NEVER_STALLED, BOUND);
        JsonNode paths = OpenApi.document().get("paths");
        for (ApiRouter.Operation op : router.operations()) {
            JsonNode described = paths.path("/api" + op.path()).path(op.method().toLowerCase());
            assertThat(described.isObject()).as(op.method() + " " + op.path()).isTrue();
            assertThat(described.path("summary").asText()).as(op.path()).isEqualTo(op.summary());
            assertThat(described.path("responses").path("200").path("content").path("application/json")
                    .path("schema").path("$ref").asText()).as(op.path()).startsWith("#/components/schemas/");
        }
        assertThat(router.operations()).hasSize(6);
    }

    // ---- pause, resume, restart -------------------------------------------------------------------------

    @Test
    void whilePausedNothingIsDeliveredAndResumeDeliversExactlyWhatWasPublishedMeanwhile() throws Exception {
        String t = NATS.uniqueName("pause");
        Recorder r = new Recorder();
        Api api = start(route(t, "events." + t + ".>", "", "r"), Map.of("r", r), NEVER_STALLED);

        Answer paused = api.call("POST", "/connectors/" + t + "/pause", "{\"reason\":\"maintenance window\"}");
        assertThat(paused.status).isEqualTo(200);
        assertThat(paused.body.get("state").asText()).isEqualTo("paused");
        assertThat(paused.body.get("pause").get("reason").asText()).isEqualTo("maintenance window");
        assertThat(paused.body.get("pause").get("worker").asText()).isEqualTo("test-node");
        assertThat(paused.body.get("pause").get("since").asText()).endsWith("Z");
        assertThat(ConnectorPause.entry(nc, t).reason()).isEqualTo("maintenance window");

        List<Long> published = publish(t, "item", 10);
        // nothing can be delivered: all 10 wait in the stream and no pull request is waiting on the server
        await().atMost(WAIT).until(() -> {
            ConsumerInfo i = MeshTests.consumerInfo(nc, STREAM, t);
            return i.getNumPending() == 10 && i.getNumWaiting() == 0 && i.getNumAckPending() == 0;
        });
        assertThat(r.seqs).isEmpty();
        assertThat(api.call("GET", "/connectors/" + t, null).body.get("server").get("pending").asLong())
                .isEqualTo(10);

        Answer resumed = api.call("POST", "/connectors/" + t + "/resume", null);
        assertThat(resumed.status).isEqualTo(200);
        assertThat(resumed.body.get("state").asText()).isEqualTo("running");
        assertThat(resumed.body.get("pause").isNull()).isTrue();
        await().atMost(WAIT).until(() -> r.seqs.size() >= 10);
        MeshTests.awaitDrained(nc, STREAM, t, 10);
        assertThat(r.seqs).containsExactlyElementsOf(published);
        assertThat(ConnectorPause.entry(nc, t)).isNull();
    }

    @Test
    void restartStopsAndStartsTheRouteResumingItAndStartsAStoppedOne() throws Exception {
        String t = NATS.uniqueName("restart");
        Recorder r = new Recorder();
        Api api = start(route(t, "events." + t + ".>", "", "r"), Map.of("r", r), NEVER_STALLED);
        api.call("POST", "/connectors/" + t + "/pause", null);
        assertThat(ConnectorPause.entry(nc, t).reason()).isEqualTo("paused through the API");

        Answer restarted = api.call("POST", "/connectors/" + t + "/restart", null);
        assertThat(restarted.status).isEqualTo(200);
        assertThat(restarted.body.get("state").asText()).isEqualTo("running");
        assertThat(ConnectorPause.entry(nc, t)).as("the start resumed it").isNull();
        List<Long> first = publish(t, "item", 5);
        await().atMost(WAIT).until(() -> r.seqs.size() >= 5);

        api.ctx.getRouteController().stopRoute(t);
        Answer stopped = api.call("GET", "/connectors/" + t, null);
        assertThat(stopped.body.get("state").asText()).isEqualTo("stopped");
        assertThat(stopped.body.get("server").get("ackFloor").asLong()).isEqualTo(first.get(4));
        List<Long> second = publish(t, "item", 3);
        assertThat(api.call("POST", "/connectors/" + t + "/restart", null).body.get("state").asText())
                .isEqualTo("running");
        await().atMost(WAIT).until(() -> r.seqs.size() >= 8);
        MeshTests.awaitDrained(nc, STREAM, t, 8);
        List<Long> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(r.seqs).containsExactlyElementsOf(all);
    }

    // ---- position --------------------------------------------------------------------------------------

    @Test
    void aRewindBySequenceReplaysExactlyTheEventsFromThePositionOnEachOnce() throws Exception {
        String t = NATS.uniqueName("rewind");
        Recorder r = new Recorder();
        Api api = start(route(t, "events." + t + ".>", "", "r"), Map.of("r", r), NEVER_STALLED);
        List<Long> seqs = publish(t, "item", 20);
        await().atMost(WAIT).until(() -> r.seqs.size() >= 20);
        MeshTests.awaitDrained(nc, STREAM, t, 20);
        assertThat(r.seqs).containsExactlyElementsOf(seqs);

        Answer moved = api.call("PUT", "/connectors/" + t + "/position", "{\"sequence\":" + seqs.get(10) + "}");
        assertThat(moved.status).as(moved.body.toString()).isEqualTo(200);
        assertThat(moved.body.get("position").get("sequence").asLong()).isEqualTo(seqs.get(10));
        assertThat(moved.body.get("position").get("nextSequence").asLong()).isEqualTo(seqs.get(10));
        assertThat(moved.body.get("state").asText()).isEqualTo("running");

        await().atMost(WAIT).until(() -> r.seqs.size() >= 30);
        MeshTests.awaitDrained(nc, STREAM, t, 10);
        List<Long> expected = new ArrayList<>(seqs);
        expected.addAll(seqs.subList(10, 20));
        assertThat(r.seqs).containsExactlyElementsOf(expected);
        ConsumerConfiguration cc = MeshTests.consumerInfo(nc, STREAM, t).getConsumerConfiguration();
        assertThat(cc.getDescription()).contains("repositioned to sequence " + seqs.get(10));
        assertThat(cc.getFilterSubject()).isEqualTo("events." + t + ".>");
        assertThat(ConnectorPause.entry(nc, t)).isNull();

        // the route's own start accepts the repositioned durable
        api.ctx.getRouteController().stopRoute(t);
        api.ctx.getRouteController().startRoute(t);
        assertThat(api.call("GET", "/connectors/" + t, null).body.get("state").asText()).isEqualTo("running");
        assertThat(r.seqs).hasSize(30);
    }

    @Test
    void aPositionByTimeStartsAtTheFirstEventAtOrAfterIt() throws Exception {
        String t = NATS.uniqueName("bytime");
        Recorder r = new Recorder();
        Api api = start(route(t, "events." + t + ".>", "", "r"), Map.of("r", r), NEVER_STALLED);
        List<Long> seqs = publish(t, "item", 10);
        await().atMost(WAIT).until(() -> r.seqs.size() >= 10);
        MeshTests.awaitDrained(nc, STREAM, t, 10);
        String time = nc.jetStreamManagement().getMessage(STREAM, seqs.get(7)).getTime().toInstant().toString();

        Answer moved = api.call("PUT", "/connectors/" + t + "/position", "{\"time\":\"" + time + "\"}");
        assertThat(moved.status).as(moved.body.toString()).isEqualTo(200);
        assertThat(moved.body.get("position").get("nextSequence").asLong()).isEqualTo(seqs.get(7));
        await().atMost(WAIT).until(() -> r.seqs.size() >= 13);
        MeshTests.awaitDrained(nc, STREAM, t, 3);
        List<Long> expected = new ArrayList<>(seqs);
        expected.addAll(seqs.subList(7, 10));
        assertThat(r.seqs).containsExactlyElementsOf(expected);
    }

    @Test
    void aPositionAfterTheLastEventSkipsEverythingPending() throws Exception {
        String t = NATS.uniqueName("skip");
        Recorder r = new Recorder();
        Api api = start(route(t, "events." + t + ".>", "", "r"), Map.of("r", r), NEVER_STALLED);
        api.call("POST", "/connectors/" + t + "/pause", null);
        publish(t, "old", 5);
        await().atMost(WAIT).until(() -> MeshTests.consumerInfo(nc, STREAM, t).getNumPending() == 5);

        long next = lastSequence() + 1;
        Answer moved = api.call("PUT", "/connectors/" + t + "/position", "{\"sequence\":" + next + "}");
        assertThat(moved.status).as(moved.body.toString()).isEqualTo(200);
        assertThat(moved.body.get("state").asText()).as("the position resumed it").isEqualTo("running");
        assertThat(moved.body.get("server").get("pending").asLong()).isZero();
        List<Long> fresh = publish(t, "new", 2);
        await().atMost(WAIT).until(() -> r.seqs.size() >= 2);
        MeshTests.awaitDrained(nc, STREAM, t, 2);
        assertThat(r.seqs).containsExactlyElementsOf(fresh);
    }

    @Test
    void aSecondWorkerOnTheSameDurableKeepsConsumingAfterAReposition() throws Exception {
        String t = NATS.uniqueName("second");
        String durable = t + "-shared";
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        String options = "durable=" + durable + "&batchSize=5";
        Api api = start(route(t + "-one", "events." + t + ".>", options, "one"), Map.of("one", one), NEVER_STALLED);
        // another worker: its own context and connection, a route of its own on the same durable
        CamelContext other = MeshTests.context(NATS.connect(), STREAM);
        start(other, route(t + "-two", "events." + t + ".>", options, "two"), Map.of("two", two), NEVER_STALLED);
        List<Long> seqs = publish(t, "item", 10);
        await().atMost(WAIT).until(() -> one.seqs.size() + two.seqs.size() >= 10);
        MeshTests.awaitDrained(nc, STREAM, durable, 10);
        assertThat(counts(one, two)).isEqualTo(times(seqs, 1));

        Answer moved = api.call("PUT", "/connectors/" + t + "-one/position", "{\"sequence\":" + seqs.get(0) + "}");
        assertThat(moved.status).as(moved.body.toString()).isEqualTo(200);
        await().atMost(WAIT).until(() -> one.seqs.size() + two.seqs.size() >= 20);
        MeshTests.awaitDrained(nc, STREAM, durable, 10);
        assertThat(counts(one, two)).as("each event twice in all").isEqualTo(times(seqs, 2));

        // with the first worker's route stopped, the second alone takes every new event from the new durable
        api.ctx.getRouteController().stopRoute(t + "-one");
        int before = two.seqs.size();
        List<Long> later = publish(t, "item", 5);
        await().atMost(WAIT).until(() -> two.seqs.size() >= before + 5);
        MeshTests.awaitDrained(nc, STREAM, durable, 15);
        assertThat(two.seqs.subList(before, two.seqs.size())).containsExactlyElementsOf(later);
        assertThat(one.seqs.size() + two.seqs.size()).isEqualTo(25);
    }

    @Test
    void aConsumerWhoseDurableIsDeletedAndCreatedAgainUnderItBindsToTheNewOne() throws Exception {
        String t = NATS.uniqueName("gone");
        Recorder r = new Recorder();
        start(route(t, "events." + t + ".>", "", "r"), Map.of("r", r), NEVER_STALLED);
        List<Long> first = publish(t, "item", 3);
        await().atMost(WAIT).until(() -> r.seqs.size() >= 3);
        MeshTests.awaitDrained(nc, STREAM, t, 3);
        ConsumerConfiguration cc = MeshTests.consumerInfo(nc, STREAM, t).getConsumerConfiguration();

        // not paused: the fetcher loses its subscription, retries, and binds to the durable once it is back
        nc.jetStreamManagement().deleteConsumer(STREAM, t);
        List<Long> meanwhile = publish(t, "item", 2);
        nc.jetStreamManagement().addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder(cc)
                .deliverPolicy(io.nats.client.api.DeliverPolicy.ByStartSequence).startSequence(meanwhile.get(0))
                .build());
        List<Long> after = publish(t, "item", 2);
        await().atMost(WAIT).until(() -> r.seqs.size() >= 7);
        MeshTests.awaitDrained(nc, STREAM, t, 4);
        List<Long> expected = new ArrayList<>(first);
        expected.addAll(meanwhile);
        expected.addAll(after);
        assertThat(r.seqs).containsExactlyElementsOf(expected);
    }

    @Test
    void aRewoundArchiveRouteSkipsWhatItHadArchived() throws Exception {
        String t = NATS.uniqueName("arch");
        Path archive = dir.resolve("archive");
        CamelContext ctx = MeshTests.context(nc, STREAM);
        PluginHelper.getRoutesLoader(ctx).loadRoutes(
                ResourceHelper.resolveMandatoryResource(ctx, "classpath:templates/mesh-archive.yaml"));
        Api api = start(ctx, """
                - templatedRoute:
                    routeTemplateRef: mesh-archive
                    routeId: %s
                    parameters:
                      - name: filter
                        value: "events.%s.>"
                      - name: directory
                        value: "%s"
                      - name: workerId
                        value: w1
                """.formatted(t, t, archive), Map.of(), NEVER_STALLED);
        List<Long> seqs = publish(t, "item", 20);
        await().atMost(WAIT).until(() -> producer(ctx).getWritten() >= 20);
        MeshTests.awaitDrained(nc, STREAM, t, 20);

        Answer moved = api.call("PUT", "/connectors/" + t + "/position", "{\"sequence\":" + seqs.get(10) + "}");
        assertThat(moved.status).as(moved.body.toString()).isEqualTo(200);
        await().atMost(WAIT).until(() -> api.call("GET", "/connectors/" + t, null).body.get("counts")
                .get("acknowledged").asLong() >= 30);
        MeshTests.awaitDrained(nc, STREAM, t, 10);
        assertThat(producer(ctx).getSkippedDuplicates()).as("the 10 redelivered ones").isEqualTo(10);
        assertThat(producer(ctx).getWritten()).as("since the route's restart").isZero();

        ctx.stop();
        assertThat(archivedSequences(archive)).containsExactlyElementsOf(seqs);
    }

    @Test
    void stalledAndFailingAreReportedAsTheHealthCheckAndTheCountsSay() throws Exception {
        String t = NATS.uniqueName("states");
        CountDownLatch release = new CountDownLatch(1);
        Processor hold = exchange -> release.await(60, TimeUnit.SECONDS);
        Processor fail = exchange -> {
            throw new IllegalStateException("always failing");
        };
        Api api = start(route(t + "-held", "events." + t + ".held", "", "hold")
                + route(t + "-failing", "events." + t + ".failing", "backoff=100ms&maxDeliver=1000", "fail"),
                Map.of("hold", hold, "fail", fail), Duration.ofSeconds(1));
        publish(t, "held", 1);
        publish(t, "failing", 1);

        await().atMost(WAIT).until(() -> api.call("GET", "/connectors/" + t + "-held", null).body.get("state")
                .asText().equals("stalled"));
        await().atMost(WAIT).until(() -> api.call("GET", "/connectors/" + t + "-failing", null).body.get("counts")
                .get("failuresSinceAck").asLong() >= 2);
        JsonNode failing = api.call("GET", "/connectors/" + t + "-failing", null).body;
        assertThat(failing.get("state").asText()).isEqualTo("failing");
        assertThat(failing.get("counts").get("acknowledged").asLong()).isZero();

        release.countDown();
        await().atMost(WAIT).until(() -> api.call("GET", "/connectors/" + t + "-held", null).body.get("state")
                .asText().equals("running"));
        assertThat(api.call("GET", "/connectors/" + t + "-held", null).body.get("counts").get("acknowledged")
                .asLong()).isEqualTo(1);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** Records the stream sequence of every exchange it sees, in order. */
    private static final class Recorder implements Processor {
        final List<Long> seqs = new CopyOnWriteArrayList<>();

        @Override
        public void process(org.apache.camel.Exchange exchange) {
            seqs.add(exchange.getIn().getHeader(MeshConstants.SEQUENCE, Long.class));
        }
    }

    /** A router with the connectors operations on a context. */
    private record Api(CamelContext ctx, ApiRouter router) {
        Answer call(String method, String path, String body) throws Exception {
            byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
            try {
                ApiResponse r = router.dispatch(method, path, Map.of(), bytes);
                return new Answer(r.status(), r.body());
            } catch (ApiException e) {
                return new Answer(e.status(), ApiJson.error(e.status(), e.getMessage()));
            }
        }
    }

    private record Answer(int status, JsonNode body) {
        String reason() {
            return body.path("reason").asText();
        }
    }

    private static String route(String id, String filter, String options, String processor) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "mesh:%s%s"
                      steps:
                        - process:
                            ref: %s
                """.formatted(id, filter, options.isEmpty() ? "" : "?" + options, processor);
    }

    private Api start(String yaml, Map<String, Object> beans, Duration stallAfter) throws Exception {
        return start(MeshTests.context(nc, STREAM), yaml, beans, stallAfter);
    }

    private Api start(CamelContext ctx, String yaml, Map<String, Object> beans, Duration stallAfter)
            throws Exception {
        beans.forEach((name, bean) -> ctx.getRegistry().bind(name, bean));
        MeshTests.loadYaml(ctx, yaml);
        contexts.add(ctx);
        ctx.start();
        ConnectorStates states = new ConnectorStates(ctx, nc, STREAM, Duration.ofMillis(200), () -> { });
        readings.add(states);
        states.start();
        ApiRouter router = new ApiRouter();
        ConnectorsApi.register(router, ctx, () -> states, stallAfter, BOUND);
        return new Api(ctx, router);
    }

    /** Publishes {@code n} events of type {@code <token>.<leaf>}; returns their stream sequences. */
    private static List<Long> publish(String token, String leaf, int n) throws Exception {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seqs.add(MeshTests.publishEvent(nc, token + "." + leaf, "{\"i\":" + i + "}",
                    token + "-" + leaf + "-" + i + "-" + System.nanoTime()));
        }
        return seqs;
    }

    private static long lastSequence() throws Exception {
        return nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getLastSequence();
    }

    private static Map<Long, Integer> counts(Recorder... recorders) {
        Map<Long, Integer> out = new HashMap<>();
        for (Recorder r : recorders) {
            r.seqs.forEach(s -> out.merge(s, 1, Integer::sum));
        }
        return out;
    }

    private static Map<Long, Integer> times(List<Long> seqs, int n) {
        Map<Long, Integer> out = new HashMap<>();
        seqs.forEach(s -> out.put(s, n));
        return out;
    }

    private static ArchiveProducer producer(CamelContext ctx) {
        return ctx.getEndpoints().stream().filter(e -> e instanceof ArchiveEndpoint)
                .flatMap(e -> ((ArchiveEndpoint) e).producers().stream())
                .findFirst().orElseThrow(() -> new AssertionError("no archive producer"));
    }

    /** The {@code seq} of every line of the finished archive files, sorted. */
    private static List<Long> archivedSequences(Path root) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl.gz")).toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            out.add(ApiJson.MAPPER.readTree(line).get("seq").asLong());
                        }
                    }
                }
            }
        }
        out.sort(Long::compare);
        return out;
    }
}
