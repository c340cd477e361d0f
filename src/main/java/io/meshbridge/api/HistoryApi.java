package io.meshbridge.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.meshbridge.archive.ArchiveHistory;
import io.meshbridge.archive.ArchiveReadException;
import io.meshbridge.events.Bus;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.EventTypes;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.ReceivedEvent;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history operations of the API, read-only:
 * <ul>
 *   <li>{@code GET /history?filter=&limit=&since=&until=&cursor=}: stored events oldest first, from the stream
 *       and, for what it no longer holds, from the archive ({@link HistoryPaging}); {@code filter} as the CLI
 *       takes it (with or without {@code events.}, default every event), {@code limit} 1 to
 *       {@value #MAX_LIMIT} messages a page (default {@value #DEFAULT_LIMIT}), {@code since} (inclusive) and
 *       {@code until} (exclusive) RFC 3339 stored times, {@code cursor} the {@code next} of the previous page,
 *       sent with the same other parameters;</li>
 *   <li>{@code GET /history/last?filter=&by=&window=}: with {@code by=subject} (the default) the last stored
 *       message of every matching subject ({@link LastEvents}), at most {@value LastEvents#MAX_SUBJECTS}
 *       subjects; with {@code by=node} the last event of every matching (subject, node) pair among the stream's
 *       last {@code window} messages, 1 to {@value LastByNode#MAX_WINDOW} (default
 *       {@value LastByNode#DEFAULT_WINDOW}), at most {@value LastByNode#MAX_PAIRS} pairs ({@link LastByNode}),
 *       its answer also saying {@code undecodableCount}, {@code fromSequence}, {@code toSequence} and
 *       {@code windowed}.</li>
 * </ul>
 * Answers are {@code {"events":[...],"undecodable":[...],"next":...}} ({@code next} only for pages): each event
 * exactly as {@code mesh-bridge events list --json} prints it (the event in Go's JSON form, from the same
 * codec); each stored message that is not an event is listed in {@code undecodable} with its stream, sequence,
 * stored time, subject, reason and size, never dropped, and counts towards the limit like an event, so a page
 * stays bounded however many messages do not decode ({@code by=node} lists the last of each subject, counting
 * them all in {@code undecodableCount}).
 *
 * <p>Refusals: 400 naming the parameter (an unknown one too, refused by the {@link ApiRouter}), 503 when NATS
 * does not answer, 500 when the archive cannot be read (logged). Thread-safe.
 */
public final class HistoryApi {

    /** The most messages one page holds. */
    public static final int MAX_LIMIT = 1000;
    /** The messages a page holds when no limit is given. */
    public static final int DEFAULT_LIMIT = 100;

    private static final Logger LOG = LoggerFactory.getLogger(HistoryApi.class);
    private static final Set<String> PAGE_PARAMS = Set.of("filter", "limit", "since", "until", "cursor");
    private static final Set<String> LAST_PARAMS = Set.of("filter", "by", "window");

    private final HistoryPaging paging;
    private final LastEvents last;
    private final LastByNode lastByNode;
    private final EventCodec codec;

    private HistoryApi(HistoryPaging paging, LastEvents last, LastByNode lastByNode, EventCodec codec) {
        this.paging = paging;
        this.last = last;
        this.lastByNode = lastByNode;
        this.codec = codec;
    }

    /**
     * Adds {@code GET /history} and {@code GET /history/last} on {@code stream} to {@code router}, reaching into
     * the archive below {@code archiveDir} ({@code null}: the stream alone; a directory that does not exist holds
     * nothing). Never creates or changes the stream.
     *
     * @throws IllegalArgumentException when {@code stream} is not a valid stream name
     */
    public static void register(ApiRouter router, Connection connection, String stream, Path archiveDir)
            throws IOException {
        PersistConfig.defaults().withStreamName(stream);
        ArchiveHistory archive = archiveDir == null ? null : ArchiveHistory.of(connection, stream, archiveDir);
        HistoryApi api = new HistoryApi(new HistoryPaging(connection, stream, archive),
                new LastEvents(connection, stream), new LastByNode(connection, stream), Bus.codecFor(connection));
        router.add("GET", "/history", PAGE_PARAMS, "Events oldest first (each as the CLI's --json prints it),"
                + " from the stream and, for older ranges, from the archive; paged by the opaque cursor of the answer's"
                + " next.", api::page);
        router.add("GET", "/history/last", LAST_PARAMS, "The last event of every subject matching the filter, or"
                + " with by=node of every (subject, node) pair among the stream's last window messages (e.g. the"
                + " latest node.health of every node), at most 1000.", api::last);
    }

    private ApiResponse page(ApiRequest request) throws Exception {
        String filter = filter(request);
        int limit = request.intParam("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        Instant since = request.timeParam("since");
        Instant until = request.timeParam("until");
        if (since != null && until != null && !until.isAfter(since)) {
            throw ApiException.badRequest("until must be after since, was since " + since + ", until " + until);
        }
        String cursor = request.param("cursor");
        HistoryCursor after = cursor == null ? null : HistoryCursor.decode(cursor);
        HistoryPaging.Page page = read(() -> paging.page(new HistoryPaging.Query(filter, since, until, limit),
                after));
        ObjectNode body = body(page.events(), page.undecodable());
        if (page.next() == null) {
            body.putNull("next");
        } else {
            body.put("next", page.next().encode());
        }
        return ApiResponse.ok(body);
    }

    private ApiResponse last(ApiRequest request) throws Exception {
        String filter = filter(request);
        String by = request.param("by");
        if (by == null || by.equals("subject")) {
            if (request.param("window") != null) {
                throw ApiException.badRequest("window applies to by=node only");
            }
            LastEvents.Answer answer = read(() -> last.last(filter));
            return ApiResponse.ok(body(answer.events(), answer.undecodable()));
        }
        if (!by.equals("node")) {
            throw ApiException.badRequest("by must be subject or node, was '" + ApiJson.printable(by) + "'");
        }
        int window = request.intParam("window", 1, LastByNode.MAX_WINDOW, LastByNode.DEFAULT_WINDOW);
        LastByNode.Answer answer = read(() -> lastByNode.last(filter, window));
        ObjectNode body = body(answer.events(), answer.undecodable()).put("undecodableCount",
                answer.undecodableCount());
        if (answer.range() == null) {
            body.putNull("fromSequence").putNull("toSequence");
        } else {
            body.put("fromSequence", answer.range().from()).put("toSequence", answer.range().to());
        }
        return ApiResponse.ok(body.put("windowed", answer.windowed()));
    }

    private static String filter(ApiRequest request) {
        String value = request.param("filter");
        if (value == null) {
            return PersistConfig.SUBJECTS;
        }
        try {
            return EventTypes.filterFromUserInput(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("filter: " + ApiJson.printable(e.getMessage()));
        }
    }

    /** The answer's events, each in Go's JSON form verbatim, and its undecodable messages. */
    private ObjectNode body(List<ReceivedEvent> events, List<EventDecodeException> undecodable) {
        ObjectNode body = ApiJson.object();
        ArrayNode out = body.putArray("events");
        List<EventDecodeException> failed = new ArrayList<>(undecodable);
        for (ReceivedEvent event : events) {
            byte[] json;
            try {
                json = codec.encode(event.event());
            } catch (IllegalArgumentException e) {
                // stored, decodable, but not writable in Go's form within the payload limit: reported, not dropped
                failed.add(new EventDecodeException(event.subject(), event.raw(), e.getMessage(), e)
                        .at(event.position()));
                continue;
            }
            out.addRawValue(new RawValue(new String(json, StandardCharsets.UTF_8)));
        }
        ArrayNode bad = body.putArray("undecodable");
        for (EventDecodeException e : failed) {
            ObjectNode entry = bad.addObject();
            if (e.position() != null) {
                entry.put("stream", e.position().stream()).put("sequence", e.position().sequence())
                        .put("time", e.position().time().toString());
            }
            entry.put("subject", e.subject()).put("reason", ApiJson.printable(e.reason())).put("bytes", e.raw().length);
        }
        return body;
    }

    /** Runs a read, turning NATS and archive failures into the API's refusals. */
    private static <T> T read(Read<T> read) throws Exception {
        try {
            return read.run();
        } catch (JetStreamApiException e) {
            throw new ApiException(503, "NATS refused the history read: " + ApiJson.printable(e.getErrorDescription()),
                    e);
        } catch (ArchiveReadException e) {
            LOG.warn("history: the archive cannot be read: {}", e.getMessage(), e);
            throw new ApiException(500, "the archive cannot be read (logged by the worker)", e);
        } catch (IOException e) {
            throw new ApiException(503, "NATS did not answer the history read: " + ApiJson.printable(e.getMessage()),
                    e);
        }
    }

    /** One read of the stream or the archive. */
    @FunctionalInterface
    private interface Read<T> {
        T run() throws IOException, JetStreamApiException, ArchiveReadException;
    }
}
