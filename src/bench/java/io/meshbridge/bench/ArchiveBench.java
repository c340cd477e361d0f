package io.meshbridge.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The archive of the worker, measured from outside: first the cost of one fsync on this disk, then for each
 * compression of {@code bench.archive.compressions} ({@code none,gzip,zstd}) the worker jar running the
 * {@code mesh-archive} template (that compression, the template's defaults otherwise, a fresh directory each
 * round) against the raw program ({@link RawDrain}) appending every message's bytes plus {@code \n} to one
 * file through the same compression (one gzip member / zstd frame per batch), one
 * {@code FileChannel.force(false)} per batch before it acknowledges. A warm-up round of each side, then
 * {@code bench.rounds} (5) alternating rounds; each round a new durable. After each round the files are read
 * back: each side must have written exactly {@code n} lines.
 *
 * <p>{@code -Dbench.archive.layout} replaces the template's default layout: a diagnostic, not the product's
 * defaults, and the output says so.
 *
 * <p>Sizes and directories: see {@link WorkerDrains}; the raw way: {@link RawWay#fromSystemProperties()}.
 */
public final class ArchiveBench {

    /** {@code -Dbench.archive.layout}: another layout than the template's default (a diagnostic). */
    private static final String LAYOUT = System.getProperty("bench.archive.layout", "");
    /** {@code -Dbench.archive.params}: more parameters of the template, as {@code name=value,...}. */
    private static final String PARAMS = System.getProperty("bench.archive.params", "");

    private ArchiveBench() {
    }

    public static void main(String[] args) throws Exception {
        WorkerDrains.session("archive: worker mesh-archive template against raw jnats with the same compression",
                ArchiveBench::run);
    }

    /** A YAML route file with one {@code mesh-archive} route {@code id} into {@code dir}, {@code compression}. */
    static String archiveRoute(String id, Path dir, String compression) {
        return (LAYOUT.isEmpty() ? "" : "# NOT the default layout\n") + """
                - templatedRoute:
                    routeTemplateRef: mesh-archive
                    routeId: %s
                    parameters:
                      - name: directory
                        value: "%s"
                      - name: compression
                        value: "%s"
                """.formatted(id, dir, compression) + (LAYOUT.isEmpty() ? "" : """
                      - name: layout
                        value: "%s"
                """.formatted(LAYOUT)) + templateParams();
    }

    /** {@code -Dbench.archive.params=name=value,...}: more template parameters (a diagnostic, not the defaults). */
    private static String templateParams() {
        StringBuilder out = new StringBuilder();
        for (String pair : PARAMS.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.append("      - name: ").append(pair, 0, eq).append("\n        value: \"")
                        .append(pair.substring(eq + 1)).append("\"\n");
            }
        }
        return out.toString();
    }

    private static void run(WorkerDrains drains, Table table) throws Exception {
        Stats fsync = fsyncMicros(Files.createTempDirectory(drains.root(), "fsync-"), 200);
        System.out.printf(Locale.ROOT, "fsync of a 4 KiB append: median %.0f µs (%.0f–%.0f) over 200%n", fsync.median(),
                fsync.min(), fsync.max());
        table.note(String.format(Locale.ROOT, "fsync (4 KiB append + force) on this disk: median %.0f µs, %.0f–%.0f",
                fsync.median(), fsync.min(), fsync.max()));
        RawWay way = RawWay.fromSystemProperties();
        System.out.printf(Locale.ROOT, "product: worker jar, mesh-archive template (its defaults%s) with the"
                + " compression named%nraw:     %s; bytes + \\n of each message to one file, one unit of the"
                + " compression and one force(false) per batch, then ack() each%n",
                (LAYOUT.isEmpty() ? "" : "; NOT its default layout: " + LAYOUT)
                        + (PARAMS.isEmpty() ? "" : "; NOT its defaults: " + PARAMS), way);
        int n = drains.n();
        for (String compression : System.getProperty("bench.archive.compressions", "none,gzip,zstd").split(",")) {
            System.out.printf(Locale.ROOT, "%n%s%n", compression);
            if (WorkerDrains.compareJar().isPresent()) {
                compareJars(drains, table, compression, way, WorkerDrains.compareJar().get());
                continue;
            }
            int[] round = {0};
            List<OutputFiles.Content> product = new ArrayList<>();
            List<OutputFiles.Content> raw = new ArrayList<>();
            Rounds.Result<AckFloorMeter.Drain> r = Rounds.alternate(compression, Rounds.count(), () -> {
                String id = "bench_archive_" + compression + "_" + ++round[0];
                Path dir = drains.dir(id).resolve("archive");
                return drains.product(id, archiveRoute(id, dir, compression), d -> lines(d.resolve("archive"), n, product));
            }, () -> {
                String id = "bench_raw_" + compression + "_" + round[0];
                Path file = drains.dir(id).resolve("events.jsonl" + extension(compression));
                return drains.raw(id, way.args(compression, file), d -> lines(d, n, raw));
            });
            ConsumerBench.rows(table, "archive, `" + compression + "`", r.product(), r.baseline(), 0.75);
            table.note(String.format(Locale.ROOT, "%s: product %s; raw %s", compression, perEvent(product.get(0), n),
                    perEvent(raw.get(0), n)));
        }
    }

    /**
     * {@code -Dbench.jar.compare}: product A (the jar under test), product B (the other jar) and raw in turn each
     * round, B first on odd rounds; rows of A and B against raw and of B against A.
     */
    private static void compareJars(WorkerDrains drains, Table table, String compression, RawWay way, Path other)
            throws Exception {
        System.out.printf(Locale.ROOT, "product B: %s%n", other);
        Rounds.Compared<AckFloorMeter.Drain> sides = Rounds.compare(Rounds.count(),
                round -> jarDrain(drains, compression, "a" + round, null),
                round -> jarDrain(drains, compression, "b" + round, other),
                round -> {
                    String id = "bench_raw_" + compression + "_" + round;
                    Path file = drains.dir(id).resolve("events.jsonl" + extension(compression));
                    return drains.raw(id, way.args(compression, file), d -> lines(d, drains.n(), new ArrayList<>()));
                });
        ConsumerBench.rows(table, "A: archive, `" + compression + "`", sides.a(), sides.baseline(), 0.75);
        ConsumerBench.rows(table, "B: archive, `" + compression + "`", sides.b(), sides.baseline(), 0.75);
        ConsumerBench.rows(table, "B against A, `" + compression + "`", sides.b(), sides.a(), 0);
    }

    private static AckFloorMeter.Drain jarDrain(WorkerDrains drains, String compression, String side, Path jar)
            throws Exception {
        String id = "bench_archive_" + compression + "_" + side;
        Path dir = drains.dir(id).resolve("archive");
        WorkerDrains.OutputCheck check = d -> lines(d.resolve("archive"), drains.n(), new ArrayList<>());
        return jar == null ? drains.product(id, archiveRoute(id, dir, compression), check)
                : drains.product(id, archiveRoute(id, dir, compression), check, jar);
    }

    private static String extension(String compression) {
        return switch (compression) {
            case "gzip" -> ".gz";
            case "zstd" -> ".zst";
            default -> "";
        };
    }

    /** Reads the files below {@code dir} into {@code into}; a problem unless they hold exactly {@code n} lines. */
    private static String lines(Path dir, int n, List<OutputFiles.Content> into) throws IOException {
        OutputFiles.Content content = OutputFiles.read(dir);
        into.add(content);
        return content.lines() == n ? null
                : String.format(Locale.ROOT, "%,d lines in %d files for %,d events", content.lines(), content.files(), n);
    }

    private static String perEvent(OutputFiles.Content c, int n) {
        return String.format(Locale.ROOT, "%d files, %.0f bytes of lines and %.0f bytes on disk per event", c.files(),
                (double) c.plainBytes() / n, (double) c.diskBytes() / n);
    }

    /** Microseconds per append-and-fsync of 4 KiB to one file in {@code dir}, which is deleted afterwards. */
    static Stats fsyncMicros(Path dir, int times) throws IOException {
        Path file = dir.resolve("fsync-probe");
        List<Double> micros = new ArrayList<>();
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < times; i++) {
                block.clear();
                long start = System.nanoTime();
                ch.write(block);
                ch.force(false);
                micros.add((System.nanoTime() - start) / 1e3);
            }
        }
        OutputFiles.delete(dir);
        return Stats.of(micros);
    }
}
