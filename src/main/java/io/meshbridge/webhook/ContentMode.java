package io.meshbridge.webhook;

import java.util.Locale;
import java.util.Objects;

/**
 * What a webhook POSTs for an event.
 */
public enum ContentMode {
    /** The event's bytes as stored, byte for byte: {@code application/json}. */
    RAW("raw", "application/json"),
    /** A CloudEvents 1.0 structured event ({@link CloudEvent}): {@code application/cloudevents+json}. */
    CLOUDEVENTS("cloudevents", "application/cloudevents+json");

    private final String option;
    private final String contentType;

    ContentMode(String option, String contentType) {
        this.option = option;
        this.contentType = contentType;
    }

    /** The {@code Content-Type} of the body. */
    public String contentType() {
        return contentType;
    }

    /** The name in a configuration: {@code raw} or {@code cloudevents}. */
    public String option() {
        return option;
    }

    /**
     * The mode named {@code raw} or {@code cloudevents} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ContentMode parse(String option) {
        String o = Objects.requireNonNull(option, "content mode").trim().toLowerCase(Locale.ROOT);
        for (ContentMode m : values()) {
            if (m.option.equals(o)) {
                return m;
            }
        }
        throw new IllegalArgumentException("webhook content mode must be raw or cloudevents, was '" + option + "'");
    }
}
