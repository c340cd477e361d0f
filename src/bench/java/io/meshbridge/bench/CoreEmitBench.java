package io.meshbridge.bench;

import io.meshbridge.events.Bus;
import io.meshbridge.events.Event;
import io.nats.client.Connection;
import io.nats.client.NUID;
import io.nats.client.impl.Headers;
import java.time.Duration;

/**
 * Core emit: {@link Bus#emit} against a raw {@code connection.publish(subject, headers, bytes)} of the same
 * events pre-serialised, each with a {@code Nats-Msg-Id} header holding a fresh NUID. No stream exists, so
 * the server only routes (to nobody). A round ends with a flush: every byte has reached the server.
 */
final class CoreEmitBench {

    private final Connection connection;
    private final int n;
    private final Bus bus;
    private final Event[] events = SampleEvents.ALL.toArray(new Event[0]);
    private final SampleEvents.Wire wire;

    CoreEmitBench(Connection connection, int n) {
        this.connection = connection;
        this.n = n;
        this.bus = new Bus(connection, "bench");
        this.wire = SampleEvents.wire(bus);
    }

    /** Mean encoded size of the events, in bytes. */
    double meanSize() {
        long total = 0;
        for (byte[] p : wire.payloads()) {
            total += p.length;
        }
        return (double) total / wire.size();
    }

    double product() throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bus.emit(events[i % events.length]);
        }
        connection.flush(Duration.ofSeconds(30));
        return rate(start);
    }

    double baseline() throws Exception {
        NUID nuid = new NUID();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i % wire.size();
            connection.publish(wire.subjects()[k], new Headers().put(Bus.MSG_ID_HEADER, nuid.next()),
                    wire.payloads()[k]);
        }
        connection.flush(Duration.ofSeconds(30));
        return rate(start);
    }

    private double rate(long start) {
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
