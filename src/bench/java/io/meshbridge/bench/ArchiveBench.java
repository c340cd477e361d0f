package io.meshbridge.bench;

import io.meshbridge.archive.camel.ArchiveComponent;
import io.meshbridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The archive: first the cost of one fsync on this machine, then the {@code mesh:} → {@code archive:} route
 * against a raw jnats pull consumer that writes the same lines to the same partitions (one file per UTC hour
 * and event type), with the same compression (one gzip member per file per batch) and the same fsync policy
 * (each touched file fsynced before the batch is acknowledged), with the same batch size and max ack
 * pending. A round ends when the durable's ack floor reaches the last sequence; each round uses a new durable
 * and a new directory. Alternating rounds after a warm-up; medians with min–max; MB/s counts the (uncompressed)
 * bytes of the lines written.
 *
 * <p>Run: {@code NATS_SERVER_BIN=... mvn -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.meshbridge.bench.ArchiveBench}; sizes with
 * {@code -Dbench.rounds=5 -Dbench.archive.n=100000}; the files go below {@code -Dbench.archive.dir} (default
 * the temporary directory, which must be on the disk being measured).
 */
public final class ArchiveBench {

    static final String STREAM = "MESH_EVENTS";
    static final int BATCH = 500;
    static final int MAX_ACK_PENDING = 2_000;
    private static final Duration ROUND_LIMIT = Duration.ofMinutes(5);

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final Path root;
    private final int n;
    private final AtomicInteger rounds = new AtomicInteger();
    private long productBytes;
    private long baselineBytes;

    private ArchiveBench(Connection connection, Path root, int n) throws IOException {
        this.connection = connection;
        this.jsm = connection.jetStreamManagement();
        this.root = root;
        this.n = n;
    }

    public static void main(String[] args) throws Exception {
        CoreBench.quietLogging();
        int roundCount = Integer.getInteger("bench.rounds", 5);
        int n = Integer.getInteger("bench.archive.n", 100_000);
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.archive.dir",
                System.getProperty("java.io.tmpdir"))), "archive-bench-");
        Table table = new Table();
        try (NatsServer server = NatsServer.startDefault(); Connection connection = server.connect()) {
            CoreBench.printEnvironment(server);
            System.out.println("archive directory: " + root);
            Stats fsync = fsyncMicros(root, 200);
            System.out.printf(Locale.ROOT, "fsync of a 4 KiB append: median %.0f µs (min %.0f, max %.0f) over 200%n",
                    fsync.median(), fsync.min(), fsync.max());
            table.note(String.format(Locale.ROOT, "fsync (4 KiB append + force): median %.0f µs, %.0f–%.0f",
                    fsync.median(), fsync.min(), fsync.max()));
            ArchiveBench bench = new ArchiveBench(connection, root, n);
            bench.fill();
            System.out.printf(Locale.ROOT, "%nmesh: → archive: gzip, %,d stored events per round, batch %d, max ack"
                    + " pending %d, fsync before ack (events/s)%n", n, BATCH, MAX_ACK_PENDING);
            Rounds.Result<Double> r = Rounds.alternate("archive", roundCount, bench::product, bench::baseline);
            table.rate("mesh: → archive: gzip (events/s)", Stats.of(r.product()), Stats.of(r.baseline()), 0.70);
            table.rate("mesh: → archive: gzip (MB/s of lines)", Stats.of(scale(r.product(), bench.productBytes, n)),
                    Stats.of(scale(r.baseline(), bench.baselineBytes, n)), 0.70, Stats.Unit.MEGABYTES);
        } finally {
            delete(root);
        }
        System.out.println();
        System.out.println("load average at end: " + CoreBench.loadAverage());
        table.print();
    }

    /** MB/s from events/s and the bytes one round wrote. */
    private static List<Double> scale(List<Double> rates, long bytesPerRound, int n) {
        return rates.stream().map(rate -> rate * bytesPerRound / n / 1e6).toList();
    }

    /** Microseconds per append-and-fsync of 4 KiB to one file. */
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
        Files.delete(file);
        return Stats.of(micros);
    }

    private void fill() throws Exception {
        ConsumerBench.fill(connection, STREAM, n);
    }

    double product() throws Exception {
        int round = rounds.incrementAndGet();
        String durable = "bench_archive_" + round;
        Path dir = root.resolve("product-" + round);
        CamelContext ctx = ConsumerBench.meshContext(connection, STREAM);
        ctx.addComponent("archive", new ArchiveComponent());
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("mesh:events.>?durable=" + durable + "&batchSize=" + BATCH + "&maxAckPending="
                        + MAX_ACK_PENDING).routeId(durable)
                        .to("archive:" + dir + "?workerId=bench&gapEvents=false");
            }
        });
        long start = System.nanoTime();
        ctx.start();
        try {
            awaitAllAcked(durable);
            double rate = rate(start);
            ctx.stop();
            productBytes = bytes(dir);
            return rate;
        } finally {
            ctx.stop();
            jsm.deleteConsumer(STREAM, durable);
            delete(dir);
        }
    }

    double baseline() throws Exception {
        int round = rounds.incrementAndGet();
        String durable = "bench_raw_" + round;
        Path dir = root.resolve("raw-" + round);
        long start = System.nanoTime();
        try (RawArchiver raw = new RawArchiver(connection, STREAM, durable, dir, BATCH, MAX_ACK_PENDING)) {
            raw.run(n, ROUND_LIMIT);
            awaitAllAcked(durable);
            double rate = rate(start);
            raw.close();
            baselineBytes = bytes(dir);
            return rate;
        } finally {
            jsm.deleteConsumer(STREAM, durable);
            delete(dir);
        }
    }

    private void awaitAllAcked(String durable) throws Exception {
        long deadline = System.nanoTime() + ROUND_LIMIT.toNanos();
        while (true) {
            try {
                if (jsm.getConsumerInfo(STREAM, durable).getAckFloor().getStreamSequence() >= n) {
                    return;
                }
            } catch (io.nats.client.JetStreamApiException e) {
                // the route has not created its durable yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(durable + ": not all acknowledged after " + ROUND_LIMIT);
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private double rate(long startNanos) {
        return n / ((System.nanoTime() - startNanos) / 1e9);
    }

    /** The uncompressed bytes of the lines in the gzip files below {@code dir}. */
    private static long bytes(Path dir) throws IOException {
        long total = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> f.getFileName().toString().endsWith(".jsonl.gz")).toList()) {
                try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
                    total += in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
        }
        return total;
    }

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
