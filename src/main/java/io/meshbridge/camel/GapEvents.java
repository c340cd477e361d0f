package io.meshbridge.camel;

import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.Timestamps;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value RetentionGaps#GAP_TYPE} events of one {@link RetentionGaps}: the gaps found and not emitted yet
 * (at most {@value #MAX_UNEMITTED}, the oldest dropped beyond), each emitted with an acknowledged publish into
 * the source's stream under an id derived from the stream incarnation, the durable and the range. Not
 * thread-safe: its {@link RetentionGaps} serialises the calls.
 */
final class GapEvents {

    static final int MAX_UNEMITTED = 100;
    private static final Logger LOG = LoggerFactory.getLogger(GapEvents.class);
    private static final Duration EMIT_TIMEOUT = Duration.ofSeconds(5);

    private final Connection connection;
    private final RetentionGaps.Source source;
    private final List<RetentionGaps.Gap> unemitted = new ArrayList<>();
    private PersistentBus bus;

    GapEvents(Connection connection, RetentionGaps.Source source) {
        this.connection = connection;
        this.source = source;
    }

    /** Queues the event of {@code gap}. */
    void add(RetentionGaps.Gap gap) {
        unemitted.add(gap);
        if (unemitted.size() > MAX_UNEMITTED) {
            unemitted.remove(0);
        }
    }

    /** Emits the queued events in order; stops at the first that fails (it is tried again next time). */
    void emitPending() {
        while (!unemitted.isEmpty()) {
            RetentionGaps.Gap gap = unemitted.get(0);
            try {
                emit(gap);
            } catch (IOException e) {
                LOG.warn("Cannot emit the {} event of sequences {} to {} (retried at the next check): {}",
                        RetentionGaps.GAP_TYPE, gap.firstSeq(), gap.lastSeq(), e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            unemitted.remove(0);
        }
    }

    /** The id of a gap's event: the same for every worker on the durable that sees the same gap. */
    private String id(RetentionGaps.Gap gap) {
        return "mesh-gap-" + gap.stream() + "-" + gap.streamCreated().toEpochMilli() + "-" + source.durable()
                + "-" + gap.firstSeq() + "-" + gap.lastSeq();
    }

    private void emit(RetentionGaps.Gap gap) throws IOException, InterruptedException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stream", gap.stream());
        data.put("stream_created", Timestamps.format(gap.streamCreated()));
        data.put("first_seq", gap.firstSeq());
        data.put("last_seq", gap.lastSeq());
        data.put("count", gap.count());
        if (gap.after() != null) {
            data.put("after", Timestamps.format(gap.after()));
        }
        if (gap.before() != null) {
            data.put("before", Timestamps.format(gap.before()));
        }
        data.put("filter", source.filter());
        data.put("route", source.route());
        data.put("durable", source.durable());
        data.put("worker", source.node());
        try {
            if (bus == null) {
                bus = PersistentBus.attach(connection, source.node(), PersistConfig.defaults()
                        .withStreamName(source.stream()).withEmit(EMIT_TIMEOUT, 1));
            }
        } catch (JetStreamApiException e) {
            throw new IOException("stream " + source.stream() + ": " + e.getMessage(), e);
        }
        bus.emit(Event.user(source.node(), RetentionGaps.GAP_TYPE.substring("user.".length()), data), id(gap));
    }
}
