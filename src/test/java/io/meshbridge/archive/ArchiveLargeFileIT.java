package io.meshbridge.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading an archive file holds one batch at a time, not the file: a process with a 32 MiB heap verifies a
 * plain archive file of about 96 MiB.
 */
class ArchiveLargeFileIT {

    private static final int BATCHES = 48;
    private static final int BATCH = 1000;
    private static final String FILLER = "x".repeat(2000);

    @TempDir
    Path dir;

    @Test
    void aFileLargerThanTheHeapIsVerifiedInBatches() throws Exception {
        ArchiveConfig config = ArchiveTesting.config(dir).compression(Compression.NONE)
                .rollBytes(ArchiveConfig.MAX_ROLL_BYTES).build();
        try (ArchiveWriter writer = ArchiveWriter.open(config)) {
            for (int b = 0; b < BATCHES; b++) {
                List<ArchiveRecord> batch = new ArrayList<>(BATCH);
                for (long seq = (long) b * BATCH + 1; seq <= (long) (b + 1) * BATCH; seq++) {
                    byte[] payload = ("{\"type\":\"a\",\"node\":\"n\",\"timestamp\":\"2026-11-29T10:45:28Z\","
                            + "\"data\":{\"filler\":\"" + FILLER + "\"}}").getBytes(StandardCharsets.UTF_8);
                    batch.add(new ArchiveRecord("events", ArchiveTesting.CREATED, seq, "events.a",
                            ArchiveTesting.T0, "id-" + seq, payload));
                }
                writer.append(batch);
            }
        }
        Path file = ArchiveTesting.files(dir, ".jsonl").get(0);
        assertThat(Files.size(file)).isGreaterThan(90L * 1024 * 1024);

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-cp", System.getProperty("java.class.path"), ArchiveVerifyChild.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("1 files, 0 part files, " + BATCHES * BATCH
                + " events, 0 problems, 0 duplicates, 0 gaps\n");
    }
}
