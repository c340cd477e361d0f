package io.meshbridge.archive;

import java.time.Instant;
import java.util.Objects;

/**
 * An event a route gave up on and wrote to the dead-letter stream, by its place in the event stream (the
 * dead letter's {@code Mesh-Original-Stream} and {@code Mesh-Original-Sequence} headers).
 *
 * @param stream   the event stream's name
 * @param sequence the event's sequence in it, 1 or more
 * @param stored   when the dead letter was stored; tells which incarnation of the stream the event was of
 * @param route    the route that gave up ({@code Mesh-Route})
 */
public record DeadLetter(String stream, long sequence, Instant stored, String route) {

    /** Validates the members. */
    public DeadLetter {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(route, "route");
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("stream name must not be empty");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("stream sequence must be at least 1, was " + sequence);
        }
    }
}
