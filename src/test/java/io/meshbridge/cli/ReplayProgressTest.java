package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {

    private final StringWriter text = new StringWriter();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private ReplayProgress progress(long total, boolean terminal) {
        return new ReplayProgress(new PrintWriter(text), total, terminal, nanos::get);
    }

    private void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Test
    void theLineGroupsThousands() {
        assertThat(progress(100_000, false).line(12_000, 3)).isEqualTo("replayed 12,000 / 100,000 (3 duplicates)");
        assertThat(progress(0, false).line(0, 0)).isEqualTo("replayed 0 / 0 (0 duplicates)");
    }

    @Test
    void onATerminalTheLineIsRedrawnAtMostEveryQuarterSecond() {
        ReplayProgress p = progress(2_000, true);

        p.update(10, 0);
        advanceMillis(249);
        p.update(20, 0);
        assertThat(text.toString()).isEmpty();

        advanceMillis(1);
        p.update(1_500, 1);
        advanceMillis(100);
        p.update(1_600, 1);
        advanceMillis(150);
        p.update(900, 0);
        p.finish(2_000, 1);

        String nl = System.lineSeparator();
        assertThat(text.toString()).isEqualTo("\rreplayed 1,500 / 2,000 (1 duplicates)"
                + "\rreplayed 900 / 2,000 (0 duplicates)  "
                + "\rreplayed 2,000 / 2,000 (1 duplicates)" + nl);
    }

    @Test
    void withoutATerminalPlainLinesComeEveryFiveSeconds() {
        ReplayProgress p = progress(100, false);

        p.update(1, 0);
        advanceMillis(4_999);
        p.update(2, 0);
        advanceMillis(1);
        p.update(3, 0);
        advanceMillis(5_000);
        p.update(4, 1);
        p.finish(100, 1);

        String nl = System.lineSeparator();
        assertThat(text.toString()).isEqualTo("replayed 3 / 100 (0 duplicates)" + nl
                + "replayed 4 / 100 (1 duplicates)" + nl);
    }

    @Test
    void aReplayFasterThanTheIntervalWritesNothing() {
        ReplayProgress p = progress(5, true);

        p.update(5, 0);
        p.finish(5, 0);

        assertThat(text.toString()).isEmpty();
    }
}
