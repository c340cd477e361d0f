package io.meshbridge.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.meshbridge.events.Event;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Turns a producer's message body into the {@link Event} to emit.
 *
 * <ul>
 *   <li>{@code mesh:emit}: an {@link Event} (or {@link ReceivedEvent}); a {@code Map} with the envelope's
 *   members {@code type} (required), {@code node}, {@code timestamp} ({@code Instant}, RFC 3339 text or any
 *   {@code java.time} instant) and {@code data} (a {@code Map} or {@code null}); or the JSON envelope as text or
 *   bytes (any body Camel converts to {@code byte[]}).</li>
 *   <li>{@code mesh:user/<topic>}: the body is the data: a {@code Map}, a JSON object as text or bytes, or
 *   {@code null}.</li>
 * </ul>
 * A body that cannot be an event is a {@link MeshPermanentException}: sending it again cannot succeed.
 */
final class EventBodies {

    private static final Set<String> MEMBERS = Set.of("type", "node", "timestamp", "data");
    private static final ObjectReader JSON_OBJECT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .readerFor(LinkedHashMap.class);

    private EventBodies() {
    }

    /** The event to emit for the exchange's body. */
    static Event toEvent(Exchange exchange, String userTopic, EventCodec codec) {
        Object body = exchange.getIn().getBody();
        try {
            return userTopic == null ? envelope(exchange, body, codec) : Event.user("", userTopic, data(exchange, body));
        } catch (MeshPermanentException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MeshPermanentException("cannot emit the body: " + e.getMessage(), e);
        }
    }

    private static Event envelope(Exchange exchange, Object body, EventCodec codec) {
        if (body instanceof Event event) {
            return event;
        }
        if (body instanceof ReceivedEvent received) {
            return received.event();
        }
        if (body instanceof Map<?, ?> map) {
            return fromMap(map);
        }
        if (body == null) {
            throw new MeshPermanentException("cannot emit an empty body: send an Event, a Map or the JSON envelope");
        }
        byte[] bytes = bytes(exchange, body);
        try {
            return codec.decode("", bytes).event();
        } catch (EventDecodeException e) {
            throw new MeshPermanentException("the body is not an event envelope: " + e.reason(), e);
        }
    }

    private static Map<String, ?> data(Exchange exchange, Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof Map<?, ?> map) {
            return stringKeys(map, "data");
        }
        if (body instanceof Event) {
            throw new MeshPermanentException("mesh:user/<topic> takes the data (a Map or a JSON object), not an"
                    + " Event; send Events to mesh:emit");
        }
        byte[] bytes = bytes(exchange, body);
        try {
            Map<?, ?> parsed = JSON_OBJECT.readValue(bytes);
            return parsed == null ? null : stringKeys(parsed, "data");
        } catch (IOException e) {
            throw new MeshPermanentException("the body is not a JSON object: " + (e instanceof JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private static byte[] bytes(Exchange exchange, Object body) {
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        byte[] converted = exchange.getContext().getTypeConverter().tryConvertTo(byte[].class, exchange, body);
        if (converted == null) {
            throw new MeshPermanentException("cannot emit a body of type " + body.getClass().getName()
                    + ": send an Event, a Map or JSON");
        }
        return converted;
    }

    /** The event described by a map of the envelope's members. */
    static Event fromMap(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!MEMBERS.contains(key)) {
                throw new IllegalArgumentException("unknown member '" + key + "' in the event map; the members are "
                        + "type, node, timestamp and data");
            }
        }
        if (!(map.get("type") instanceof String type)) {
            throw new IllegalArgumentException("the event map needs a 'type' string");
        }
        Object node = map.get("node");
        if (node != null && !(node instanceof String)) {
            throw new IllegalArgumentException("'node' must be a string");
        }
        Object data = map.get("data");
        if (data != null && !(data instanceof Map)) {
            throw new IllegalArgumentException("'data' must be a map or null");
        }
        return new Event(type, node == null ? "" : (String) node, instant(map.get("timestamp")),
                data == null ? null : stringKeys((Map<?, ?>) data, "data"));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof CharSequence text) {
            return Timestamps.parse(text);
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof TemporalAccessor t) {
            return Instant.from(t);
        }
        throw new IllegalArgumentException("'timestamp' must be an Instant or RFC 3339 text, was "
                + value.getClass().getName());
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map, String what) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("the keys of " + what + " must be strings, found "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
            }
            out.put(key, e.getValue());
        }
        return out;
    }
}
