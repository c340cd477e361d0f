package io.meshbridge.bench;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** What a drain wrote: its JSON Lines files (plain, gzip or zstd, finished or {@code .part}), and deleting them. */
final class OutputFiles {

    /**
     * The content of the data files below a directory.
     *
     * @param files      data files
     * @param lines      line breaks in their decompressed content
     * @param plainBytes decompressed bytes
     * @param diskBytes  bytes on disk
     */
    record Content(int files, long lines, long plainBytes, long diskBytes) {
    }

    private OutputFiles() {
    }

    /** Reads every {@code .jsonl}, {@code .jsonl.gz} and {@code .jsonl.zst} file (also as {@code .part}) below {@code dir}. */
    static Content read(Path dir) throws IOException {
        int files = 0;
        long lines = 0;
        long plain = 0;
        long disk = 0;
        byte[] buffer = new byte[64 * 1024];
        for (Path file : dataFiles(dir)) {
            files++;
            disk += Files.size(file);
            try (InputStream in = open(file)) {
                for (int got = in.read(buffer); got >= 0; got = in.read(buffer)) {
                    plain += got;
                    for (int i = 0; i < got; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
        }
        return new Content(files, lines, plain, disk);
    }

    private static List<Path> dataFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> {
                String name = base(p);
                return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".jsonl.zst");
            }).sorted().toList();
        }
    }

    private static String base(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".part") ? name.substring(0, name.length() - ".part".length()) : name;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        String name = base(file);
        return name.endsWith(".gz") ? new GZIPInputStream(in, 64 * 1024)
                : name.endsWith(".zst") ? new ZstdInputStream(in) : in;
    }

    /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
