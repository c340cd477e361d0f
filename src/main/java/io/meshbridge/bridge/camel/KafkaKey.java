package io.meshbridge.bridge.camel;

import io.meshbridge.camel.ConsumedEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Which part of an event {@code mesh-to-kafka} sends as the Kafka record's key, and so which events share a
 * partition and keep their order there: {@code node} (the default: each node's events in order),
 * {@code type}, {@code subject}, {@code id}, {@code none} (no key: Kafka spreads the records, no order), or
 * {@code data.<field>}, a top-level field of the event's data as text (a string as it is, a number or boolean
 * as written in JSON; absent or {@code null}: no key). Only {@code data.<field>} decodes the event's data.
 * The key is UTF-8 text. Immutable.
 *
 * @param source what the key is made of
 * @param field  the data field of {@link Source#DATA}, else {@code null}
 */
record KafkaKey(Source source, String field) {

    /** What the key is made of. */
    enum Source { NODE, TYPE, SUBJECT, ID, NONE, DATA }

    /** Checks that a data key names its field. */
    KafkaKey {
        if ((source == Source.DATA) != (field != null && !field.isEmpty())) {
            throw new IllegalArgumentException("a data key names its field: data.<field>");
        }
    }

    /** The key named by the parameter {@code key}, naming it in errors. */
    static KafkaKey parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.startsWith("data.") && v.length() > "data.".length()) {
            return new KafkaKey(Source.DATA, v.substring("data.".length()));
        }
        for (Source s : Source.values()) {
            if (s != Source.DATA && s.name().equalsIgnoreCase(v)) {
                return new KafkaKey(s, null);
            }
        }
        throw new IllegalArgumentException("bridge parameter key must be node, type, subject, id, none or"
                + " data.<field>, was '" + value + "'");
    }

    /** The key of {@code event}, or {@code null} for none. */
    byte[] of(ConsumedEvent event) {
        String text = switch (source) {
            case NODE -> event.head().node();
            case TYPE -> event.head().type();
            case SUBJECT -> event.subject();
            case ID -> event.id();
            case NONE -> null;
            case DATA -> dataField(event.received().event().data());
        };
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private String dataField(Map<String, Object> data) {
        Object v = data == null ? null : data.get(field);
        return v == null || v instanceof Map || v instanceof Iterable ? null : v.toString();
    }

    @Override
    public String toString() {
        return source == Source.DATA ? "data." + field : source.name().toLowerCase(java.util.Locale.ROOT);
    }
}
