package io.meshbridge.app;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.Error;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What the process tests do and check with plain jnats and plain files, never through the product's code:
 * publishing events with ids, reading consumer state, reading the id files the routes write.
 */
final class PlainNats {

    private PlainNats() {
    }

    /**
     * Publishes {@code count} events of type {@code type} on {@code events.<type>}, each with a fresh
     * {@code Nats-Msg-Id}, and returns the ids whose publish the stream acknowledged, in order.
     */
    static List<String> publish(Connection nc, String type, int count) throws Exception {
        JetStream js = nc.jetStream();
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = type + "-" + i + "-" + UUID.randomUUID();
            String json = "{\"type\":\"" + type + "\",\"node\":\"it\",\"timestamp\":\"" + Instant.now()
                    + "\",\"data\":{\"i\":" + i + "}}";
            Headers headers = new Headers().put("Nats-Msg-Id", id);
            NatsMessage msg = NatsMessage.builder().subject("events." + type).headers(headers)
                    .data(json.getBytes(StandardCharsets.UTF_8)).build();
            ids.add(id);
            acks.add(js.publishAsync(msg));
        }
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PublishAck ack = acks.get(i).get();
            if (ack.getSeqno() > 0 && !ack.isDuplicate()) {
                acked.add(ids.get(i));
            }
        }
        return acked;
    }

    /** The durable's state on the server. */
    /** The last message of {@code stream} on {@code subject}, or {@code null} when there is none; other errors throw. */
    static MessageInfo lastMessage(Connection nc, String stream, String subject) throws Exception {
        try {
            return nc.jetStreamManagement().getLastMessage(stream, subject);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != Error.JsNoMessageFoundErr.getApiErrorCode()) {
                throw e;
            }
            return null;
        }
    }

    static ConsumerInfo consumer(Connection nc, String stream, String durable)
            throws IOException, JetStreamApiException {
        return nc.jetStreamManagement().getConsumerInfo(stream, durable);
    }

    /** Whether the durable has nothing left: no message pending delivery and none awaiting acknowledgement. */
    static boolean drained(Connection nc, String stream, String durable) throws Exception {
        ConsumerInfo info = consumer(nc, stream, durable);
        return info.getNumPending() == 0 && info.getNumAckPending() == 0;
    }

    /** The complete lines of {@code file} (a last line without its newline is still being written). */
    static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        return List.of(text.substring(0, end).split("\n", -1));
    }

    /** How often each line occurs in all of {@code files}. */
    static Map<String, Integer> counts(List<Path> files) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (Path f : files) {
            for (String line : lines(f)) {
                counts.merge(line, 1, Integer::sum);
            }
        }
        return counts;
    }
}
