package io.meshbridge.bench;

import io.meshbridge.events.Bus;
import io.meshbridge.events.Event;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.time.Duration;

/**
 * Fills the event stream of a benchmark with the ten sample events, round robin, each encoded as the bus sends
 * it with its own time stamp (so no two payloads are equal, which would flatter compression) and its own id.
 */
final class StreamFill {

    private StreamFill() {
    }

    /** Creates {@code stream} on {@code events.>} (no limits) and stores {@code n} sample events in it. */
    static void fill(Connection connection, String stream, int n) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects("events.>").build());
        JetStream js = connection.jetStream();
        Bus bus = new Bus(connection, "bench");
        for (int i = 0; i < n; i++) {
            Event event = SampleEvents.ALL.get(i % SampleEvents.ALL.size());
            js.publishAsync(event.subject(), new Headers().put("Nats-Msg-Id", "bench-" + i),
                    bus.codec().encode(bus.stamp(event)));
            if (i % 5_000 == 4_999) {
                connection.flush(Duration.ofSeconds(30));
            }
        }
        while (jsm.getStreamInfo(stream).getStreamState().getMsgCount() < n) {
            connection.flush(Duration.ofSeconds(30));
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
