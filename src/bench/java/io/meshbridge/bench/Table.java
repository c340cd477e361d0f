package io.meshbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The summary printed at the end: product against raw jnats, the ratio, and the target when there is one. */
final class Table {

    /** One line; {@code ratio} is product ÷ raw of the medians; {@code target} may be empty. */
    record Row(String what, String product, String raw, double ratio, String target, Boolean met) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** A throughput line (events/s): the target, if any, is a minimum share of raw jnats. */
    void rate(String what, Stats product, Stats raw, double minShare) {
        rate(what, product, raw, minShare, Stats.Unit.RATE);
    }

    /** A throughput line in {@code unit} (events/s or MB/s): the target, if any, is a minimum share of raw. */
    void rate(String what, Stats product, Stats raw, double minShare, Stats.Unit unit) {
        double ratio = product.median() / raw.median();
        String target = minShare > 0 ? String.format(Locale.ROOT, "≥ %.0f%% of raw", minShare * 100) : "";
        rows.add(new Row(what, product.format(unit), raw.format(unit), ratio, target,
                minShare > 0 ? ratio >= minShare : null));
    }

    /** A latency line (ms): the target, if any, is a maximum for the product's median over rounds. */
    void latency(String what, Stats product, Stats raw, double maxMillis) {
        double ratio = product.median() / raw.median();
        String target = maxMillis > 0 ? "≤ " + Stats.Unit.MILLIS.format(maxMillis) : "";
        rows.add(new Row(what, product.format(Stats.Unit.MILLIS), raw.format(Stats.Unit.MILLIS), ratio, target,
                maxMillis > 0 ? product.median() <= maxMillis : null));
    }

    void note(String text) {
        notes.add(text);
    }

    void print() {
        if (rows.isEmpty()) {
            notes.forEach(System.out::println);
            return;
        }
        System.out.println();
        System.out.println("| measurement | mesh-bridge | raw jnats | ratio | target | met |");
        System.out.println("|---|---:|---:|---:|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.2f | %s | %s |%n", r.what(), r.product(), r.raw(),
                    r.ratio(), r.target(), r.met() == null ? "" : r.met() ? "yes" : "**NO**");
        }
        System.out.println();
        System.out.println("Figures are medians over rounds (min–max in parentheses); ratio = mesh-bridge ÷ raw"
                + " jnats (for latencies lower is better).");
        notes.forEach(System.out::println);
    }
}
