package io.meshbridge.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Logging for the short-lived {@code events} commands: stdout carries only their output, so log lines go to
 * stderr, warnings and errors only ({@code --verbose}: everything, with logger names and stack traces).
 * Commands that run as a service (the worker) keep the logging configuration of the deployment and do not
 * call this.
 */
public final class CliLogging {

    /** Logger of the events library's connection notices (lost, re-established). */
    public static final String CONNECTION_LOGGER = "io.meshbridge.events.nats";

    /** The logback property naming a status listener; set by {@link #silenceStatus()}. */
    static final String STATUS_LISTENER_PROPERTY = "logback.statusListenerClass";

    private CliLogging() {
    }

    /**
     * Keeps logback's own status messages off the console; call before the first logger is created.
     * Leaves an explicit setting alone.
     */
    public static void silenceStatus() {
        if (System.getProperty(STATUS_LISTENER_PROPERTY) == null) {
            System.setProperty(STATUS_LISTENER_PROPERTY, "ch.qos.logback.core.status.NopStatusListener");
        }
    }

    /**
     * Sends log output to stderr: warnings and above, or everything when {@code verbose}.
     *
     * @param connectionNotices also show when the connection is re-established (for long-running commands)
     */
    public static void configure(boolean verbose, boolean connectionNotices) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setPattern(verbose ? "%d{HH:mm:ss.SSS} %-5level %logger{30}: %msg%n"
                : "%d{HH:mm:ss}  %level  %msg%n%nopex");
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(verbose ? Level.DEBUG : Level.WARN);
        if (connectionNotices && !verbose) {
            context.getLogger(CONNECTION_LOGGER).setLevel(Level.INFO);
        }
    }
}
