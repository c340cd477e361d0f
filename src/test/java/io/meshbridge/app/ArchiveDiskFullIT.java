package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the running worker, played by a file size limit set on the process ({@code prlimit
 * --fsize}): the archive stops acknowledging, logs and retries, dead-letters nothing; once the limit is
 * lifted every event is archived exactly once.
 */
@EnabledOnOs(OS.LINUX)
class ArchiveDiskFullIT {

    private static final String STREAM = "MESH_EVENTS";
    private static final int EVENTS = 10_000;
    private static final Duration DONE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** JetStream's API error code for "stream not found". */
    private static final int STREAM_NOT_FOUND = 10059;

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    @Test
    void aFullDiskIsRetriedUntilThereIsRoomAndNothingIsDeadLettered() throws Exception {
        Connection nc = NATS.connect();
        Path archive = dir.resolve("archive");
        WorkDir.create(dir, NATS.url(), WorkDir.archiveRoute("full", archive, Map.of("compression", "none")),
                Map.of());
        WorkerProcess worker = workers.startWorker("full", dir);
        long pid = worker.process().pid();
        // no file of the worker may grow beyond 1 MiB: about 3,000 archive lines of the 10,000
        prlimit(pid, "1048576");
        List<String> acked = PlainNats.publish(nc, "load.full", EVENTS);
        assertThat(acked).hasSize(EVENTS);

        worker.awaitOutput("Cannot write", DONE);
        assertThat(PlainNats.consumer(nc, STREAM, "full").getNumAckPending()).as("events held back").isPositive();
        assertThat(deadLetters(nc)).as("dead-lettered while the disk is full").isZero();

        prlimit(pid, "unlimited");
        await().atMost(DONE).pollInterval(Duration.ofMillis(200)).failFast("worker exited", worker::exited)
                .until(() -> PlainNats.drained(nc, STREAM, "full"));
        assertThat(worker.output()).contains("Archive writes work again");
        worker.terminate();
        worker.awaitExit(Duration.ofSeconds(60));

        List<String> ids = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(archive)) {
            for (Path file : walk.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                assertThat(text).as("whole lines in " + file).endsWith("\n");
                for (String line : text.split("\n")) {
                    ids.add(JSON.readTree(line).get("id").asText());
                }
            }
        }
        assertThat(ids).as("archived lines: each event once").hasSize(EVENTS);
        assertThat(new HashSet<>(ids)).isEqualTo(new HashSet<>(acked));
        assertThat(deadLetters(nc)).as("dead-lettered").isZero();
    }

    /** Sets the soft limit of the file size of process {@code pid}. */
    private static void prlimit(long pid, String bytes) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--fsize=" + bytes + ":")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("prlimit: " + out).isZero();
    }

    /** Messages in the dead-letter stream; 0 when it does not exist (yet); any other failure is thrown. */
    private static long deadLetters(Connection nc) throws Exception {
        try {
            return nc.jetStreamManagement().getStreamInfo("MESH_DLQ").getStreamState().getMsgCount();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return 0;
            }
            throw e;
        }
    }
}
