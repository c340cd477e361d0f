package io.meshbridge.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel side of the API: turns a platform-http exchange on {@code /api/...} into a dispatch of the
 * {@link ApiRouter} after the {@link ApiAuth} check, and writes the answer as JSON. Refusals are
 * {@code {"status":..,"reason":..}} with their status ({@code 401} with {@code WWW-Authenticate}); an
 * unexpected failure is {@code 500} with a generic reason, logged with its cause. No request header is echoed
 * in the response. Runs on the HTTP server's worker threads; thread-safe.
 */
public final class ApiProcessor implements Processor {

    /** The path under which the API lives. */
    public static final String PATH = "/api";

    private static final Logger LOG = LoggerFactory.getLogger(ApiProcessor.class);

    private final ApiAuth auth;
    private final ApiRouter router;

    /** A processor admitting by {@code auth} and answering with {@code router}. */
    public ApiProcessor(ApiAuth auth, ApiRouter router) {
        this.auth = auth;
        this.router = router;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        String authorization = in.getHeader("Authorization", String.class);
        byte[] body = in.getBody(byte[].class);
        ApiResponse response;
        if (!auth.allows(authorization)) {
            response = new ApiResponse(401, ApiJson.error(401, auth.refusal()));
        } else {
            response = answer(method, uri, body);
        }
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (response.status() == 401) {
            in.setHeader("WWW-Authenticate", "Bearer realm=\"mesh-bridge api\"");
        }
        try {
            in.setBody(ApiJson.MAPPER.writeValueAsString(response.body()) + "\n");
        } catch (Exception e) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
            in.setBody("{\"status\":500,\"reason\":\"internal error\"}\n");
        }
    }

    private ApiResponse answer(String method, String uri, byte[] body) {
        String path = uri == null ? PATH : uri;
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        int at = path.indexOf(PATH);
        String below = at < 0 ? "" : path.substring(at + PATH.length());
        try {
            Set<String> repeated = new TreeSet<>();
            Map<String, String> params = query(query, repeated);
            return router.dispatch(method, below, params, repeated, body);
        } catch (ApiException e) {
            if (e.getCause() != null) {
                LOG.debug("API {} {}: {} {}", method, below, e.status(), e.getMessage(), e.getCause());
            }
            return new ApiResponse(e.status(), ApiJson.error(e.status(), e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ApiResponse(503, ApiJson.error(503, "the worker is stopping"));
        } catch (Exception e) {
            LOG.warn("API {} {} failed", method, ApiJson.printable(below), e);
            return new ApiResponse(500, ApiJson.error(500, "internal error (logged by the worker)"));
        }
    }

    /**
     * The query string's parameters, percent-decoded, with the first value of each; the names given more than
     * once are added to {@code repeated} (the router refuses them once it knows the path is an operation).
     */
    static Map<String, String> query(String query, Set<String> repeated) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (out.putIfAbsent(name, value) != null) {
                repeated.add(name);
            }
        }
        return out;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad percent-encoding in the query");
        }
    }
}
