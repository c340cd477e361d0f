package io.meshbridge.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.StoredDeadLetter;
import io.nats.client.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.apache.camel.CamelContext;

/**
 * The dead-letter operations of the API, on {@value MeshConstants#DLQ_STREAM} (ids are the dead letters'
 * sequences there, as strings):
 *
 * <ul>
 *   <li>{@code GET /dlq?route=&limit=&cursor=}: dead letters oldest first, {@code limit} 1 to 1000 (default
 *       100) per page, or fewer once their payloads pass {@value #PAGE_BYTES} bytes (at least one); {@code next}
 *       is the opaque cursor of the next page, {@code null} at the end; {@code total} counts the dead letters of
 *       the route (or all) when the page was read. Each one as {@link DeadLetterJson} shows it. A route's dead
 *       letters are those on its subject {@code mesh.dlq.<route>}. O(limit): one NATS request per dead letter
 *       and one more, whatever the stream holds.</li>
 *   <li>{@code DELETE /dlq/{id}}: {@code {"deleted":"<id>"}}; {@code 404} when there is no such dead letter.</li>
 *   <li>{@code POST /dlq/redrive}: see {@link RedriveRequest} and {@link DeadLetterRedriver}.</li>
 * </ul>
 *
 * <p>Bad parameters and bodies are {@code 400} naming them (a query parameter not listed above too); NATS
 * failures {@code 503}. Thread-safe. Unlike the other operations, a redrive holds its HTTP worker thread for as
 * long as the route takes (at most {@link DeadLetterRedriver#MAX_WAIT} per dead letter).
 */
public final class DeadLetterApi {

    /** The most payload bytes one page carries (before JSON), unless its first dead letter alone is larger. */
    static final long PAGE_BYTES = 4L << 20;

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final DeadLetterQueue queue;
    private final DeadLetterRedriver redriver;

    private DeadLetterApi(CamelContext context, Connection connection) {
        try {
            this.queue = new DeadLetterQueue(connection.jetStreamManagement());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.redriver = new DeadLetterRedriver(context, queue);
    }

    /** Adds the dead-letter operations on {@code connection}'s dead-letter stream and {@code context}'s routes. */
    public static void register(ApiRouter router, CamelContext context, Connection connection) {
        DeadLetterApi api = new DeadLetterApi(context, connection);
        router.add("GET", "/dlq", Set.of("route", "limit", "cursor"), "Dead letters, oldest first, with their error"
                + " and attempts; paged by the cursor of the answer's next.", api::list);
        router.add("POST", "/dlq/redrive", "Send dead letters back to the route that failed them, and only to it;"
                + " each one redriven successfully is removed from the dead-letter stream.", api::redrive);
        router.add("DELETE", "/dlq/{id}", "Delete one dead letter.", api::delete);
    }

    private ApiResponse list(ApiRequest request) {
        String route = request.param("route");
        int limit = request.intParam("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String cursor = request.param("cursor");
        long from = cursor == null ? 1 : DeadLetterJson.fromCursor(cursor);
        String subject = route == null ? DeadLetterQueue.ALL : StoredDeadLetter.subjectOf(route.strip());
        long total = queue.count(subject);
        DeadLetterQueue.Page page = queue.page(subject, from, limit, PAGE_BYTES);
        ArrayNode letters = ApiJson.MAPPER.createArrayNode();
        page.letters().forEach(letter -> letters.add(DeadLetterJson.of(letter)));
        ObjectNode body = ApiJson.object();
        body.set("deadLetters", letters);
        body.put("total", total);
        body.put("next", page.next() == 0 ? null : DeadLetterJson.cursor(page.next()));
        return ApiResponse.ok(body);
    }

    private ApiResponse delete(ApiRequest request) {
        long id = DeadLetterJson.id("id", request.pathParam("id"));
        if (!queue.delete(id)) {
            throw ApiException.notFound("no dead letter with id " + id + " (deleted, redriven or expired)");
        }
        return ApiResponse.ok(ApiJson.object().put("deleted", Long.toString(id)));
    }

    private ApiResponse redrive(ApiRequest request) throws InterruptedException {
        return ApiResponse.ok(redriver.redrive(RedriveRequest.parse(request.jsonBody())));
    }
}
