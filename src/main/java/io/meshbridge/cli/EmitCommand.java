package io.meshbridge.cli;

import io.meshbridge.events.EmitResult;
import io.meshbridge.events.Event;
import io.meshbridge.events.EventTypes;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code events emit}: publishes one event and waits until the event stream has stored it. The stream is
 * created when missing (as the library does) and never changed when it exists. Prints
 * {@code emitted <type> id=<id> seq=<n>}; with {@code --json} the event itself goes to stdout (as
 * {@code events list --json} would print it) and that line to stderr.
 */
@Command(name = "emit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Publish an event and wait until the stream has stored it.")
final class EmitCommand implements Callable<Integer> {

    /** How long the emit keeps retrying (same event id) without an acknowledgement. */
    static final Duration EMIT_TIMEOUT = Duration.ofSeconds(10);

    @Parameters(index = "0", paramLabel = "TYPE", description = "event type, with or without 'events.' (tool.crashed)")
    String type;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE",
            description = "data members; a value is JSON when it parses (2, true, {\"a\":1}, \"x\"), else text")
    List<String> pairs = new ArrayList<>();

    @Option(names = "--node", paramLabel = "NAME", description = "originating node (default: $MESH_NODE_NAME, else the host name)")
    String node;

    @Option(names = "--json", description = "print the emitted event as JSON on stdout")
    boolean json;

    @Mixin
    NatsOptions nats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Event event = event(nats.env);
        CliLogging.configure(Main.verbose(spec), false);
        PersistConfig config = PersistConfig.defaults().withStreamName(nats.stream()).withEmit(EMIT_TIMEOUT, 1);
        try (Connection nc = nats.connect("mesh-bridge events emit")) {
            PersistentBus bus = open(nc, event.node(), config);
            Event stamped = bus.bus().stamp(event);
            EmitResult result;
            try {
                result = bus.emit(stamped);
            } catch (IOException e) {
                throw CliException.runtime(e.getMessage(), e);
            }
            String line = "emitted " + stamped.type() + " id=" + result.id() + " seq=" + result.sequence()
                    + (result.duplicate() ? " (duplicate)" : "");
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new String(bus.bus().codec().encode(stamped), StandardCharsets.UTF_8));
                out.flush();
                spec.commandLine().getErr().println(line);
            } else {
                out.println(line);
            }
            out.flush();
        }
        return 0;
    }

    /** The event the arguments describe (not yet stamped). */
    Event event(Map<String, String> env) {
        try {
            String eventType = EventTypes.typeFromUserInput(type);
            Map<String, Object> data = KeyValues.parse(pairs);
            return new Event(eventType, node != null ? node : defaultNode(env), null, data);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static PersistentBus open(Connection nc, String nodeName, PersistConfig config) {
        try {
            return PersistentBus.open(nc, nodeName, config);
        } catch (IOException | JetStreamApiException e) {
            throw JetStreamErrors.of(e, config.streamName(), nc.getConnectedUrl());
        } catch (IllegalStateException e) {
            throw CliException.runtime(e.getMessage(), e);
        }
    }

    /** {@code MESH_NODE_NAME}, else the host name. */
    static String defaultNode(Map<String, String> env) {
        String configured = env.get("MESH_NODE_NAME");
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String host = env.get("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host.trim();
        }
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
