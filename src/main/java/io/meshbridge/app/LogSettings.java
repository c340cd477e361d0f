package io.meshbridge.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code mesh.log.level} and {@code mesh.log.format} to the worker's logback configuration
 * ({@code logback.xml}): the root level, and logback's {@link JsonEncoder} on the console appenders: one JSON
 * object per line with {@code timestamp} (epoch milliseconds), {@code level}, {@code threadName},
 * {@code loggerName}, {@code mdc}, {@code formattedMessage} and {@code throwable}. Does nothing when logback is not the SLF4J binding (e.g. a custom
 * {@code -Dlogback.configurationFile} still applies, then these settings on top).
 */
final class LogSettings {

    private LogSettings() {
    }

    /** Applies {@code observe}'s log settings; call once, before the worker logs much. */
    static void apply(ObserveConfig observe) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(observe.logLevel(), Level.INFO));
        if (!observe.jsonLogs()) {
            return;
        }
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.setWithFormattedMessage(true);
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithContext(false);
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.start();
                out.stop();
                out.setEncoder(json);
                out.start();
            }
        }
    }
}
