package io.meshbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code mesh:} consumer of the worker, measured from outside: the worker jar runs a YAML route
 * {@code from: mesh:events.>} with one no-op step (the component's defaults) and drains the stored events;
 * the raw program ({@link RawDrain}) drains them with plain jnats in its own JVM. Both are child processes,
 * each round a new durable; the rate is read from the durable's ack floor (see {@link AckFloorMeter}).
 *
 * <p>Modes ({@code -Dbench.mode}):
 * <ul>
 *   <li>{@code throughput} (default): a warm-up round of each side, then {@code bench.rounds} (5) rounds
 *       alternating product and raw; medians with min–max, and the ratio against the target 0.85.</li>
 *   <li>{@code stalls}: {@code bench.stall.rounds} (20) consecutive drains by the product; flags every round
 *       slower than half the median rate, and every round in which the server delivered a message more than
 *       once (delivered consumer sequence above {@code n}, or anything redelivered or unacknowledged).</li>
 *   <li>{@code raw}: the raw ways of {@code bench.raw.ways} (e.g. {@code fetch:500,fetch:1000,pipelined:500})
 *       against each other, with {@code bench.raw.work} ({@code noop}, {@code none}, {@code gzip},
 *       {@code zstd}): to find the strongest plain jnats baseline.</li>
 *   <li>{@code floor}: {@code bench.rounds} rounds of three drains each (after a warm-up round): the product,
 *       the Camel floor ({@link CamelDrain}: the raw loop with each message put through the same no-op route as a
 *       Camel exchange) and the raw program; each against raw, and the product against the floor.</li>
 *   <li>{@code selfcheck}: one raw drain that holds back one acknowledgement (the server redelivers it after
 *       the ack wait), to show that the stall check sees a stall and a message delivered twice.</li>
 * </ul>
 * Sizes: {@code bench.n} (200,000 events). See {@link WorkerDrains} for the jar and directories.
 */
public final class ConsumerBench {

    private ConsumerBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("bench.mode", "throughput");
        switch (mode) {
            case "throughput" -> WorkerDrains.session("mesh: consumer → no-op step", ConsumerBench::throughput);
            case "stalls" -> WorkerDrains.session("mesh: consumer → no-op step, stall check", ConsumerBench::stalls);
            case "raw" -> WorkerDrains.session("raw jnats ways", ConsumerBench::rawWays);
            case "floor" -> WorkerDrains.session("mesh: consumer, the Camel floor and raw jnats",
                    ConsumerBench::floor);
            case "selfcheck" -> WorkerDrains.session("stall detection self-check", ConsumerBench::selfCheck);
            case "options" -> WorkerDrains.session("mesh: consumer with two sets of options and raw jnats",
                    ConsumerBench::options);
            default -> throw new IllegalArgumentException("bench.mode must be throughput, stalls, raw, floor, options or selfcheck,"
                    + " was " + mode);
        }
    }

    /**
     * {@code -Dbench.route.options=batchSize=500&maxAckPending=2000}: options for the product's {@code mesh:}
     * endpoint instead of the component's defaults (to see what a default costs; the output says so).
     */
    private static final String ROUTE_OPTIONS = System.getProperty("bench.route.options", "");

    private static String routeOptions() {
        return ROUTE_OPTIONS.isEmpty() ? "component defaults" : "NOT the defaults: " + ROUTE_OPTIONS;
    }

    /** A YAML route file with one route {@code id} (also its durable) from all events into a no-op step. */
    static String noopRoute(String id) {
        return noopRoute(id, ROUTE_OPTIONS);
    }

    /** {@link #noopRoute(String)} with the {@code mesh:} endpoint options {@code options} (none when empty). */
    static String noopRoute(String id, String options) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "mesh:events.>%s"
                      steps:
                        - setProperty:
                            name: bench
                            constant: "no-op"
                """.formatted(id, options.isEmpty() ? "" : "?" + options);
    }

    private static void throughput(WorkerDrains drains, Table table) throws Exception {
        RawWay way = RawWay.fromSystemProperties();
        System.out.printf(Locale.ROOT, "product: worker jar, route from mesh:events.> (%s) into"
                + " one no-op step%nraw:     %s, ack() each%n%n",
                routeOptions(), way);
        int[] round = {0};
        Rounds.Result<AckFloorMeter.Drain> r = Rounds.alternate("no-op", Rounds.count(),
                () -> drains.product("bench_noop_" + ++round[0], noopRoute("bench_noop_" + round[0]), null),
                () -> drains.raw("bench_raw_noop_" + round[0], way.args("noop", null), null));
        rows(table, "`mesh:` → no-op step", r.product(), r.baseline(), 0.85);
    }

    private static void stalls(WorkerDrains drains, Table table) throws Exception {
        int rounds = Integer.getInteger("bench.stall.rounds", 20);
        System.out.printf(Locale.ROOT, "%d consecutive drains of %,d events by the worker (no-op route, %s), each a"
                + " new durable; a stall is the ack floor standing still for %d s%n%n", rounds, drains.n(),
                routeOptions(), AckFloorMeter.STALL.toSeconds());
        List<AckFloorMeter.Drain> all = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            AckFloorMeter.Drain d = drains.product("bench_stall_" + i, noopRoute("bench_stall_" + i), null);
            all.add(d);
            System.out.printf(Locale.ROOT, "  drain %2d: %s (load %s)%n", i, d, CoreBench.loadAverage());
        }
        Stats stats = rates(all);
        System.out.printf(Locale.ROOT, "%nmedian %,.0f/s, min %,.0f/s, max %,.0f/s%n", stats.median(), stats.min(),
                stats.max());
        int slow = 0;
        int unclean = 0;
        for (int i = 0; i < all.size(); i++) {
            AckFloorMeter.Drain d = all.get(i);
            if (d.rate() < stats.median() / 2) {
                slow++;
                System.out.printf(Locale.ROOT, "  !!! drain %d slower than half the median: %s%n", i + 1, d);
            }
            if (!d.clean(drains.n())) {
                unclean++;
                System.out.printf(Locale.ROOT, "  !!! drain %d delivered %,d times for %,d events (redelivered %d,"
                        + " ack pending %d)%n", i + 1, d.delivered(), drains.n(), d.redelivered(), d.ackPending());
            }
        }
        String verdict = slow == 0 && unclean == 0 ? "no stall, every event delivered once"
                : slow + " slow drain(s), " + unclean + " drain(s) with a message delivered more than once";
        System.out.println("stall check: " + verdict);
        table.note("stall check over " + rounds + " drains: " + verdict + String.format(Locale.ROOT,
                "; rates median %,.0f/s (%,.0f–%,.0f)", stats.median(), stats.min(), stats.max()));
    }

    /** One raw drain that leaves one message unacknowledged once: must be seen as a stall and not clean. */
    private static void selfCheck(WorkerDrains drains, Table table) throws Exception {
        List<String> args = new ArrayList<>(RawWay.fromSystemProperties().args("noop", null));
        args.add("skipAck=" + drains.n() / 2);
        AckFloorMeter.Drain d = drains.raw("bench_selfcheck", args, null);
        boolean detected = !d.stalls().isEmpty() && d.delivered() == drains.n() + 1 && !d.clean(drains.n());
        System.out.println("  raw drain with one acknowledgement held back: " + d);
        System.out.println(detected ? "self-check passed: the stall and the second delivery were seen"
                : "!!!!! SELF-CHECK FAILED: the held-back acknowledgement was not seen as a stall and a redelivery");
    }

    private static void rawWays(WorkerDrains drains, Table table) throws Exception {
        String work = System.getProperty("bench.raw.work", "noop");
        List<RawWay> ways = RawWay.list(System.getProperty("bench.raw.ways", "fetch:500,pipelined:500"));
        System.out.printf(Locale.ROOT, "raw ways %s, work %s, alternating, first round a warm-up%n%n", ways, work);
        List<List<AckFloorMeter.Drain>> results = new ArrayList<>();
        ways.forEach(w -> results.add(new ArrayList<>()));
        int rounds = Rounds.count();
        for (int round = 0; round <= rounds; round++) {
            StringBuilder line = new StringBuilder(round == 0 ? "  warm-up:" : "  round " + round + ":");
            for (int k = 0; k < ways.size(); k++) {
                String durable = "bench_rawway_" + k + "_" + round;
                java.nio.file.Path file = drains.dir(durable).resolve("events.out");
                AckFloorMeter.Drain d = drains.raw(durable, ways.get(k).args(work, file), null);
                line.append(' ').append(ways.get(k)).append(' ').append(Stats.Unit.RATE.format(d.rate())).append("/s");
                if (round > 0) {
                    results.get(k).add(d);
                }
            }
            System.out.println(line.append(" (load ").append(CoreBench.loadAverage()).append(')'));
        }
        for (int k = 0; k < ways.size(); k++) {
            rows(table, "raw " + ways.get(k) + ", " + work + ", against " + ways.get(0), results.get(k),
                    results.get(0), 0);
        }
    }

    /**
     * The product with its defaults (or {@code bench.route.options}), the product with {@code bench.route.compare}
     * and raw in turn each round: what a change of the endpoint's options does, measured in the same rounds.
     */
    private static void options(WorkerDrains drains, Table table) throws Exception {
        String compare = System.getProperty("bench.route.compare", "batchSize=100");
        RawWay way = RawWay.fromSystemProperties();
        System.out.printf(Locale.ROOT, "product A: worker jar, route from mesh:events.> (%s) into one no-op step%n"
                + "product B: the same with %s%nraw:       %s, ack() each%n%n", routeOptions(), compare, way);
        Rounds.Compared<AckFloorMeter.Drain> sides = Rounds.compare(Rounds.count(),
                round -> optionsDrain(drains, "a", round, ROUTE_OPTIONS),
                round -> optionsDrain(drains, "b", round, compare),
                round -> drains.raw("bench_opt_r" + round, way.args("noop", null), null));
        rows(table, "A: `mesh:` → no-op step, against raw", sides.a(), sides.baseline(), 0.85);
        rows(table, "B: `mesh:?" + compare + "` → no-op step, against raw", sides.b(), sides.baseline(), 0.85);
        rows(table, "B against A", sides.b(), sides.a(), 0);
    }

    private static AckFloorMeter.Drain optionsDrain(WorkerDrains drains, String side, int round, String options)
            throws Exception {
        String id = "bench_opt_" + side + round;
        return drains.product(id, noopRoute(id, options), null);
    }

    /** Product, Camel floor and raw in turn each round: how much of the gap any Camel consumer has. */
    private static void floor(WorkerDrains drains, Table table) throws Exception {
        RawWay way = RawWay.fromSystemProperties();
        System.out.printf(Locale.ROOT, "product: worker jar, route from mesh:events.> (%s) into one no-op step%n"
                + "floor:   %s, each message through the same no-op step as a Camel exchange, then ack()%n"
                + "raw:     %s, ack() each%n%n", routeOptions(), way, way);
        List<AckFloorMeter.Drain> product = new ArrayList<>();
        List<AckFloorMeter.Drain> camel = new ArrayList<>();
        List<AckFloorMeter.Drain> raw = new ArrayList<>();
        for (int round = 0; round <= Rounds.count(); round++) {
            String name = round == 0 ? "warm-up" : "round " + round;
            AckFloorMeter.Drain p = drains.product("bench_floor_p" + round, noopRoute("bench_floor_p" + round), null);
            AckFloorMeter.Drain c = drains.camel("bench_floor_c" + round, List.of("batch=" + way.batch(),
                    "maxAckPending=" + RawWay.MAX_ACK_PENDING, "handOff=" + Boolean.getBoolean("bench.floor.handoff")));
            AckFloorMeter.Drain r = drains.raw("bench_floor_r" + round, way.args("noop", null), null);
            System.out.printf(Locale.ROOT, "  %s: product %s%n    camel %s%n    raw %s (load %s)%n", name, p, c, r,
                    CoreBench.loadAverage());
            if (round > 0) {
                product.add(p);
                camel.add(c);
                raw.add(r);
            }
        }
        rows(table, "`mesh:` → no-op step, against raw", product, raw, 0.85);
        rows(table, "Camel floor → no-op step, against raw", camel, raw, 0);
        rows(table, "`mesh:` → no-op step, against the Camel floor", product, camel, 0);
    }

    static Stats rates(List<AckFloorMeter.Drain> drains) {
        return Stats.of(drains.stream().map(AckFloorMeter.Drain::rate).toList());
    }

    /**
     * A rate row (events/s, target {@code minShare} of raw, 0 for none) and rows of the child's and the server's CPU
     * per event.
     */
    static void rows(Table table, String what, List<AckFloorMeter.Drain> product, List<AckFloorMeter.Drain> raw,
                     double minShare) {
        table.rate(what + " (events/s)", rates(product), rates(raw), minShare);
        table.latency(what + ": child CPU per 1,000 events", cpu(product, false), cpu(raw, false), 0);
        table.latency(what + ": nats-server CPU per 1,000 events", cpu(product, true), cpu(raw, true), 0);
    }

    private static Stats cpu(List<AckFloorMeter.Drain> drains, boolean server) {
        return Stats.of(drains.stream()
                .map(d -> server ? d.serverCpuPerThousand() : d.cpuPerThousand()).toList());
    }
}
