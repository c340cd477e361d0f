package io.meshbridge.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real worker process (SIGKILL) five times while it archives, restarts it with a redelivery of what
 * was not acknowledged plus some that was, and counts the archive with plain java.util.zip and Jackson.
 */
class ArchiveWriterKillIT {

    private static final int EVENTS = 4_000;
    private static final int BATCH = 50;

    @TempDir
    Path dir;

    @Test
    void everyEventIsArchivedExactlyOnceAcrossFiveKills() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long acked = 0;
        for (int kill = 0; kill < 5; kill++) {
            // lost acknowledgements: the consumer redelivers some already acknowledged messages too
            long start = Math.max(1, acked + 1 - random.nextInt(3 * BATCH));
            Process child = start(start);
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            // at most 5 x 9 of the 80 batches: every kill comes before the end
            int acksBeforeKill = 2 + random.nextInt(8);
            int acks = 0;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("acked ")) {
                    acked = Math.max(acked, Long.parseLong(line.substring(6)));
                    if (++acks == acksBeforeKill) {
                        break;
                    }
                }
            }
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("seed %d", seed).isTrue();
            assertThat(acks).as("seed %d: the child died on its own", seed).isEqualTo(acksBeforeKill);
        }
        Process last = start(Math.max(1, acked + 1 - BATCH));
        String output = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(output).isZero();
        assertThat(output).endsWith("done\n");

        assertThat(ArchiveTesting.files(dir, ".part")).isEmpty();
        Set<Long> unique = new HashSet<>();
        long lines = 0;
        for (Path file : ArchiveTesting.files(dir, ".jsonl.gz")) {
            for (byte[] line : ArchiveTesting.gzipLines(file)) { // fails on a partial line
                JsonNode node = ArchiveTesting.JSON.readTree(line);
                unique.add(node.get("seq").asLong());
                lines++;
            }
            JsonNode manifest = ArchiveTesting.JSON.readTree(
                    file.resolveSibling(file.getFileName() + ".manifest.json").toFile());
            String sha = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
            assertThat(manifest.get("sha256").asText()).as("seed %d: %s", seed, file).isEqualTo(sha);
        }
        assertThat(lines).as("seed %d", seed).isEqualTo(EVENTS);
        assertThat(unique).as("seed %d", seed).hasSize(EVENTS);
        assertThat(unique).allSatisfy(s -> assertThat(s).isBetween(1L, (long) EVENTS));
    }

    private Process start(long first) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ArchiveWriterChild.class.getName(), dir.toString(),
                Long.toString(first), Integer.toString(EVENTS), Integer.toString(BATCH));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
