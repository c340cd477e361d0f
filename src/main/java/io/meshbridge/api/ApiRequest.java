package io.meshbridge.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * One API request, as the router hands it to an operation.
 *
 * @param method     the HTTP method, upper case
 * @param path       the path below {@code /api}, e.g. {@code /connectors/archive/pause}, percent-decoded per
 *                   segment
 * @param pathParams the values of the operation's {@code {name}} segments
 * @param query      the query parameters (each given once)
 * @param body       the request body, empty when none
 */
public record ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, String> query,
                         byte[] body) {

    /** Requires every member; copies the maps. */
    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** The path parameter {@code name} (the router guarantees it exists). */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("no path parameter " + name);
        }
        return value;
    }

    /** The query parameter {@code name}, or {@code null} when absent or empty. */
    public String param(String name) {
        String value = query.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * The integer query parameter {@code name} within {@code min..max}, else {@code fallback} when absent.
     *
     * @throws ApiException 400 naming the parameter when it is not such an integer
     */
    public int intParam(String name, int min, int max, int fallback) {
        String value = param(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name + " must be an integer from " + min + " to " + max + ", was '"
                + ApiJson.printable(value) + "'");
    }

    /**
     * The time query parameter {@code name} (RFC 3339, e.g. {@code 2026-12-01T10:00:00Z}), or {@code null} when
     * absent.
     *
     * @throws ApiException 400 naming the parameter when it is not such a time
     */
    public Instant timeParam(String name) {
        String value = param(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an RFC 3339 time such as 2026-12-01T10:00:00Z, was '"
                    + ApiJson.printable(value) + "'");
        }
    }

    /**
     * The body as a JSON object; an empty body is an empty object.
     *
     * @throws ApiException 400 when the body is not a JSON object
     */
    public JsonNode jsonBody() {
        if (body.length == 0) {
            return ApiJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = ApiJson.MAPPER.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + ApiJson.printable(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiException.badRequest("the body cannot be read: " + ApiJson.printable(e.getMessage()));
        }
        throw ApiException.badRequest("the body must be a JSON object");
    }
}
