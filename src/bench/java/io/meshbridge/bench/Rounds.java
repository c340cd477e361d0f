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

    private static String describe(Object result) {
        return result instanceof Double rate ? Stats.Unit.RATE.format(rate) + "/s" : String.valueOf(result);
    }
}
