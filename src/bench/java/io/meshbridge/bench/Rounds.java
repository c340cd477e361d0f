package io.meshbridge.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a product measurement and its baseline in alternating rounds (warm-up first, not counted), so that
 * the machine's drift and noise fall on both sides alike.
 */
final class Rounds {

    /** One measurement round. */
    interface Round<T> {
        T run() throws Exception;
    }

    /** What each side measured, one entry per counted round. */
    record Result<T>(List<T> product, List<T> baseline) {
    }

    /** One side of {@link #compare}, told its round (0 is the warm-up). */
    interface NumberedRound<T> {
        T run(int round) throws Exception;
    }

    /** What product A, product B and the baseline measured, one entry per counted round. */
    record Compared<T>(List<T> a, List<T> b, List<T> baseline) {
    }

    private Rounds() {
    }

    /** Counted rounds per side: {@code bench.rounds}, default 5. */
    static int count() {
        return Integer.getInteger("bench.rounds", 5);
    }

    static <T> Result<T> alternate(String name, int rounds, Round<T> product, Round<T> baseline)
            throws Exception {
        List<T> p = new ArrayList<>();
        List<T> b = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            T pr = product.run();
            T br = baseline.run();
            String label = round == 0 ? "warm-up" : "round " + round;
            System.out.printf("  %s %s: product %s, raw %s (load %s)%n", name, label, describe(pr), describe(br),
                    CoreBench.loadAverage());
            if (round > 0) {
                p.add(pr);
                b.add(br);
            }
        }
        return new Result<>(p, b);
    }

    /**
     * Product A, product B and the baseline in turn each round, B before A on odd rounds so that neither always
     * follows the baseline; a warm-up round first, not counted. For what a change (of options, of the code) does,
     * measured in the same rounds.
     */
    static <T> Compared<T> compare(int rounds, NumberedRound<T> a, NumberedRound<T> b, NumberedRound<T> baseline)
            throws Exception {
        Compared<T> out = new Compared<>(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round <= rounds; round++) {
            boolean bFirst = round % 2 == 1;
            T br = bFirst ? b.run(round) : null;
            T ar = a.run(round);
            br = bFirst ? br : b.run(round);
            T rr = baseline.run(round);
            System.out.printf("  %s: A %s%n    B %s%n    raw %s (load %s)%n", round == 0 ? "warm-up" : "round " + round,
                    describe(ar), describe(br), describe(rr), CoreBench.loadAverage());
            if (round > 0) {
                out.a().add(ar);
                out.b().add(br);
                out.baseline().add(rr);
            }
        }
        return out;
    }

    private static String describe(Object result) {
        return result instanceof Double rate ? Stats.Unit.RATE.format(rate) + "/s" : String.valueOf(result);
    }
}
