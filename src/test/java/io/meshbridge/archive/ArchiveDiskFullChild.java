package io.meshbridge.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A worker process for {@link ArchiveWriterDiskFullIT}, run under a file size limit: archives sequences
 * {@code 1..last} in batches of 25 (plain JSON Lines), printing {@code acked <seq>} after each append; on the
 * first I/O error it prints {@code failed <seq>}, retries the batch once, prints whether every part file still
 * ends with a complete line ({@code intact true}) and the bytes the writer counted next to those of its data files
 * ({@code counted <n> on disk <m>}), and exits without closing the writer. Without a limit it
 * archives everything, closes and prints {@code done}. Arguments: directory, last sequence.
 */
public final class ArchiveDiskFullChild {

    private ArchiveDiskFullChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long last = Long.parseLong(args[1]);
        ArchiveWriter writer = ArchiveWriter.open(ArchiveConfig.builder(dir).workerId("full")
                .compression(Compression.NONE).rollBytes(1024 * 1024).build());
        for (long seq = 1; seq <= last; seq += 25) {
            List<ArchiveRecord> batch = new ArrayList<>();
            for (long s = seq; s <= Math.min(last, seq + 24); s++) {
                batch.add(ArchiveTesting.record(s, s % 2 == 0 ? "events.a" : "events.b",
                        ArchiveTesting.T0.plusMillis(s)));
            }
            try {
                writer.append(batch);
            } catch (IOException e) {
                System.out.println("failed " + seq);
                try {
                    writer.append(batch);
                    System.out.println("retry succeeded");
                } catch (IOException again) {
                    System.out.println("failed again");
                }
                System.out.println("intact " + partFilesIntact(dir));
                System.out.println("counted " + writer.stats().writtenBytes() + " on disk "
                        + ArchiveTesting.dataBytes(dir));
                System.out.flush();
                System.exit(3);
            }
            System.out.println("acked " + batch.get(batch.size() - 1).sequence());
        }
        writer.close();
        System.out.println("done");
    }

    private static boolean partFilesIntact(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".part")).toList()) {
                byte[] bytes = Files.readAllBytes(p);
                if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                    return false;
                }
            }
        }
        return true;
    }
}
