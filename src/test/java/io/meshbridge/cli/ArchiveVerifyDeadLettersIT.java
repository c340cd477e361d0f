package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.StreamRecords;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archive verify} run as the packaged jar against a real server: 10 events stored, 7 archived; the
 * archive route {@code archive-x} dead-lettered events 4 and 5, a webhook route event 8, which the archive
 * lost. Only event 8 is a gap, and only when the check asks for the archive's route.
 */
class ArchiveVerifyDeadLettersIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = NATS.uniqueName("VERIFIED");
    private static Instant created;

    @TempDir
    static Path archive;

    @BeforeAll
    static void storeArchiveAndDeadLetter() throws Exception {
        Connection nc = NATS.connect();
        PersistentBus bus = PersistentBus.open(nc, "node-a", PersistConfig.defaults().withStreamName(STREAM));
        List<ArchiveRecord> archived = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            ArchiveRecord r = StreamRecords.emit(bus, Event.user("node-a", "verified", Map.of("n", n)));
            if (!Set.of(4L, 5L, 8L).contains(r.sequence())) {
                archived.add(r);
            }
        }
        created = archived.get(0).streamCreated();
        StreamRecords.archive(archive, archived);
        // the dead-letter stream as the worker creates it, with dead letters as the mesh: consumer writes them
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("MESH_DLQ").subjects("mesh.dlq.>")
                .storageType(StorageType.File).build());
        deadLetter(nc, "archive-x", 4);
        deadLetter(nc, "archive-x", 5);
        deadLetter(nc, "webhook-y", 8);
    }

    private static void deadLetter(Connection nc, String route, long sequence) throws Exception {
        Headers headers = new Headers().put("Nats-Msg-Id", "dlq:" + route + ":" + STREAM + ":" + sequence)
                .put("Mesh-Route", route).put("Mesh-Error", "io.meshbridge.camel.MeshPermanentException: test")
                .put("Mesh-Original-Subject", "events.user.verified").put("Mesh-Original-Stream", STREAM)
                .put("Mesh-Original-Sequence", Long.toString(sequence)).put("Mesh-Deliveries", "1");
        nc.jetStream().publish(NatsMessage.builder().subject("mesh.dlq." + route).headers(headers)
                .data("{\"type\":\"user.verified\"}".getBytes(StandardCharsets.UTF_8)).build());
    }

    /** The archive's files: one, or two when the events were stored across an hour. */
    private static int files() throws Exception {
        return TestArchives.dataFiles(archive).size();
    }

    @Test
    void theArchiveRoutesDeadLettersAreReportedApartAndOnlyTheLostEventIsAGap() throws Exception {
        CliProcess.Result run = CliProcess.run("archive", "verify", "--dir", archive.toString(), "--server",
                NATS.url(), "--route", "archive-x");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).as(run.toString()).containsExactly(
                files() + " files, 0 part files, 7 events, 0 problems, 0 duplicates, 1 gaps, 2 dead-lettered",
                "gap: " + STREAM + " created " + created + " seq 8..8",
                "dead-lettered: " + STREAM + " created " + created + " seq 4..5 by route archive-x");
        assertThat(run.stderr()).as(run.toString()).isEmpty();
    }

    @Test
    void deadLettersOfOtherRoutesExplainNoGap() throws Exception {
        // the default route is the shipped archive's, archive-events: neither route here is it
        CliProcess.Result run = CliProcess.run("archive", "verify", "--dir", archive.toString(), "--server",
                NATS.url());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).as(run.toString()).containsExactly(
                files() + " files, 0 part files, 7 events, 0 problems, 0 duplicates, 2 gaps, 0 dead-lettered",
                "gap: " + STREAM + " created " + created + " seq 4..5",
                "gap: " + STREAM + " created " + created + " seq 8..8");

        CliProcess.Result both = CliProcess.run("archive", "verify", "--dir", archive.toString(), "--server",
                NATS.url(), "--route", "archive-x,webhook-y");
        assertThat(both.stdoutLines()).as(both.toString()).first()
                .isEqualTo(files() + " files, 0 part files, 7 events, 0 problems, 0 duplicates, 0 gaps, 3 dead-lettered");
    }
}
