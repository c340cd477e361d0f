package io.meshbridge.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress line of {@code archive replay} on stderr: {@code replayed 12,000 / 100,000 (3 duplicates)}.
 * On a terminal the line is redrawn in place (carriage return) at most every {@link #TERMINAL_INTERVAL};
 * otherwise (a pipe, a log file) a plain line is written at most every {@link #PLAIN_INTERVAL}.
 *
 * <p>Not thread-safe: one thread reports the progress.
 */
final class ReplayProgress {

    /** How often the line is redrawn on a terminal. */
    static final Duration TERMINAL_INTERVAL = Duration.ofMillis(250);

    /** How often a line is written when stderr is not a terminal. */
    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

    private final PrintWriter err;
    private final long total;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private long lastNanos;
    private String lastLine;

    /**
     * @param err      where the line goes
     * @param total    how many events the replay publishes
     * @param terminal whether to redraw one line in place
     * @param nanoTime the clock ({@link System#nanoTime} outside tests)
     */
    ReplayProgress(PrintWriter err, long total, boolean terminal, LongSupplier nanoTime) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.intervalNanos = (terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL).toNanos();
        this.lastNanos = nanoTime.getAsLong();
    }

    /** The progress on the process's stderr, redrawn in place when there is a console. */
    static ReplayProgress forStderr(PrintWriter err, long total) {
        return new ReplayProgress(err, total, System.console() != null, System::nanoTime);
    }

    /** The line for {@code replayed} events acknowledged so far, {@code duplicates} of them not stored again. */
    String line(long replayed, long duplicates) {
        return String.format(Locale.ROOT, "replayed %,d / %,d (%,d duplicates)", replayed, total, duplicates);
    }

    /** Writes the line when the interval has passed since the last one. */
    void update(long replayed, long duplicates) {
        long now = nanoTime.getAsLong();
        if (now - lastNanos < intervalNanos) {
            return;
        }
        lastNanos = now;
        write(line(replayed, duplicates));
    }

    /** On a terminal: draws the final state and ends the line, so what follows starts on a line of its own. */
    void finish(long replayed, long duplicates) {
        if (terminal && lastLine != null) {
            write(line(replayed, duplicates));
            err.print(System.lineSeparator());
            err.flush();
        }
    }

    private void write(String line) {
        if (terminal) {
            // pad over a longer previous line
            String padding = lastLine != null && lastLine.length() > line.length()
                    ? " ".repeat(lastLine.length() - line.length()) : "";
            err.print("\r" + line + padding);
        } else {
            err.println(line);
        }
        err.flush();
        lastLine = line;
    }
}
