package io.meshbridge.ingest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The Camel side of the HTTP ingest: turns a platform-http exchange on {@code /ingest/...} into an
 * {@link IngestRequest}, waits for the {@link IngestService}'s answer and writes it as the response (status,
 * JSON body, {@code Retry-After}); every request header is removed from the response.
 *
 * <p><b>Threads.</b> Camel's platform-http on Vert.x runs each exchange synchronously on a thread of the
 * Vert.x worker pool ({@code executeBlocking}), never on an event loop; this processor waits there, so a
 * request holds a worker thread while its events await their acknowledgement. The budget, the
 * acknowledgement timeout plus one second, counts from the request's arrival (its upload and its wait for a
 * free worker thread included): a request that waited longer than the budget for a thread is answered 503 at
 * once without emitting, so the client always gets an answer within about that bound, even while every
 * worker thread waits for a stream that does not acknowledge. Thread-safe.
 */
public final class IngestProcessor implements Processor {

    /** The path under which the endpoints live. */
    public static final String PATH = "/ingest";

    private final IngestService service;
    private final long waitMillis;

    /** A processor answering with {@code service}. */
    public IngestProcessor(IngestService service) {
        this.service = service;
        this.waitMillis = service.config().ackTimeout().toMillis() + 1_000;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, "", String.class);
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        byte[] body = in.getBody(byte[].class);
        IngestRequest request = new IngestRequest(method, topic(path, uri),
                name -> in.getHeader(name, String.class), body == null ? new byte[0] : body);
        IngestResponse response = answer(request, exchange.getClock().elapsed());
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (response.status() == 401) {
            in.setHeader("WWW-Authenticate", "Bearer realm=\"mesh-bridge ingest\"");
        }
        if (response.retryAfter() > 0) {
            in.setHeader("Retry-After", Long.toString(response.retryAfter()));
        }
        in.setBody(response.json() + "\n");
    }

    /**
     * The answer to {@code request}, which arrived {@code elapsedMillis} ago: refused at once (503) when it waited
     * for a thread longer than the whole budget, else awaited for what remains of it.
     */
    IngestResponse answer(IngestRequest request, long elapsedMillis) throws InterruptedException {
        long remaining = waitMillis - elapsedMillis;
        if (remaining <= 0) {
            return service.busy(elapsedMillis);
        }
        try {
            return service.handle(request).get(remaining, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return service.timedOut();
        } catch (ExecutionException e) {
            return IngestResponse.error(500, "internal error", 0);
        }
    }

    /**
     * The topic of a request path: the one segment after {@code /ingest/}, percent-decoded; {@code null} for
     * {@code /ingest}, {@code /ingest/} or a deeper path.
     */
    static String topic(String path, String uri) {
        String p = uri != null ? uri : path;
        if (p == null) {
            return null;
        }
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        int at = p.indexOf(PATH + "/");
        if (at < 0) {
            return null;
        }
        String rest = p.substring(at + PATH.length() + 1);
        if (rest.isEmpty() || rest.indexOf('/') >= 0) {
            return null;
        }
        try {
            return URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
