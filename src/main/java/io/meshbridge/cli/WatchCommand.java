package io.meshbridge.cli;

import io.meshbridge.events.Bus;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.ReceivedEvent;
import io.nats.client.Connection;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code events watch}: prints events as they are published, until interrupted (Ctrl-C or SIGTERM end it
 * with exit code 0). A core NATS subscription: no stream needed, nothing created. The connection reconnects
 * forever and the subscription is restored after a server restart; the loss and the return of the
 * connection are noted on stderr. Each line is flushed, so the output can be piped.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Print events live as they are published, until interrupted.")
final class WatchCommand implements Callable<Integer> {

    private static final Duration CHECK = Duration.ofSeconds(1);

    @Mixin
    NatsOptions nats;

    @Mixin
    ViewOptions view;

    @Spec
    CommandSpec spec;

    private final Object lock = new Object();
    private final CountDownLatch outputClosed = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        CliLogging.configure(Main.verbose(spec), true);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Connection nc = nats.connect("mesh-bridge events watch");
        Bus bus = new Bus(nc, "mesh-bridge-cli");
        EventFormat format = view.format(bus.codec());
        bus.subscribe(view.filter(), event -> print(event, format, out, err), e -> report(e, err));
        try {
            nc.flush(nats.connectTimeout);
        } catch (TimeoutException e) {
            throw CliException.runtime("subscription on " + nc.getConnectedUrl() + " not confirmed within "
                    + nats.connectTimeout.toMillis() + " ms", e);
        }
        Thread exitOnSignal = new Thread(() -> {
            synchronized (lock) {
                out.flush();
                err.flush();
            }
            Runtime.getRuntime().halt(0);
        }, "watch-shutdown");
        Runtime.getRuntime().addShutdownHook(exitOnSignal);
        try {
            synchronized (lock) {
                err.println("watching " + view.filter() + " on " + nc.getConnectedUrl() + " (Ctrl-C to stop)");
                err.flush();
            }
            return waitUntilDone(nc);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(exitOnSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and ends the process with code 0
            }
        }
    }

    private int waitUntilDone(Connection nc) throws InterruptedException {
        while (!outputClosed.await(CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
            if (nc.getStatus() == Connection.Status.CLOSED) {
                throw CliException.runtime("the connection to NATS was closed", null);
            }
        }
        nc.close();
        return 0;
    }

    private void print(ReceivedEvent event, EventFormat format, PrintWriter out, PrintWriter err) {
        String line = view.json() ? format.json(event) : format.line(event, Instant.now());
        String note = EventFormat.inferredNote(event);
        synchronized (lock) {
            out.println(line);
            out.flush();
            if (out.checkError()) {
                outputClosed.countDown();
            }
            if (note != null) {
                err.println(note);
                err.flush();
            }
        }
    }

    private void report(EventDecodeException e, PrintWriter err) {
        synchronized (lock) {
            err.println(EventFormat.undecodable(e));
            err.flush();
        }
    }
}
