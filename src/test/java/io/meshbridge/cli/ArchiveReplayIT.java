package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archive replay} run as the packaged jar: an archive of 1,500 events (more than the publish window)
 * written by the product's writer is replayed, and what the streams hold is read back with jnats.
 */
class ArchiveReplayIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final int COUNT = 1_500;
    private static final List<ArchiveRecord> EVENTS = TestArchives.events(COUNT);

    @TempDir
    static Path archive;

    @BeforeAll
    static void writeArchive() throws IOException {
        TestArchives.write(archive, "w1", EVENTS);
    }

    @Test
    void replayGoesToTheReplayStreamUnderThePrefixAndASecondReplayStoresNothing() throws Exception {
        CliProcess.Result first = CliProcess.run("archive", "replay", "--dir", archive.toString(),
                "--server", NATS.url());

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdoutLines()).as(first.toString()).containsExactly(
                "replayed 1,500 events into MESH_REPLAY (subject prefix replay): 1,500 stored,"
                        + " 0 skipped as duplicates");
        assertThat(first.stderrLines()).as(first.toString()).containsExactly("created stream MESH_REPLAY on"
                + " replay.> (file storage, events kept 7 days, ids remembered 1 h)");
        assertStored("MESH_REPLAY", "replay.", EVENTS);

        CliProcess.Result second = CliProcess.run("archive", "replay", "--dir", archive.toString(),
                "--server", NATS.url());

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stdoutLines()).as(second.toString()).containsExactly(
                "replayed 1,500 events into MESH_REPLAY (subject prefix replay): 0 stored,"
                        + " 1,500 skipped as duplicates");
        assertThat(second.stderr()).as(second.toString()).isEmpty();
        StreamInfo info = jsm().getStreamInfo("MESH_REPLAY");
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(COUNT);
        assertThat(info.getStreamState().getLastSequence()).isEqualTo(COUNT);
    }

    @Test
    void intoEventsReproducesTheEventsInTheEventStream() throws Exception {
        jsm().addStream(StreamConfiguration.builder().name("MESH_EVENTS").subjects("events.>")
                .storageType(StorageType.File).build());

        CliProcess.Result run = CliProcess.run("archive", "replay", "--dir", archive.toString(), "--into-events",
                "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).as(run.toString()).containsExactly(
                "replayed 1,500 events into MESH_EVENTS (original subjects): 1,500 stored, 0 skipped as duplicates");
        assertThat(run.stderr()).as(run.toString()).isEmpty();
        assertStored("MESH_EVENTS", "", EVENTS);
    }

    @Test
    void sinceUntilAndFilterSelectExactlyTheirEvents() throws Exception {
        Instant since = TestArchives.T0.plusSeconds(100);
        Instant until = TestArchives.T0.plusSeconds(400);
        List<ArchiveRecord> expected = EVENTS.stream()
                .filter(e -> !e.time().isBefore(since) && e.time().isBefore(until))
                .filter(e -> e.subject().startsWith("events.tool."))
                .toList();
        assertThat(expected).hasSize(200);

        CliProcess.Result run = CliProcess.run("archive", "replay", "--dir", archive.toString(),
                "--since", since.toString(), "--until", until.toString(), "--filter", "tool.*",
                "--replay-stream", "SUBSET", "--prefix", "subset.run-1", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).as(run.toString()).containsExactly(
                "replayed 200 events into SUBSET (subject prefix subset.run-1): 200 stored, 0 skipped as duplicates");
        assertStored("SUBSET", "subset.run-1.", expected);
    }

    @Test
    void nothingMatchingIsSaidAndStoresNothing() throws Exception {
        CliProcess.Result run = CliProcess.run("archive", "replay", "--dir", archive.toString(),
                "--since", "2030-01-01T00:00:00Z", "--replay-stream", "EMPTY", "--prefix", "empty",
                "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).as(run.toString()).containsExactly(
                "replayed 0 events into EMPTY (subject prefix empty): 0 stored, 0 skipped as duplicates");
        assertThat(run.stderrLines()).as(run.toString()).endsWith("no archived event matches");
        assertThat(jsm().getStreamInfo("EMPTY").getStreamState().getMsgCount()).isZero();
    }

    /** The stream holds exactly {@code expected}, in order, under the prefix, verbatim, with their ids. */
    private static void assertStored(String stream, String prefix, List<ArchiveRecord> expected)
            throws IOException, JetStreamApiException, InterruptedException {
        JetStreamManagement jsm = jsm();
        StreamInfo info = jsm.getStreamInfo(stream);
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(expected.size());
        assertThat(info.getStreamState().getFirstSequence()).isEqualTo(1);
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            ArchiveRecord event = expected.get(i);
            MessageInfo stored = jsm.getMessage(stream, i + 1);
            subjects.add(stored.getSubject());
            assertThat(stored.getSubject()).as("seq %d", i + 1).isEqualTo(prefix + event.subject());
            assertThat(stored.getData()).as("seq %d", i + 1).isEqualTo(event.payload());
            assertThat(stored.getHeaders().get("Nats-Msg-Id")).as("seq %d", i + 1).containsExactly(event.id());
            assertThat(stored.getHeaders().get("Mesh-Replay")).as("seq %d", i + 1).containsExactly("true");
        }
        assertThat(subjects).hasSize(expected.size());
    }

    private static JetStreamManagement jsm() throws IOException, InterruptedException {
        return NATS.connect().jetStreamManagement();
    }
}
