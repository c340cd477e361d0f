package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code mesh-archive} template in the worker process, killed with SIGKILL five times at random
 * moments while it archives 100,000 events. The archive is counted with plain gzip and Jackson against the
 * ids whose publish the stream acknowledged, never through the product's reader.
 */
class ArchiveKillIT {

    private static final String STREAM = "MESH_EVENTS";
    private static final int EVENTS = 100_000;
    private static final int KILLS = 5;
    private static final Duration DONE = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    @Test
    void fiveSigkillsWhileArchiving100000EventsLeaveEachExactlyOnce() throws Exception {
        Connection nc = NATS.connect();
        Path archive = dir.resolve("archive");
        WorkDir.create(dir, NATS.url(),
                WorkDir.archiveRoute("archive", archive, Map.of("rollSize", "512KB", "ackWait", "3s")), Map.of());
        // the stream exists before the first worker, so the events are there from the start
        List<String> acked = new ArrayList<>();
        long start = System.nanoTime();
        WorkerProcess first = workers.startWorker("archive-0", dir);
        System.out.printf("archive kill test: started at %.1f s%n", (System.nanoTime() - start) / 1e9);
        acked.addAll(PlainNats.publish(nc, "load.archived", EVENTS));
        assertThat(acked).hasSize(EVENTS);
        System.out.printf("archive kill test: published at %.1f s%n", (System.nanoTime() - start) / 1e9);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        long[] killAt = random.longs(KILLS, 1_000, EVENTS - 1_000).sorted().toArray();
        System.out.println("archive kill test: seed " + seed + ", SIGKILL at ack floors " + java.util.Arrays.toString(killAt));
        WorkerProcess current = first;
        long t0 = System.nanoTime();
        for (int k = 0; k < KILLS; k++) {
            long at = killAt[k];
            WorkerProcess w = current;
            await().atMost(DONE).pollInterval(Duration.ofMillis(5)).failFast("worker exited", w::exited)
                    .until(() -> PlainNats.consumer(nc, STREAM, "archive").getAckFloor().getStreamSequence() >= at);
            w.kill();
            System.out.printf("archive kill test: SIGKILL %d at %.1f s%n", k + 1, (System.nanoTime() - t0) / 1e9);
            current = workers.startWorker("archive-" + (k + 1), dir);
            System.out.printf("archive kill test: restarted at %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        WorkerProcess last = current;
        await().atMost(DONE).pollInterval(Duration.ofMillis(200)).failFast("worker exited", last::exited)
                .until(() -> PlainNats.drained(nc, STREAM, "archive")
                        && PlainNats.consumer(nc, STREAM, "archive").getDelivered().getStreamSequence() >= EVENTS);
        System.out.printf("archive kill test: drained at %.1f s%n", (System.nanoTime() - t0) / 1e9);
        last.terminate();
        last.awaitExit(Duration.ofSeconds(60));
        System.out.printf("archive kill test: stopped at %.1f s%n", (System.nanoTime() - start) / 1e9);

        List<Path> files = files(archive, ".jsonl.gz");
        assertThat(files(archive, ".part")).as("part files after a clean stop").isEmpty();
        List<String> ids = new ArrayList<>();
        for (Path file : files) {
            byte[] plain;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                plain = in.readAllBytes();
            }
            assertThat(plain[plain.length - 1]).as("last byte of " + file).isEqualTo((byte) '\n');
            String[] lines = new String(plain, java.nio.charset.StandardCharsets.UTF_8).split("\n");
            for (String line : lines) {
                ids.add(JSON.readTree(line).get("id").asText());
            }
            JsonNode manifest = JSON.readTree(file.resolveSibling(file.getFileName() + ".manifest.json").toFile());
            assertThat(manifest.get("sha256").asText()).as("checksum of " + file)
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(file))));
            assertThat(manifest.get("count").asLong()).as("count of " + file).isEqualTo(lines.length);
        }
        Set<String> unique = new HashSet<>(ids);
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(unique);
        System.out.println("archive kill test: " + files.size() + " files, " + ids.size() + " lines, "
                + unique.size() + " unique, " + missing.size() + " lost");
        assertThat(missing).as("lost").isEmpty();
        assertThat(ids).as("archived lines: each event exactly once").hasSize(EVENTS);
        assertThat(unique).as("only published ids").isEqualTo(new HashSet<>(acked));
    }

    private static List<Path> files(Path dir, String suffix) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
