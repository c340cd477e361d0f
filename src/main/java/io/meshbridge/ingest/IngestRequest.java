package io.meshbridge.ingest;

import java.util.Objects;
import java.util.function.Function;

/**
 * One HTTP request to an ingest endpoint, as the transport hands it over.
 *
 * @param method the HTTP method
 * @param topic  the decoded path segment after {@code /ingest/} ({@code alertmanager} for the Alertmanager
 *               endpoint), or {@code null} when the path has none or more than one segment
 * @param header the request's header of a name (case-insensitive), or {@code null}
 * @param body   the body's bytes, possibly empty
 */
public record IngestRequest(String method, String topic, Function<String, String> header, byte[] body) {

    /** Requires method, header lookup and body. */
    public IngestRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(body, "body");
    }
}
