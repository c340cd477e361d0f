package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archive verify} run as the packaged jar on archives written by the product's writer, with no NATS
 * server to ask about dead letters (nothing listens at the {@code --server} given): it checks the archive
 * all the same and says that the dead letters were not checked. With a server: {@link ArchiveVerifyDeadLettersIT}.
 */
class ArchiveVerifyIT {

    @TempDir
    Path dir;

    /** A URL where nothing listens: a port that was free a moment ago. */
    private static String nowhere() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "nats://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private CliProcess.Result verify() throws Exception {
        return CliProcess.run("archive", "verify", "--dir", dir.toString(), "--server", nowhere());
    }

    private static String notChecked(CliProcess.Result run) {
        List<String> lines = run.stdoutLines();
        String note = lines.get(lines.size() - 1);
        assertThat(note).as(run.toString()).startsWith("note: dead letters not checked (cannot connect to NATS at ")
                .endsWith("): the gaps may include events the route dead-lettered");
        return note;
    }

    @Test
    void aGoodArchiveIsOkWithItsCounts() throws Exception {
        TestArchives.write(dir, "w1", TestArchives.events(300));
        int files = TestArchives.dataFiles(dir).size();
        assertThat(files).isEqualTo(6); // 3 types x 2 hours

        CliProcess.Result run = verify();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).as(run.toString())
                .containsExactly("6 files, 0 part files, 300 events, 0 problems, 0 duplicates, 0 gaps", notChecked(run));
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void aCorruptedFileFailsTheCheckAndIsNamed() throws Exception {
        TestArchives.write(dir, "w1", TestArchives.events(300));
        Path file = TestArchives.dataFiles(dir).get(2);
        byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 8; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        Files.write(file, bytes);

        CliProcess.Result run = verify();

        // the file is one batch (one gzip member): none of its 40 events can be read, so they are gaps too
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        List<String> lines = run.stdoutLines();
        assertThat(lines.get(0)).as(run.toString())
                .isEqualTo("6 files, 0 part files, 260 events, 3 problems, 0 duplicates, 40 gaps");
        List<String> problems = lines.stream().filter(l -> l.startsWith("problem: ")).toList();
        assertThat(problems).as(run.toString()).hasSize(3)
                .allSatisfy(l -> assertThat(l).startsWith("problem: " + file + ": "))
                .anySatisfy(l -> assertThat(l).startsWith("problem: " + file + ": SHA-256 "))
                .contains("problem: " + file + ": no readable event, the manifest says 40");
        assertThat(lines.stream().filter(l -> l.startsWith("gap: ")).count()).isEqualTo(40);
        notChecked(run);
        assertThat(lines).hasSize(1 + 3 + 40 + 1);
    }

    @Test
    void anEventArchivedTwiceFailsTheCheckAndIsListed() throws Exception {
        TestArchives.write(dir, "w1", TestArchives.events(100));
        TestArchives.write(dir, "w2", List.of(TestArchives.event(42)));

        CliProcess.Result run = verify();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stdoutLines()).as(run.toString()).containsExactly(
                "4 files, 0 part files, 101 events, 0 problems, 1 duplicates, 0 gaps",
                "duplicate: MESH_EVENTS created 2026-11-01T00:00:00Z seq 42", notChecked(run));
    }

    @Test
    void gapsAreListedButDoNotFailTheCheck() throws Exception {
        List<io.meshbridge.archive.ArchiveRecord> events = TestArchives.events(30);
        TestArchives.write(dir, "w1", events.stream().filter(e -> e.sequence() < 11 || e.sequence() > 19).toList());

        CliProcess.Result run = verify();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).as(run.toString()).containsExactly(
                "3 files, 0 part files, 21 events, 0 problems, 0 duplicates, 1 gaps",
                "gap: MESH_EVENTS created 2026-11-01T00:00:00Z seq 11..19", notChecked(run));
    }
}
