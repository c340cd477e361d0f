package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.StreamRecords;
import io.meshbridge.events.Event;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.Timestamps;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code events list --archive DIR} run as the packaged jar: a stream that keeps 5 messages, 13 stored in it
 * and each archived as it was stored, so the stream holds events 8..12 and the archive everything. Message 3
 * is not an event. Before that stream, another one of 3 events was archived and deleted.
 */
class EventsListArchiveIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final EventCodec CODEC = EventCodec.defaults();
    private static final String STREAM = NATS.uniqueName("LISTED");
    private static final String GONE = NATS.uniqueName("GONE");
    private static final byte[] NOT_AN_EVENT = "{\"type\":\"Not A Type\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path archive;

    /** The record of event n at index n - 1 (the message that is not an event left out). */
    private static final List<ArchiveRecord> EVENTS = new ArrayList<>();

    @BeforeAll
    static void storeAndArchive() throws Exception {
        Connection nc = NATS.connect();
        List<ArchiveRecord> archived = new ArrayList<>();
        PersistentBus gone = PersistentBus.open(nc, "node-g", PersistConfig.defaults().withStreamName(GONE));
        for (int n = 101; n <= 103; n++) {
            archived.add(StreamRecords.emit(gone, event(n)));
        }
        nc.jetStreamManagement().deleteStream(GONE);

        PersistentBus bus = PersistentBus.open(nc, "node-a", PersistConfig.defaults().withStreamName(STREAM)
                .withLimits(Duration.ofHours(1), 5));
        for (int n = 1; n <= 12; n++) {
            EVENTS.add(StreamRecords.emit(bus, event(n)));
            archived.add(EVENTS.get(n - 1));
            if (n == 2) {
                archived.add(StreamRecords.publishRaw(nc, "events.user.count", NOT_AN_EVENT));
            }
        }
        StreamRecords.archive(archive, archived);
    }

    @Test
    void listsEveryEventOnceInOrderAndReportsTheArchivedMessageThatIsNotAnEvent() throws Exception {
        CliProcess.Result run = list("--json", "--archive", archive.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(numbers(run)).as(run.toString()).containsExactlyElementsOf(range(1, 12));
        assertThat(run.stderrLines()).as(run.toString()).containsExactly(notAnEventLine());
    }

    @Test
    void withoutTheArchiveOnlyTheStreamsEventsAreListed() throws Exception {
        CliProcess.Result run = list("--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(numbers(run)).as(run.toString()).containsExactlyElementsOf(range(8, 12));
        assertThat(run.stderrLines()).as(run.toString()).isEmpty();
    }

    @Test
    void limitTakesTheNewestAcrossTheBoundary() throws Exception {
        CliProcess.Result nine = list("--json", "--limit", "9", "--archive", archive.toString());
        CliProcess.Result eleven = list("--json", "--limit", "11", "--archive", archive.toString());

        assertThat(numbers(nine)).as(nine.toString()).containsExactlyElementsOf(range(4, 12));
        assertThat(nine.stderrLines()).as(nine.toString()).isEmpty();
        assertThat(numbers(eleven)).as(eleven.toString()).containsExactlyElementsOf(range(2, 12));
        assertThat(eleven.stderrLines()).as(eleven.toString()).containsExactly(notAnEventLine());
    }

    @Test
    void sinceStartsInTheArchiveAndGoesOnInTheStream() throws Exception {
        String third = Timestamps.format(EVENTS.get(2).time());
        CliProcess.Result run = list("--json", "--since", third, "--limit", "7", "--archive", archive.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(numbers(run)).as(run.toString()).containsExactlyElementsOf(range(3, 9));
        assertThat(run.stderrLines()).as(run.toString()).isEmpty();
    }

    @Test
    void plainLinesHaveTheReferenceFormatAndStrictCountsArchivedProblems() throws Exception {
        CliProcess.Result run = list("--utc", "--strict", "--archive", archive.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stdoutLines()).as(run.toString()).hasSize(12)
                .allSatisfy(line -> assertThat(line)
                        .matches("\\d\\d:\\d\\d:\\d\\d  user\\.(count|fizz)  node=node-a  \\{\"n\":\\d+}"));
        assertThat(run.stdoutLines().get(0)).endsWith("  user.count  node=node-a  {\"n\":1}");
    }

    @Test
    void aMissingStreamListsTheArchiveAloneAndSaysSo() throws Exception {
        CliProcess.Result run = CliProcess.run("events", "list", "--json", "--archive", archive.toString(),
                "--stream", GONE, "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(numbers(run)).as(run.toString()).containsExactly(101, 102, 103);
        assertThat(run.stderrLines()).as(run.toString())
                .containsExactly("stream " + GONE + " not found on " + NATS.url() + ": listing the archive only");
    }

    @Test
    void aMissingArchiveDirectoryListsTheStreamAloneAndSaysSo() throws Exception {
        Path missing = archive.resolve("missing");
        CliProcess.Result run = list("--json", "--archive", missing.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(numbers(run)).as(run.toString()).containsExactlyElementsOf(range(8, 12));
        assertThat(run.stderrLines()).as(run.toString())
                .containsExactly("no archive at " + missing + ": listing the stream only");
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void anArchiveThatIsAFileIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("archive.txt"), "not a directory");
        CliProcess.Result run = list("--json", "--archive", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderrLines().get(0)).startsWith("--archive " + file + " is not a directory");
    }

    private static CliProcess.Result list(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("events", "list", "--stream", STREAM, "--server", NATS.url()));
        args.addAll(List.of(options));
        return CliProcess.run(args.toArray(String[]::new));
    }

    private static Event event(int n) {
        return Event.user("node-a", n % 3 == 0 ? "fizz" : "count", Map.of("n", n));
    }

    /** The {@code n} of each event printed as JSON. */
    private static List<Integer> numbers(CliProcess.Result run) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (String line : run.stdoutLines()) {
            Event event = CODEC.decode("events.user.x", line.getBytes(StandardCharsets.UTF_8)).event();
            out.add((Integer) event.data().get("n"));
        }
        return out;
    }

    private static List<Integer> range(int first, int last) {
        return IntStream.rangeClosed(first, last).boxed().toList();
    }

    /** The stderr line of the archived message 3, exactly as the stream's history reports a stored one. */
    private static String notAnEventLine() {
        try {
            CODEC.decode("events.user.count", NOT_AN_EVENT);
            throw new AssertionError("the payload decodes");
        } catch (EventDecodeException e) {
            return "undecodable message: sequence 3, subject events.user.count: " + e.reason();
        }
    }
}
