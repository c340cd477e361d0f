package io.meshbridge.bench;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Measures a drain from outside: polls the durable's consumer info from the benchmark process while a child
 * JVM consumes {@code n} stored events (stream sequences 1..n), and times the ack floor from the first poll
 * at or above 10% of {@code n} to the first poll at {@code n}, so the child's start-up is not counted. The rate
 * is the events acknowledged between those two polls over the time between them; the child's CPU time over
 * the same span gives its CPU cost per event, which other work on the machine disturbs less than the rate.
 *
 * <p>While it waits it watches for stalls: when the ack floor stands still for {@link #STALL} it prints the
 * consumer's state and writes a thread dump of the child, once per stall. After the child has stopped,
 * {@link #settle} reads the final counts: a clean drain delivered exactly {@code n} messages (the consumer
 * sequence counts every delivery, redeliveries included), none redelivered and none pending acknowledgement.
 */
final class AckFloorMeter {

    static final Duration STALL = Duration.ofSeconds(5);
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();
    private static final int CONSUMER_NOT_FOUND = 10014;
    /** {@code -Dbench.threads=true}: print the child's CPU per thread between 10% and 100% (profiling aid). */
    private static final boolean THREADS = Boolean.getBoolean("bench.threads");
    /**
     * {@code -Dbench.phases=true}: print the rate, the child's CPU and its JIT compilers' CPU for each tenth of the
     * drain, so that the warm-up (while the compilers work) and the rate after it can be told apart.
     */
    private static final boolean PHASES = Boolean.getBoolean("bench.phases");

    /**
     * One measured drain.
     *
     * @param rate       events acknowledged per second between 10% and 100% of the ack floor
     * @param startup    seconds from the child's start to 10% acknowledged
     * @param drain      seconds from 10% to 100% acknowledged
     * @param cpuPerThousand CPU milliseconds the child used per 1,000 events between 10% and 100% (-1: unknown)
     * @param serverCpuPerThousand CPU milliseconds nats-server used per 1,000 events over the same span (-1: unknown)
     * @param delivered  deliveries counted by the server (consumer sequence) once the child stopped
     * @param redelivered messages the server counts as redelivered and not yet acknowledged, at the end
     * @param ackPending messages delivered and not acknowledged, at the end
     * @param stalls     what was seen at each stall, empty when the ack floor never stood still for 5 s
     */
    record Drain(double rate, double startup, double drain, double cpuPerThousand, double serverCpuPerThousand,
                 long delivered, long redelivered, long ackPending, List<String> stalls) {

        Drain {
            stalls = List.copyOf(stalls);
        }

        /** Whether the server delivered each of {@code n} messages exactly once and all were acknowledged. */
        boolean clean(long n) {
            return delivered == n && redelivered == 0 && ackPending == 0;
        }

        Drain settled(ConsumerInfo end) {
            return new Drain(rate, startup, drain, cpuPerThousand, serverCpuPerThousand,
                    end.getDelivered().getConsumerSequence(), end.getRedelivered(), end.getNumAckPending(), stalls);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f/s (start %.1f s, drain %.2f s, CPU %.1f ms/1000, server %.1f%s%s)",
                    rate, startup, drain, cpuPerThousand, serverCpuPerThousand,
                    delivered < 0 ? "" : String.format(Locale.ROOT, ", delivered %,d, redelivered %d, ack pending %d",
                            delivered, redelivered, ackPending),
                    stalls.isEmpty() ? "" : ", " + stalls.size() + " STALL(S)");
        }
    }

    private final JetStreamManagement jsm;
    private final String stream;
    private final long n;
    private final Duration limit;
    private final LongSupplier serverPid;

    /** {@code serverPid} gives the nats-server's process id (-1: unknown), whose CPU is read next to the child's. */
    AckFloorMeter(JetStreamManagement jsm, String stream, long n, Duration limit, LongSupplier serverPid) {
        this.jsm = jsm;
        this.stream = stream;
        this.n = n;
        this.limit = limit;
        this.serverPid = serverPid;
    }

    private static void printThreads(Map<Long, Long> before, Map<Long, Long> after, Map<Long, String> names,
                                     long events) {
        Map<String, Long> byName = new HashMap<>();
        after.forEach((tid, ms) -> byName.merge(names.getOrDefault(tid, "tid " + tid),
                ms - before.getOrDefault(tid, 0L), Long::sum));
        StringBuilder line = new StringBuilder("    CPU ms per 1,000 events by thread:");
        byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> line.append(String.format(Locale.ROOT, " %s %.2f;", e.getKey(),
                        e.getValue() * 1000.0 / events)));
        System.out.println(line);
    }

    /** Each span ends at the ack floor's percentage of {@code n} shown. */
    private void printPhases(List<long[]> phases) {
        StringBuilder line = new StringBuilder("    by tenth of the drain (rate; child CPU, compilers' CPU ms/1000):");
        for (int i = 1; i < phases.size(); i++) {
            long[] a = phases.get(i - 1);
            long[] b = phases.get(i);
            long events = Math.max(1, b[1] - a[1]);
            line.append(String.format(Locale.ROOT, " %d%%: %,.0f/s %.1f %.1f;", b[1] * 100 / n,
                    events * 1e9 / Math.max(1, b[0] - a[0]), perThousand(a[2], b[2], events),
                    perThousand(a[3], b[3], events)));
        }
        System.out.println(line);
    }

    private static double perThousand(long before, long after, long events) {
        return before < 0 || after < 0 ? -1 : (after - before) * 1000.0 / events;
    }

    /** Waits until {@code durable}'s ack floor reaches {@code n}; dumps {@code child}'s threads into {@code dir} at a stall. */
    Drain measure(String durable, ChildJvm child, Path dir) throws Exception {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        long t10 = -1;
        long f10 = 0;
        long cpu10 = -1;
        long server10 = -1;
        Map<Long, Long> threads10 = Map.of();
        Map<Long, String> names10 = Map.of();
        long lastFloor = -1;
        long lastMove = started;
        boolean stallSeen = false;
        List<String> stalls = new ArrayList<>();
        List<long[]> phases = new ArrayList<>(); // {time, floor, child CPU, compiler CPU} at each tenth
        int nextTenth = 1;
        while (true) {
            ConsumerInfo info = info(durable);
            long now = System.nanoTime();
            if (info != null) {
                long floor = info.getAckFloor().getStreamSequence();
                if (t10 < 0 && floor >= n / 10) {
                    t10 = now;
                    f10 = floor;
                    cpu10 = child.cpuMillis();
                    server10 = ChildJvm.cpuMillis(serverPid.getAsLong());
                    threads10 = THREADS ? child.threadCpuMillis() : Map.of();
                    names10 = THREADS ? child.threadNames() : Map.of(); // the raw child is gone at the end
                }
                if (PHASES && floor >= n * nextTenth / 10) {
                    // one point per poll: tenths passed together (a slow poll) make one longer span, not empty ones
                    phases.add(new long[] {now, floor, child.cpuMillis(), child.compilerCpuMillis()});
                    nextTenth = (int) (floor * 10 / n) + 1;
                }
                if (floor >= n) {
                    if (PHASES) {
                        printPhases(phases);
                    }
                    double seconds = (now - t10) / 1e9;
                    long cpu = child.cpuMillis();
                    long serverCpu = ChildJvm.cpuMillis(serverPid.getAsLong());
                    if (THREADS) {
                        Map<Long, String> names = new HashMap<>(names10);
                        names.putAll(child.threadNames());
                        printThreads(threads10, child.threadCpuMillis(), names, n - f10);
                    }
                    return new Drain((n - f10) / seconds, (t10 - started) / 1e9, seconds,
                            perThousand(cpu10, cpu, n - f10), perThousand(server10, serverCpu, n - f10), -1, -1, -1,
                            stalls);
                }
                if (floor != lastFloor) {
                    lastFloor = floor;
                    lastMove = now;
                    stallSeen = false;
                } else if (!stallSeen && floor > 0 && now - lastMove > STALL.toNanos()) {
                    stallSeen = true;
                    stalls.add(reportStall(durable, info, child, dir, stalls.size() + 1));
                }
            }
            if (!child.alive()) {
                throw new IllegalStateException(child.name() + " exited before " + durable + " acknowledged " + n
                        + "; its log ends with:\n" + child.tail(30));
            }
            if (now > deadline) {
                throw new IllegalStateException(durable + ": ack floor " + lastFloor + " of " + n + " after " + limit);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The final counts of {@code durable}, read once its consumer has stopped. */
    Drain settle(String durable, Drain drain) throws IOException, JetStreamApiException {
        return drain.settled(jsm.getConsumerInfo(stream, durable));
    }

    private String reportStall(String durable, ConsumerInfo info, ChildJvm child, Path dir, int count)
            throws IOException, InterruptedException {
        Path dump = dir.resolve("stall-" + count + "-threads.txt");
        child.threadDump(dump);
        String what = String.format(Locale.ROOT, "ack floor %,d still for %d s: delivered %,d, ack pending %d,"
                        + " pending %d, redelivered %d, waiting pulls %d (threads: %s)",
                info.getAckFloor().getStreamSequence(), STALL.toSeconds(), info.getDelivered().getConsumerSequence(),
                info.getNumAckPending(), info.getNumPending(), info.getRedelivered(), info.getNumWaiting(),
                dump.getFileName());
        System.out.println("    !!! STALL " + durable + ": " + what);
        return what;
    }

    private ConsumerInfo info(String durable) throws IOException, JetStreamApiException {
        try {
            return jsm.getConsumerInfo(stream, durable);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
                return null; // the child has not created it yet
            }
            throw e;
        }
    }
}
