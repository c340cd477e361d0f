package io.meshbridge.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's operations by method and path template ({@code /connectors/{id}/pause}: literal segments and
 * {@code {name}} segments matching any one non-empty segment), and the dispatch of a request to the one that
 * matches: {@code 404} when no template matches the path, {@code 405} naming the allowed methods when one
 * matches with another method, {@code 400} naming the first query parameter the operation does not take (so a
 * misspelt {@code limt=5} is never ignored silently), before the operation runs. Operations are added before the
 * router is used (not thread-safe while adding); dispatching is thread-safe.
 */
public final class ApiRouter {

    /**
     * One operation.
     *
     * @param method  the HTTP method, upper case
     * @param path    its path template below {@code /api}
     * @param query   the names of the query parameters it takes; any other is refused with {@code 400}
     * @param summary one line for the operation's documentation
     * @param handler the operation
     */
    public record Operation(String method, String path, Set<String> query, String summary, ApiHandler handler) {
        /** Validates the template: starts with {@code /}, no empty segment; copies the parameter names. */
        public Operation {
            method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || path.contains("//") || (path.length() > 1 && path.endsWith("/"))) {
                throw new IllegalArgumentException("bad path template " + path);
            }
            query = Set.copyOf(query);
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(handler, "handler");
        }

        /**
         * Refuses a query with a parameter not among {@link #query} ({@code 400} naming the first unknown one, in
         * name order, and the known ones), then one with a parameter given more than once ({@code repeated}).
         */
        void checkQuery(Map<String, String> params, Set<String> repeated) {
            TreeSet<String> unknown = new TreeSet<>(params.keySet());
            unknown.removeAll(query);
            if (!unknown.isEmpty()) {
                throw ApiException.badRequest("unknown parameter " + ApiJson.printable(unknown.first())
                        + (query.isEmpty() ? " (this operation takes none)"
                        : " (known: " + String.join(", ", new TreeSet<>(query)) + ")"));
            }
            if (!repeated.isEmpty()) {
                throw ApiException.badRequest("parameter " + ApiJson.printable(new TreeSet<>(repeated).first())
                        + " is given more than once");
            }
        }

        String[] segments() {
            return path.substring(1).split("/", -1);
        }
    }

    private final List<Operation> operations = new ArrayList<>();

    /**
     * Adds an operation that takes no query parameter.
     *
     * @throws IllegalArgumentException when the method and template are taken
     */
    public ApiRouter add(String method, String path, String summary, ApiHandler handler) {
        return add(method, path, Set.of(), summary, handler);
    }

    /**
     * Adds an operation taking the query parameters {@code query} (and refusing any other).
     *
     * @throws IllegalArgumentException when the method and template are taken
     */
    public ApiRouter add(String method, String path, Set<String> query, String summary, ApiHandler handler) {
        Operation op = new Operation(method, path, query, summary, handler);
        for (Operation o : operations) {
            if (o.method().equals(op.method()) && o.path().equals(op.path())) {
                throw new IllegalArgumentException(op.method() + " " + op.path() + " is added twice");
            }
        }
        operations.add(op);
        return this;
    }

    /** Every operation, in the order added. */
    public List<Operation> operations() {
        return List.copyOf(operations);
    }

    /**
     * Answers {@code method} on {@code rawPath} (below {@code /api}, still percent-encoded) with
     * {@code query} and {@code body}.
     *
     * @throws ApiException 404 or 405 when no operation matches, 400 when {@code query} has a parameter the
     *                      operation does not take, or what the operation throws
     */
    public ApiResponse dispatch(String method, String rawPath, Map<String, String> query, byte[] body)
            throws Exception {
        return dispatch(method, rawPath, query, Set.of(), body);
    }

    /**
     * As {@link #dispatch(String, String, Map, byte[])}, for a query string that gave the parameters
     * {@code repeated} more than once ({@code query} holds their first values): {@code 400} naming the first
     * of them, once the path is known to be an operation that takes them ({@code limit=5&limit=1000} has no
     * one meaning).
     */
    public ApiResponse dispatch(String method, String rawPath, Map<String, String> query, Set<String> repeated,
                                byte[] body) throws Exception {
        String[] raw = rawPath == null || rawPath.isEmpty() || rawPath.equals("/") ? new String[] {""}
                : rawPath.substring(rawPath.startsWith("/") ? 1 : 0).split("/", -1);
        String[] segments = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            segments[i] = decode(raw[i]);
        }
        TreeSet<String> allowed = new TreeSet<>();
        String m = method.toUpperCase(Locale.ROOT);
        for (Operation op : operations) {
            Map<String, String> params = match(op.segments(), segments);
            if (params == null) {
                continue;
            }
            if (op.method().equals(m)) {
                op.checkQuery(query, repeated);
                return op.handler().handle(new ApiRequest(m, "/" + String.join("/", segments), params, query, body));
            }
            allowed.add(op.method());
        }
        if (!allowed.isEmpty()) {
            throw new ApiException(405, "method " + ApiJson.printable(method) + " is not allowed here; allowed: "
                    + String.join(", ", allowed));
        }
        throw ApiException.notFound("no API operation at /api" + ApiJson.printable(rawPath)
                + " (the operations are listed in /api/openapi.json)");
    }

    private static Map<String, String> match(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (segments[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), segments[i]);
            } else if (!t.equals(segments[i])) {
                return null;
            }
        }
        return params;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad percent-encoding in the path");
        }
    }
}
