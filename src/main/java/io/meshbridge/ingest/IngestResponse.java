package io.meshbridge.ingest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The answer to an ingest request: a status, a JSON body and, for 429 and 503, the seconds after which to
 * retry.
 *
 * @param status     the HTTP status
 * @param json       the body, a JSON object
 * @param retryAfter seconds for {@code Retry-After}, or 0 for none
 */
public record IngestResponse(int status, String json, long retryAfter) {

    /** Validates the status. */
    public IngestResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100 to 599, was " + status);
        }
        if (retryAfter < 0) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
    }

    /** An error: {@code {"status":N,"reason":"..."}}. */
    public static IngestResponse error(int status, String reason, long retryAfter) {
        return new IngestResponse(status, "{\"status\":" + status + ",\"reason\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(reason)) + "\"}", retryAfter);
    }
}
