package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.events.Event;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code events list} run as the packaged jar against a stream that already holds the reference payloads,
 * published raw by other producers (core publish, no headers): well-formed, oddities and malformed ones.
 */
class EventsListIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final List<ReferenceSample> SAMPLES = ReferenceSample.all();
    private static final EventCodec CODEC = EventCodec.defaults();

    @BeforeAll
    static void storeReferencePayloads() throws Exception {
        Connection nc = NATS.connect();
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("MESH_EVENTS").subjects("events.>")
                .storageType(StorageType.File).build());
        for (ReferenceSample sample : SAMPLES) {
            nc.publish(sample.subject(), sample.payload());
        }
        nc.flush(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jsm.getStreamInfo("MESH_EVENTS").getStreamState().getMsgCount() == SAMPLES.size());
    }

    @Test
    void jsonPrintsExactlyTheDecodableEventsInOrderAndReportsTheOthers() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "list", "--json", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<ReferenceSample> decodable = SAMPLES.stream().filter(s -> !s.malformed()).toList();
        assertThat(decodable).hasSize(11);
        List<String> lines = run.stdoutLines();
        assertThat(lines).as(run.toString()).hasSize(decodable.size());
        for (int i = 0; i < lines.size(); i++) {
            ReferenceSample sample = decodable.get(i);
            Event printed = CODEC.decode(sample.subject(), lines.get(i).getBytes(StandardCharsets.UTF_8)).event();
            ReceivedEvent original = CODEC.decode(sample.subject(), sample.payload());
            assertThat(printed.type()).as(sample.name()).isEqualTo(original.event().type());
            assertThat(printed.node()).as(sample.name()).isEqualTo(original.event().node());
            assertThat(printed.data()).as(sample.name()).isEqualTo(original.event().data());
            if (original.event().timestamp() != null) {
                assertThat(printed.timestamp()).as(sample.name()).isEqualTo(original.event().timestamp());
            }
        }
        assertThat(run.stderrLines()).as(run.toString()).containsExactlyElementsOf(expectedProblems(SAMPLES));
    }

    @Test
    void strictExitsWithTwoWhenMessagesAreUndecodable() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "list", "--json", "--strict", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stdoutLines()).hasSize(11);
    }

    @Test
    void plainListPrintsTheReferenceLineFormat() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "list", "--utc", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).hasSize(11)
                .allSatisfy(line -> assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d  \\S+  node=\\S*  \\S.*"))
                .contains("10:45:28  tool.installed  node=node-a  {\"tool\":\"whisper\",\"version\":\"v1.0.0\"}",
                        "10:45:28  tool.crashed  node=gpu-box  {\"error\":\"OOM killed\",\"restart_count\":2,"
                                + "\"tool\":\"whisper\"}",
                        "10:45:33  user.training.complete  node=gpu-box  {\"epochs\":100,\"loss\":0.01,"
                                + "\"model\":\"bert\"}",
                        "10:45:34  user.custom.topic  node=node-c  null");
    }

    @Test
    void plainListShowsLocalTimeByDefault() throws Exception {
        CliProcess.Result run = CliProcess.run(Map.of("TZ", "Asia/Kolkata"),
                "events", "list", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines())
                .contains("16:15:28  tool.installed  node=node-a  {\"tool\":\"whisper\",\"version\":\"v1.0.0\"}");
    }

    @Test
    void limitPrintsTheMostRecentEvents() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "list", "--json", "--limit", "2", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.stdoutLines();
        assertThat(lines).as(run.toString()).hasSize(2);
        assertThat(lines.get(0)).contains("\"node\":\"node-ü\"");
        assertThat(lines.get(1)).contains("12345678901234567890");
    }

    @Test
    void filterWithoutPrefixSelectsOnlyToolEvents() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "list", "--json", "--filter", "tool.*",
                "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<ReferenceSample> tools = SAMPLES.stream()
                .filter(s -> s.subject().startsWith("events.tool.")).toList();
        assertThat(run.stdoutLines()).as(run.toString())
                .hasSize((int) tools.stream().filter(s -> !s.malformed()).count())
                .allSatisfy(line -> assertThat(line).startsWith("{\"type\":\"tool."));
        assertThat(run.stderrLines()).containsExactlyElementsOf(expectedProblems(tools));
    }

    @Test
    void sinceReadsForwardFromATime() throws Exception {
        CliProcess.Result first = CliProcess.run("events", "list", "--json", "--since", "2000-01-01T00:00:00Z",
                "--limit", "3", "--server", NATS.url());
        CliProcess.Result recent = CliProcess.run("events", "list", "--json", "--since", "1h",
                "--server", NATS.url());

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdoutLines()).hasSize(3);
        assertThat(first.stdoutLines().get(0)).startsWith("{\"type\":\"tool.installed\"");
        assertThat(recent.stdoutLines()).as(recent.toString()).hasSize(11);
    }

    @Test
    void measuresHowLongListTakes() throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CliProcess.Result run = CliProcess.run("events", "list", "--server", NATS.url());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            millis.add(run.elapsed().toMillis());
        }
        System.out.println("events list end to end (JVM start included) against nats-server "
                + NATS.server().version() + ", 3 runs: " + millis + " ms");
    }

    /** The stderr lines for {@code samples} stored in that order from sequence 1 (of the whole stream). */
    private static List<String> expectedProblems(List<ReferenceSample> samples) {
        return IntStream.range(0, SAMPLES.size())
                .filter(i -> samples.contains(SAMPLES.get(i)))
                .mapToObj(i -> problem(SAMPLES.get(i), i + 1))
                .filter(line -> line != null)
                .toList();
    }

    private static String problem(ReferenceSample sample, long sequence) {
        if (sample.malformed()) {
            return "undecodable message: sequence " + sequence + ", subject " + sample.subject() + ": "
                    + reason(sample);
        }
        return sample.name().equals("mesh-reconnect-notice-no-type")
                ? "sequence " + sequence + ": type inferred from subject" : null;
    }

    private static String reason(ReferenceSample sample) {
        try {
            CODEC.decode(sample.subject(), sample.payload());
            throw new AssertionError(sample.name() + " decodes");
        } catch (io.meshbridge.events.EventDecodeException e) {
            return e.reason().replace('\n', ' ');
        }
    }
}
