package io.meshbridge.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** Order statistics of a set of measurements: median, min, max and percentiles (nearest rank). */
record Stats(double[] sorted) {

    Stats {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        sorted = sorted.clone();
        Arrays.sort(sorted);
    }

    static Stats of(Collection<Double> values) {
        return new Stats(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    double median() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
    double percentile(double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    int count() {
        return sorted.length;
    }

    /** "median (min–max)" with {@code unit} formatting. */
    String format(Unit unit) {
        return unit.format(median()) + " (" + unit.format(min()) + "–" + unit.format(max()) + ")";
    }

    /** How a measurement is printed. */
    enum Unit {
        RATE, MILLIS, MEGABYTES;

        String format(double v) {
            return this == MEGABYTES ? String.format(Locale.ROOT, "%.2f", v)
                    : this == RATE ? String.format(Locale.ROOT, "%,.0f", v)
                    : v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v)
                    : v >= 10 ? String.format(Locale.ROOT, "%.1f ms", v)
                    : String.format(Locale.ROOT, "%.2f ms", v);
        }
    }
}
