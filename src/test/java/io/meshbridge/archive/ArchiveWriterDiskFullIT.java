package io.meshbridge.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, played by a file size limit ({@code ulimit -f}) on a real worker process: the failing append
 * cuts its files back to whole lines and throws, nothing of the failed batch counts as archived (nor as bytes
 * written: the writer's count is what its files hold after the cut), and a later run with room archives every
 * event exactly once.
 */
@EnabledOnOs(OS.LINUX)
class ArchiveWriterDiskFullIT {

    private static final int EVENTS = 1_000;

    @TempDir
    Path dir;

    @Test
    void aFailedAppendLeavesWholeLinesAndTheRetryLaterArchivesEachEventOnce() throws Exception {
        // bash counts in KiB: a file stops growing at 40 KiB, about 160 lines
        String limited = run("ulimit -f 40; exec " + javaCommand());
        assertThat(limited).contains("failed ").contains("failed again").contains("intact true");
        Matcher bytes = Pattern.compile("counted (\\d+) on disk (\\d+)").matcher(limited);
        assertThat(bytes.find()).as(limited).isTrue();
        assertThat(Long.parseLong(bytes.group(1))).isPositive().isEqualTo(Long.parseLong(bytes.group(2)));

        String full = run("exec " + javaCommand());
        assertThat(full).endsWith("done\n");
        Set<Long> unique = new HashSet<>();
        long lines = 0;
        for (Path file : ArchiveTesting.files(dir, ".jsonl")) {
            for (byte[] line : ArchiveTesting.lines(Files.readAllBytes(file))) {
                unique.add(ArchiveTesting.JSON.readTree(line).get("seq").asLong());
                lines++;
            }
        }
        assertThat(lines).isEqualTo(EVENTS);
        assertThat(unique).hasSize(EVENTS);
        assertThat(ArchiveVerifier.verify(dir).ok()).isTrue();
    }

    private String javaCommand() {
        return String.join(" ", List.of(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "-cp", quote(System.getProperty("java.class.path")), ArchiveDiskFullChild.class.getName(),
                quote(dir.toString()), Integer.toString(EVENTS)));
    }

    private static String run(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
