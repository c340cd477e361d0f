package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archive replay} when the target cannot take the events. The server has a stream {@code TOOLS} on
 * {@code events.tool.>} and none for the other event subjects.
 */
class ArchiveReplayFailureIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @TempDir
    static Path archive;

    @BeforeAll
    static void writeArchiveAndStreams() throws Exception {
        TestArchives.write(archive, "w1", TestArchives.events(30));
        JetStreamManagement jsm = NATS.connect().jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("TOOLS").subjects("events.tool.>")
                .storageType(StorageType.File).build());
        jsm.addStream(StreamConfiguration.builder().name("OTHER").subjects("other.>")
                .storageType(StorageType.File).build());
    }

    @Test
    void aReplayStreamNameTakenByOtherSubjectsIsRefused() throws Exception {
        CliProcess.Result run = CliProcess.run("archive", "replay", "--dir", archive.toString(),
                "--replay-stream", "OTHER", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderrLines()).as(run.toString()).containsExactly("stream OTHER exists with subjects"
                + " [other.>] but must take [replay.>]; use another stream name or fix the stream's subjects"
                + " (see --replay-stream and --prefix)");
        assertThat(NATS.connect().jetStreamManagement().getStreamInfo("OTHER").getStreamState().getMsgCount())
                .isZero();
    }

    @Test
    void intoEventsNeedsTheEventStream() throws Exception {
        CliProcess.Result run = CliProcess.run("archive", "replay", "--dir", archive.toString(), "--into-events",
                "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderrLines()).as(run.toString()).containsExactly("stream MESH_EVENTS not found on "
                + NATS.url() + ": --into-events publishes into the existing event stream (see --stream)");
    }

    @Test
    void anEventAnotherStreamStoresIsRefusedWithoutRetrying() throws Exception {
        CliProcess.Result run = CliProcess.run("archive", "replay", "--dir", archive.toString(), "--into-events",
                "--stream", "OTHER", "--filter", "tool.>", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderrLines()).as(run.toString()).hasSize(1);
        assertThat(run.stderrLines().get(0)).as(run.toString()).matches("replay stopped after 0 of 20 events were"
                + " published into OTHER \\(0 stored, 0 skipped as duplicates\\): event evt-\\d+ \\(MESH_EVENTS"
                + " sequence \\d+\\) to events\\.tool\\.\\S+ not stored after 1 attempt: stream OTHER refused it: .*");
        assertThat(NATS.connect().jetStreamManagement().getStreamInfo("TOOLS").getStreamState().getMsgCount())
                .isZero();
    }

    @Test
    void anEventNoStreamTakesIsRetriedThenTheReplayFails() throws Exception {
        CliProcess.Result run = CliProcess.run("archive", "replay", "--dir", archive.toString(), "--into-events",
                "--stream", "OTHER", "--filter", "user.>", "--server", NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderrLines()).as(run.toString()).hasSize(1);
        assertThat(run.stderrLines().get(0)).as(run.toString()).matches("replay stopped after 0 of 10 events were"
                + " published into OTHER \\(0 stored, 0 skipped as duplicates\\): event evt-\\d+ \\(MESH_EVENTS"
                + " sequence \\d+\\) to events\\.user\\.training\\.complete not stored after 5 attempts: .*");
    }
}
