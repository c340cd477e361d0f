package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

class StderrLogsTest {

    private final StderrLogs provider = new StderrLogs();

    @AfterEach
    void defaults() {
        StderrLogs.configure(Level.WARN, null, false);
    }

    @Test
    void warningsAndAboveByDefault() {
        StderrLogs.configure(Level.WARN, null, false);
        Logger log = provider.getLoggerFactory().getLogger("x.y");

        assertThat(log.isWarnEnabled()).isTrue();
        assertThat(log.isErrorEnabled()).isTrue();
        assertThat(log.isInfoEnabled()).isFalse();
        assertThat(log.isDebugEnabled()).isFalse();
    }

    @Test
    void theNoticeLoggerAlsoShowsInfo() {
        StderrLogs.configure(Level.WARN, CliLogging.CONNECTION_LOGGER, false);

        assertThat(provider.getLoggerFactory().getLogger(CliLogging.CONNECTION_LOGGER).isInfoEnabled()).isTrue();
        assertThat(provider.getLoggerFactory().getLogger("other").isInfoEnabled()).isFalse();
    }

    @Test
    void oneLineWithTimeLevelAndFormattedMessage() {
        StderrLogs.configure(Level.WARN, null, false);
        String printed = captureStderr(() -> provider.getLoggerFactory().getLogger("x")
                .warn("lost {} after {} tries", "nats://h:1", 3, new IllegalStateException("boom")));

        assertThat(printed).matches("\\d\\d:\\d\\d:\\d\\d  WARN  lost nats://h:1 after 3 tries"
                + " \\(java.lang.IllegalStateException: boom\\)\\R");
    }

    @Test
    void verboseAddsTheLoggerNameAndTheStackTrace() {
        StderrLogs.configure(Level.DEBUG, null, true);
        String printed = captureStderr(() -> provider.getLoggerFactory().getLogger("a.b")
                .debug("detail", new IllegalStateException("boom")));

        assertThat(printed).contains("  DEBUG  a.b: detail").contains("java.lang.IllegalStateException: boom")
                .contains("\tat ");
    }

    private static String captureStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
