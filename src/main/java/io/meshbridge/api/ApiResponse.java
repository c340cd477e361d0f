package io.meshbridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The answer of an API operation: a status and a JSON body.
 *
 * @param status the HTTP status (200 to 599)
 * @param body   the JSON body
 */
public record ApiResponse(int status, JsonNode body) {

    /** Validates the status; requires a body. */
    public ApiResponse {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200 to 599, was " + status);
        }
        Objects.requireNonNull(body, "body");
    }

    /** {@code 200} with {@code body}. */
    public static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body);
    }
}
