package io.meshbridge.bench;

import io.meshbridge.events.Bus;
import io.meshbridge.events.Event;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;

/**
 * Fills the event stream of a benchmark with the ten sample events, round robin, each encoded as the bus sends
 * it with its own time stamp (so no two payloads are equal, which would flatter compression) and its own id.
 */
final class StreamFill {

    private StreamFill() {
    }

    /**
     * Creates {@code stream} on {@code events.>} (no limits) and stores {@code n} sample events in it: at most
     * {@value #WINDOW} publishes await their acknowledgement at a time, and a publish that failed (a timed-out
     * acknowledgement under load) is sent again under the same id, so the stream stores each event once.
     *
     * @throws IllegalStateException when the stream does not hold {@code n} messages afterwards
     */
    static void fill(Connection connection, String stream, int n) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects("events.>").build());
        JetStream js = connection.jetStream();
        Bus bus = new Bus(connection, "bench");
        java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            Event event = SampleEvents.ALL.get(i % SampleEvents.ALL.size());
            pending.add(Pending.send(js, event.subject(), "bench-" + i, bus.codec().encode(bus.stamp(event))));
            if (pending.size() == WINDOW) {
                pending.poll().await(js);
            }
        }
        while (!pending.isEmpty()) {
            pending.poll().await(js);
        }
        long stored = jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        if (stored != n) {
            throw new IllegalStateException("stream " + stream + " holds " + stored + " messages after storing " + n);
        }
    }

    private static final int WINDOW = 5_000;

    /** One publish awaiting its acknowledgement. */
    private record Pending(String subject, String id, byte[] payload,
                           java.util.concurrent.CompletableFuture<io.nats.client.api.PublishAck> ack) {

        static Pending send(JetStream js, String subject, String id, byte[] payload) {
            return new Pending(subject, id, payload, js.publishAsync(subject, new Headers().put("Nats-Msg-Id", id),
                    payload));
        }

        /** Waits for the acknowledgement, publishing again synchronously (same id) until one arrives. */
        void await(JetStream js) throws Exception {
            try {
                ack.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        js.publish(subject, new Headers().put("Nats-Msg-Id", id), payload);
                        return;
                    } catch (java.io.IOException | io.nats.client.JetStreamApiException again) {
                        if (attempt == 5) {
                            throw new IllegalStateException("could not store " + id + ": " + again, again);
                        }
                    }
                }
            }
        }
    }

    /** The mean payload size of the stored events, in bytes. */
    static double meanPayload(Connection connection) {
        SampleEvents.Wire wire = SampleEvents.wire(new Bus(connection, "bench"));
        long total = 0;
        for (byte[] payload : wire.payloads()) {
            total += payload.length;
        }
        return (double) total / wire.size();
    }
}
