package io.meshbridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/dlq/redrive}: which dead letters, exactly one of {@code {"all":true}},
 * {@code {"route":"R"}} or {@code {"ids":["12","13"]}}, and {@code limit}, the most dead letters one call
 * considers (1 to {@value #MAX_LIMIT}, default {@value #MAX_LIMIT}; a list of ids may not be longer).
 *
 * @param all   every dead letter
 * @param route only this route's, or {@code null}
 * @param ids   these, in the order given, without repeats; empty unless chosen
 * @param limit the most dead letters considered
 */
record RedriveRequest(boolean all, String route, List<Long> ids, int limit) {

    /** The largest and default {@code limit}. */
    static final int MAX_LIMIT = 1000;

    private static final Set<String> FIELDS = Set.of("all", "route", "ids", "limit");

    /** Validates: exactly one selection, a limit in range. */
    RedriveRequest {
        ids = List.copyOf(ids);
        int chosen = (all ? 1 : 0) + (route != null ? 1 : 0) + (ids.isEmpty() ? 0 : 1);
        if (chosen != 1) {
            throw new IllegalArgumentException("exactly one of all, route and ids must be chosen");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
    }

    /**
     * The request a JSON body asks for.
     *
     * @throws ApiException 400 naming the field that is wrong, unknown, or missing
     */
    static RedriveRequest parse(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown field '" + ApiJson.printable(name)
                        + "': the body takes exactly one of all, route or ids, and optionally limit");
            }
        }
        JsonNode all = given(body, "all");
        JsonNode route = given(body, "route");
        JsonNode ids = given(body, "ids");
        int chosen = (all != null ? 1 : 0) + (route != null ? 1 : 0) + (ids != null ? 1 : 0);
        if (chosen != 1) {
            throw ApiException.badRequest("the body must choose exactly one of all (true), route (a route id) or"
                    + " ids (a list of dead-letter ids); it chose " + (chosen == 0 ? "none" : chosen));
        }
        int limit = MAX_LIMIT;
        JsonNode l = given(body, "limit");
        if (l != null) {
            if (!l.canConvertToInt() || !l.isIntegralNumber() || l.asInt() < 1 || l.asInt() > MAX_LIMIT) {
                throw ApiException.badRequest("limit must be an integer from 1 to " + MAX_LIMIT + ", was "
                        + ApiJson.printable(l.toString()));
            }
            limit = l.asInt();
        }
        if (all != null && !(all.isBoolean() && all.booleanValue())) {
            throw ApiException.badRequest("all must be true, was " + ApiJson.printable(all.toString()));
        }
        if (route != null && !(route.isTextual() && !route.textValue().isBlank())) {
            throw ApiException.badRequest("route must be a route id (a non-empty string), was "
                    + ApiJson.printable(route.toString()));
        }
        return new RedriveRequest(all != null, route == null ? null : route.textValue().strip(),
                ids == null ? List.of() : ids(ids, limit), limit);
    }

    private static JsonNode given(JsonNode body, String name) {
        JsonNode node = body.get(name);
        return node == null || node.isNull() ? null : node;
    }

    private static List<Long> ids(JsonNode ids, int limit) {
        if (!ids.isArray() || ids.isEmpty()) {
            throw ApiException.badRequest("ids must be a non-empty list of dead-letter ids such as [\"12\",\"13\"],"
                    + " was " + ApiJson.printable(ids.toString()));
        }
        if (ids.size() > limit) {
            throw ApiException.badRequest("ids lists " + ids.size() + " dead letters, more than limit (" + limit
                    + ") allows in one call");
        }
        Set<Long> out = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            String text = id.isTextual() ? id.textValue() : id.isIntegralNumber() ? id.asText() : id.toString();
            out.add(DeadLetterJson.id("ids[" + i + "]", text));
        }
        return new ArrayList<>(out);
    }
}
