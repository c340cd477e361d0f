package io.meshbridge.archive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker process for {@link ArchiveWriterKillIT} and {@link ArchiveDurabilityIT}: archives sequences
 * {@code first..last} in batches and prints {@code acked <seq>} after each {@code append} returned, as a
 * consumer would acknowledge; then closes the writer (what SIGTERM does) and prints {@code done}. Arguments:
 * directory, first, last, batch size.
 */
public final class ArchiveWriterChild {

    private ArchiveWriterChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        long last = Long.parseLong(args[2]);
        int batchSize = Integer.parseInt(args[3]);
        String[] subjects = {"events.tool.started", "events.tool.crashed", "events.user.x"};
        ArchiveConfig config = ArchiveConfig.builder(dir).workerId("kill").rollBytes(48 * 1024)
                .rollAge(Duration.ofHours(1)).maxOpenFiles(4).build();
        ArchiveWriter writer = ArchiveWriter.open(config);
        System.out.println("ready");
        System.out.flush();
        for (long seq = first; seq <= last; seq += batchSize) {
            List<ArchiveRecord> batch = new ArrayList<>(batchSize);
            for (long s = seq; s <= Math.min(last, seq + batchSize - 1); s++) {
                batch.add(ArchiveTesting.record(s, subjects[(int) (s % subjects.length)], ArchiveTesting.T0
                        .plusMillis(s * 50)));
            }
            writer.append(batch);
            System.out.println("acked " + batch.get(batch.size() - 1).sequence());
            System.out.flush();
        }
        writer.close();
        System.out.println("done");
        System.out.flush();
    }
}
