package io.meshbridge.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A minimal SLF4J provider for the short-lived {@code events} commands: one line per log event on stderr,
 * {@code HH:mm:ss  LEVEL  message}, at the levels {@link CliLogging} sets. It spares these commands the
 * start-up cost of the full logging configuration, which belongs to the worker. Selected only through the
 * {@code slf4j.provider} system property, never by service discovery; public (unlike the rest of the package
 * but {@link Main}) because SLF4J instantiates it by name. Thread-safe.
 */
public final class StderrLogs implements SLF4JServiceProvider {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private static volatile Level threshold = Level.WARN;
    private static volatile String noticeLogger;
    private static volatile boolean verbose;

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, StderrLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Public for SLF4J, which instantiates the class named in {@code slf4j.provider}. */
    public StderrLogs() {
    }

    /**
     * Shows events at {@code level} and above; {@code noticeLoggerName} (may be {@code null}) also at INFO;
     * with {@code showDetails}, logger names and stack traces too.
     */
    static void configure(Level level, String noticeLoggerName, boolean showDetails) {
        threshold = level;
        noticeLogger = noticeLoggerName;
        verbose = showDetails;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up
    }

    private static final class StderrLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        StderrLogger(String name) {
            this.name = name;
        }

        private boolean enabled(Level level) {
            Level min = name.equals(noticeLogger) && threshold.toInt() > Level.INFO.toInt() ? Level.INFO
                    : threshold;
            return level.toInt() >= min.toInt();
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            StringBuilder line = new StringBuilder(120).append(CLOCK.format(LocalTime.now())).append("  ")
                    .append(level).append("  ");
            if (verbose) {
                line.append(name).append(": ");
            }
            line.append(MessageFormatter.basicArrayFormat(pattern, arguments));
            if (throwable != null) {
                if (verbose) {
                    StringWriter trace = new StringWriter();
                    throwable.printStackTrace(new PrintWriter(trace));
                    line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
                } else {
                    line.append(" (").append(throwable).append(')');
                }
            }
            PrintStream err = System.err;
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        }
    }
}
