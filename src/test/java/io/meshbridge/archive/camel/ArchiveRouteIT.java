package io.meshbridge.archive.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.archive.ArchiveQuery;
import io.meshbridge.archive.ArchiveReader;
import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.ArchiveTesting;
import io.meshbridge.archive.ArchiveVerifier;
import io.meshbridge.archive.VerifyReport;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshbridge.archive.ArchiveTesting.Sample;
import io.meshbridge.camel.HealthReporting;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshConsumer;
import io.meshbridge.camel.RetentionGaps;
import io.meshbridge.testing.NatsServerExtension;
import org.assertj.core.api.InstanceOfAssertFactories;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code mesh-archive} template in a Camel context against a real nats-server: what lands in the
 * files, what goes to the dead-letter stream, rolling, recreated streams and gaps. Each test has its own
 * event stream and route id.
 */
class ArchiveRouteIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int STREAM_NOT_FOUND = 10059;

    @TempDir
    Path dir;

    private final List<String> streams = new ArrayList<>();

    @AfterEach
    void deleteStreams() throws Exception {
        for (String s : streams) {
            NATS.connect().jetStreamManagement().deleteStream(s);
        }
    }

    @Test
    void archivesEverySampleByteExactAndDeadLettersTheMalformed() throws Exception {
        Connection nc = NATS.connect();
        String stream = createStream(nc, "ARCH_SAMPLES", -1);
        List<Sample> samples = ArchiveTesting.decodableSamples();
        List<Sample> malformed = ArchiveTesting.malformedSamples();
        long dlqBefore = deadLetters(nc, "samples");
        for (Sample s : samples) {
            publish(nc, s.subject(), s.payload(), "id-" + s.name());
        }
        for (Sample m : malformed) {
            publish(nc, m.subject(), m.payload(), "id-" + m.name());
        }
        CamelContext ctx = start(nc, stream, "samples", Map.of());
        try {
            await().atMost(WAIT).until(() -> deadLetters(nc, "samples") - dlqBefore == malformed.size()
                    && archivedCount(ctx) == samples.size());
        } finally {
            ctx.close();
        }
        List<byte[]> lines = finishedLines();
        assertThat(lines).hasSize(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            JsonNode line = ArchiveTesting.JSON.readTree(lines.get(i));
            assertThat(line.get("seq").asLong()).as(s.name()).isEqualTo(i + 1);
            assertThat(line.get("subject").asText()).as(s.name()).isEqualTo(s.subject());
            assertThat(line.get("id").asText()).as(s.name()).isEqualTo("id-" + s.name());
            assertThat(new String(ArchiveTesting.rawEvent(lines.get(i)), StandardCharsets.UTF_8)).as(s.name())
                    .isEqualTo(new String(s.payload(), StandardCharsets.UTF_8));
        }
        assertThat(deadLetters(nc, "samples") - dlqBefore).isEqualTo(malformed.size());
    }

    @Test
    void rollsBySizeAndByAgeAndFinishesEveryFileOnStop() throws Exception {
        Connection nc = NATS.connect();
        String stream = createStream(nc, "ARCH_ROLL", -1);
        publishEvents(nc, "tool.started", 1, 300, "r");
        CamelContext ctx = start(nc, stream, "rolling", Map.of("rollSize", "2KB", "rollAge", "1s",
                "compression", "none", "maxBatch", "10"));
        try {
            await().atMost(WAIT).until(() -> archivedCount(ctx) == 300);
            // idle now: the age roll finishes the last open file without a stop
            await().atMost(WAIT).until(() -> ArchiveTesting.files(dir, ".part").isEmpty());
            List<Path> files = ArchiveTesting.files(dir, ".jsonl");
            assertThat(files).hasSizeGreaterThan(1);
            long line = Files.readAllLines(files.get(0)).get(0).length() + 1;
            for (Path f : files) {
                // a file is finished after the batch that took it to 2 KB: at most 10 more lines
                assertThat(Files.size(f)).as(f.toString()).isLessThan(2048 + 10 * line);
            }
            assertThat(ArchiveTesting.files(dir, ".manifest.json")).hasSameSizeAs(files);
        } finally {
            ctx.close();
        }
        assertThat(ArchiveVerifier.verify(dir).ok()).isTrue();
        assertThat(ArchiveVerifier.verify(dir).events()).isEqualTo(300);
    }

    @Test
    void theWriterForgetsTheFinishedFilesBelowTheAckFloor() throws Exception {
        Connection nc = NATS.connect();
        String stream = createStream(nc, "ARCH_FORGET", -1);
        publishEvents(nc, "tool.started", 1, 100, "f");
        CamelContext ctx = start(nc, stream, "forget", Map.of("rollSize", "1KB", "compression", "none",
                "maxBatch", "10"));
        try {
            await().atMost(WAIT).until(() -> archivedCount(ctx) == 100 && ackFloor(nc, stream, "forget") == 100);
            java.time.Instant created = nc.jetStreamManagement().getStreamInfo(stream).getCreateTime().toInstant();
            ArchiveProducer producer = producer(ctx);
            // the route's consumer passes its ack floor at its next check: sequence 1 is never delivered again
            await().atMost(WAIT).until(() -> !producer.writer().isArchived(stream, created, 1));
            assertThat(producer.heldUpTo(stream, created)).isEqualTo(100);
        } finally {
            ctx.close();
        }
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.ok()).as(report.describe()).isTrue();
        assertThat(report.events()).isEqualTo(100);
    }

    @Test
    void keepsEveryIncarnationOfARecreatedStream() throws Exception {
        Connection nc = NATS.connect();
        String stream = createStream(nc, "ARCH_RECREATE", -1);
        publishEvents(nc, "node.joined", 1, 5, "a");
        CamelContext first = start(nc, stream, "recreate", Map.of());
        await().atMost(WAIT).until(() -> archivedCount(first) == 5);
        first.close();

        nc.jetStreamManagement().deleteStream(stream);
        createStream(nc, stream, -1);
        publishEvents(nc, "node.joined", 101, 105, "b");
        CamelContext second = start(nc, stream, "recreate", Map.of());
        await().atMost(WAIT).until(() -> archivedCount(second) == 5);
        second.close();

        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.ok()).as(report.describe()).isTrue();
        assertThat(report.events()).isEqualTo(10);
        List<String> ids = ArchiveReader.open(dir).read(ArchiveQuery.all()).map(ArchiveRecord::id).toList();
        assertThat(ids).containsExactly("a1", "a2", "a3", "a4", "a5", "b101", "b102", "b103", "b104", "b105");
    }

    @Test
    void keepsSubjectsInsideTheDirectory() throws Exception {
        Connection nc = NATS.connect();
        String stream = createStream(nc, "ARCH_ESCAPE", -1);
        String type = "user./tmp/escaped";
        publish(nc, "events." + type, ArchiveTesting.payload(type, 1), "escape-1");
        publish(nc, "events.user.ok", ArchiveTesting.payload("user.ok", 2), "ok-2");
        Path root = dir.resolve("root");
        CamelContext ctx = start(nc, stream, "escape", Map.of("directory", root.toString()));
        try {
            await().atMost(WAIT).until(() -> archivedCount(ctx) + deadLetters(nc, "escape") == 2);
        } finally {
            ctx.close();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile).filter(p -> !p.startsWith(root)).toList()).isEmpty();
        }
        assertThat(ArchiveReader.open(root).read(ArchiveQuery.all()).map(ArchiveRecord::id).toList())
                .containsExactly("escape-1", "ok-2");
    }

    @Test
    void reportsEventsTheStreamDroppedWhileTheArchiveWasDown() throws Exception {
        Connection nc = NATS.connect();
        String stream = createStream(nc, "ARCH_GAP", 6);
        publishEvents(nc, "tool.started", 1, 3, "g");
        CamelContext first = start(nc, stream, "gaps", Map.of());
        await().atMost(WAIT).until(() -> archivedCount(first) == 3);
        first.close();

        // 10 more with room for 6: sequences 4 to 7 are dropped before the archive runs again
        publishEvents(nc, "tool.started", 4, 13, "g");
        CamelContext second = start(nc, stream, "gaps", Map.of());
        ArchiveProducer producer = producer(second);
        RetentionGaps gaps = ((MeshConsumer) second.getRoute("gaps").getConsumer()).getRetentionGaps();
        await().atMost(WAIT).until(() -> gaps.gaps() == 1 && producer.getWritten() == 7);
        second.close();

        List<ArchiveRecord> archived = ArchiveReader.open(dir).read(ArchiveQuery.all()).toList();
        assertThat(archived.stream().map(ArchiveRecord::sequence).toList())
                .containsExactly(1L, 2L, 3L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        ArchiveRecord gapEvent = archived.get(archived.size() - 1);
        assertThat(gapEvent.subject()).isEqualTo("events." + RetentionGaps.GAP_TYPE);
        JsonNode data = ArchiveTesting.JSON.readTree(gapEvent.payload()).get("data");
        assertThat(data.get("stream").asText()).isEqualTo(stream);
        assertThat(data.get("first_seq").asLong()).isEqualTo(4);
        assertThat(data.get("last_seq").asLong()).isEqualTo(7);
        assertThat(data.get("count").asLong()).isEqualTo(4);
        assertThat(data.get("after").asText()).isEqualTo(
                io.meshbridge.events.Timestamps.format(archived.get(2).time()));
        assertThat(data.get("before").asText()).isEqualTo(
                io.meshbridge.events.Timestamps.format(archived.get(3).time()));
        assertThat(data.get("route").asText()).isEqualTo("gaps");
        assertThat(data.get("worker").asText()).isEqualTo("test-node");
    }

    @Test
    void aFailedCommitThreadHoldsItsEventsSuspendsTheRouteAndDeadLettersNothing() throws Exception {
        Connection nc = NATS.connect();
        String stream = createStream(nc, "ARCH_DEAD", -1);
        publishEvents(nc, "tool.started", 1, 20, "d");
        // two attempts only: a failing archive would dead-letter within seconds
        Map<String, String> options = Map.of("maxBatch", "5", "maxAckPending", "10", "maxDeliver", "2");
        CamelContext ctx = start(nc, stream, "dead", options);
        await().atMost(WAIT).until(() -> archivedCount(ctx) == 20 && ackFloor(nc, stream, "dead") == 20);

        producer(ctx).writer().close(); // a broken writer: every append throws IllegalStateException now
        publishEvents(nc, "tool.started", 21, 50, "d");
        Consumer consumer = ctx.getRoute("dead").getConsumer();
        await().atMost(WAIT).until(() -> ServiceHelper.isSuspended(consumer) && problem(ctx).isPresent()
                || deadLetters(nc, "dead") > 0);
        assertThat(deadLetters(nc, "dead")).isZero();
        assertThat(problem(ctx)).get(InstanceOfAssertFactories.STRING).contains("route dead")
                .contains("archive writer is closed");
        // what reached the archive stays in flight, held; what the consumer had not started it handed back
        assertThat(((MeshConsumer) consumer).getInFlight()).isPositive();
        assertThat(ackFloor(nc, stream, "dead")).isEqualTo(20);
        assertThat(deadLetters(nc, "dead")).isZero();

        long stopping = System.nanoTime();
        ctx.close();
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("held events fail at once when stopping")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(deadLetters(nc, "dead")).isZero();

        CamelContext again = start(nc, stream, "dead", options);
        await().atMost(WAIT).until(() -> ackFloor(nc, stream, "dead") == 50);
        again.close();
        assertThat(deadLetters(nc, "dead")).isZero();
        VerifyReport report = ArchiveVerifier.verify(dir);
        assertThat(report.ok()).as(report.describe()).isTrue();
        assertThat(ArchiveReader.open(dir).read(ArchiveQuery.all()).map(ArchiveRecord::sequence).toList())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** The problem the archive endpoint reports to {@code /health}. */
    private static Optional<String> problem(CamelContext ctx) {
        return ctx.getEndpoints().stream().filter(e -> e instanceof ArchiveEndpoint)
                .map(e -> e instanceof HealthReporting h ? h.problem() : Optional.<String>empty())
                .flatMap(Optional::stream).findFirst();
    }

    private static long ackFloor(Connection nc, String stream, String durable) throws Exception {
        return nc.jetStreamManagement().getConsumerInfo(stream, durable).getAckFloor().getStreamSequence();
    }

    private CamelContext start(Connection nc, String stream, String routeId, Map<String, String> options)
            throws Exception {
        CamelContext ctx = MeshTests.context(nc, stream);
        ctx.getComponent("mesh", io.meshbridge.camel.MeshComponent.class).setGapCheckInterval(Duration.ofMillis(200));
        PluginHelper.getRoutesLoader(ctx).loadRoutes(
                ResourceHelper.resolveMandatoryResource(ctx, "classpath:templates/mesh-archive.yaml"));
        StringBuilder yaml = new StringBuilder("""
                - templatedRoute:
                    routeTemplateRef: mesh-archive
                    routeId: %s
                    parameters:
                      - name: workerId
                        value: w1
                """.formatted(routeId));
        if (!options.containsKey("directory")) {
            yaml.append("      - name: directory\n        value: \"").append(dir).append("\"\n");
        }
        options.forEach((k, v) -> yaml.append("      - name: ").append(k).append("\n        value: \"")
                .append(v).append("\"\n"));
        PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("archive.yaml", yaml.toString()));
        ctx.start();
        return ctx;
    }

    private static ArchiveProducer producer(CamelContext ctx) {
        return ctx.getEndpoints().stream().filter(e -> e instanceof ArchiveEndpoint)
                .flatMap(e -> ((ArchiveEndpoint) e).producers().stream())
                .findFirst().orElseThrow(() -> new AssertionError("no archive producer"));
    }

    private static long archivedCount(CamelContext ctx) {
        return producer(ctx).getWritten();
    }

    private List<byte[]> finishedLines() throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (Path f : ArchiveTesting.files(dir, ".jsonl.gz")) {
            out.addAll(ArchiveTesting.gzipLines(f));
        }
        out.sort(java.util.Comparator.comparingLong(ArchiveRouteIT::seq));
        return out;
    }

    private static long seq(byte[] line) {
        try {
            return ArchiveTesting.JSON.readTree(line).get("seq").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String createStream(Connection nc, String name, long maxMsgs) throws Exception {
        streams.remove(name);
        streams.add(name);
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(name).subjects("events.>")
                .storageType(StorageType.File).maxMessages(maxMsgs).duplicateWindow(Duration.ofMinutes(2)).build());
        return name;
    }

    /** Events {@code from..to} of {@code type}: data {@code n} and id {@code <idPrefix><n>}. */
    private static void publishEvents(Connection nc, String type, int from, int to, String idPrefix)
            throws Exception {
        for (int i = from; i <= to; i++) {
            publish(nc, "events." + type, ArchiveTesting.payload(type, i), idPrefix + i);
        }
    }

    private static void publish(Connection nc, String subject, byte[] payload, String id) throws Exception {
        nc.jetStream().publish(subject, new Headers().put(MeshConstants.NATS_MSG_ID, id), payload);
    }

    private static long deadLetters(Connection nc, String routeId) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        try {
            Map<String, Long> subjects = jsm.getStreamInfo(MeshConstants.DLQ_STREAM,
                    StreamInfoOptions.filterSubjects(MeshConstants.DLQ_SUBJECT_PREFIX + routeId)).getStreamState()
                    .getSubjectMap();
            return subjects.values().stream().mapToLong(Long::longValue).sum();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return 0; // no dead letter yet anywhere
            }
            throw e;
        }
    }
}
