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
 * Logging for the short-lived commands ({@code events}, {@code archive}): stdout carries only their output,
 * so log lines go to stderr, warnings and errors only ({@code --verbose}: everything, with logger names and
 * stack traces).
 * Commands that run as a service (the worker) keep the logging configuration of the deployment and do not
 * call this.
 */
final class CliLogging {

    /** Logger of the events library's connection notices (lost, re-established). */
    static final String CONNECTION_LOGGER = "io.meshbridge.events.nats";

    /** The SLF4J property naming the provider to use instead of discovering one. */
    static final String PROVIDER_PROPERTY = "slf4j.provider";

    /** The SLF4J property setting how much SLF4J reports about itself. */
    static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

    private CliLogging() {
    }

    /**
     * Sends log output to stderr: warnings and above, or everything when {@code verbose}. Call before the
     * first logger is created: then {@link StderrLogs} serves the command and the worker's logging
     * configuration is never loaded; if logging is already initialised with logback, logback is
     * reconfigured the same way.
     *
     * @param connectionNotices also show when the connection is re-established (for long-running commands)
     */
    static void configure(boolean verbose, boolean connectionNotices) {
        StderrLogs.configure(verbose ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.WARN,
                connectionNotices ? CONNECTION_LOGGER : null, verbose);
        if (System.getProperty(PROVIDER_PROPERTY) == null) {
            System.setProperty(PROVIDER_PROPERTY, StderrLogs.class.getName());
            if (System.getProperty(VERBOSITY_PROPERTY) == null) {
                System.setProperty(VERBOSITY_PROPERTY, "WARN");
            }
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            configureLogback(context, verbose, connectionNotices);
        }
    }

    private static void configureLogback(LoggerContext context, boolean verbose, boolean connectionNotices) {
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setPattern(verbose ? "%d{HH:mm:ss}  %level  %logger: %msg%n"
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
