package io.meshbridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshbridge.events.EmitResult;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.StandardWebhooks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The HTTP ingest, independent of the transport: checks a request against every rule and emits its events,
 * answering only once the stream acknowledged them.
 *
 * <p><b>Endpoints.</b> {@code POST /ingest/<topic>}: the body, one JSON object, becomes the data of one event
 * {@code user.<topic>}; answer {@code 202 {"id","subject","seq"}} (plus {@code "duplicate":true} when the
 * stream already held that id). An {@code Idempotency-Key} header makes the id {@code ingest:<topic>:<key>},
 * so a retried request is stored once within the stream's duplicate window; without one, every request gets a
 * fresh id. {@code POST /ingest/alertmanager}: an Alertmanager webhook, one event per alert (see
 * {@link AlertmanagerEvents}); answer {@code 202 {"events":[{"id","subject","seq"},...]}}.
 *
 * <p><b>Rules, in the order they are checked.</b> 405 for another method than POST; 401 without a valid
 * bearer token (unless {@link IngestConfig.Auth#NONE}); 429 beyond the token's rate; 400 for an invalid or
 * reserved topic; 403 for a topic outside the token's prefixes; 400 for an invalid {@code X-Mesh-Node}, 403 for
 * one other than the token's bound node; 400 for an invalid {@code Idempotency-Key}; when signature secrets are
 * configured, 401 for a missing, stale or wrong Standard Webhooks signature (a signed request without an
 * {@code Idempotency-Key} is keyed by its {@code webhook-id}, the same on the sender's retries); 415 for a
 * {@code Content-Type} that is not JSON; 413 for a body above the limit; 400 for a body that is not a JSON
 * object within the depth limit (with the parser's reason); 503 with {@code Retry-After} when NATS is
 * unavailable, too many events await acknowledgement, or none came within the acknowledgement timeout.
 * Every error is {@code {"status":N,"reason":"..."}}; no reason holds a secret.
 *
 * <p><b>Threads.</b> {@link #handle} never blocks: checks run on the caller's thread, the returned future
 * completes on a jnats thread (or a timer's). Thread-safe.
 */
public final class IngestService {

    private static final System.Logger LOG = System.getLogger(IngestService.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IngestConfig config;
    private final IngestAuth auth;
    private final RateLimits rates;
    private final JsonBodies bodies;
    private final AckedEmits emits;
    private final PersistentBus bus;

    /**
     * An ingest emitting through {@code bus}, whose in-flight window must be larger than
     * {@link IngestConfig#maxInFlight()}; the bus's node name is the node of events whose request names none.
     */
    public IngestService(IngestConfig config, PersistentBus bus) {
        this(config, bus, System::nanoTime);
    }

    /** An ingest whose rate limit reads {@code nanoTime} (tests). */
    IngestService(IngestConfig config, PersistentBus bus, java.util.function.LongSupplier nanoTime) {
        this.config = config;
        this.auth = new IngestAuth(config.auth(), config.tokens());
        this.rates = new RateLimits(config.rateLimit(), nanoTime);
        this.bodies = new JsonBodies(config.maxBody(), config.maxDepth());
        this.emits = new AckedEmits(bus, config.ackTimeout(), config.maxInFlight());
        this.bus = bus;
    }

    /** The configuration in use. */
    public IngestConfig config() {
        return config;
    }

    /** Events awaiting their acknowledgement now, over all requests. */
    public int inFlight() {
        return emits.inFlight();
    }

    /** Answers {@code request}; the future never completes exceptionally. */
    public CompletableFuture<IngestResponse> handle(IngestRequest request) {
        try {
            return start(request).handle((response, error) -> error == null ? response : failed(error));
        } catch (IngestFailure e) {
            return CompletableFuture.completedFuture(failed(e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(e));
        }
    }

    /** The answer to a request that waited {@code millis} for the transport, longer than its whole budget. */
    public IngestResponse busy(long millis) {
        return IngestResponse.error(503, "the ingest is busy: the request waited " + millis + " ms for a thread;"
                + " nothing was emitted", retryAfterSeconds());
    }

    /** The answer when the transport gave up waiting for {@link #handle}. */
    public IngestResponse timedOut() {
        return IngestResponse.error(503, "the stream did not acknowledge in time", retryAfterSeconds());
    }

    private CompletableFuture<IngestResponse> start(IngestRequest request) throws IngestFailure {
        if (!request.method().equals("POST")) {
            throw new IngestFailure(405, "use POST");
        }
        String topic = request.topic();
        IngestAuth.Grant grant = auth.authenticate(request.header().apply("Authorization"));
        if (!rates.tryAcquire(grant.key())) {
            throw new IngestFailure(429, "more than " + config.rateLimit() + " requests per second for "
                    + grant.describe());
        }
        if (topic == null) {
            throw new IngestFailure(404, "expected POST /ingest/<topic> or POST /ingest/alertmanager");
        }
        boolean alertmanager = topic.equals(TopicRules.ALERTMANAGER);
        if (!alertmanager) {
            String problem = TopicRules.genericTopicProblem(topic);
            if (problem != null) {
                throw new IngestFailure(400, problem);
            }
            grant.requireTopic(topic);
        }
        String node = grant.node(request.header().apply("X-Mesh-Node"), emits.nodeName());
        String key = idempotencyKey("Idempotency-Key", request.header().apply("Idempotency-Key"));
        if (!config.signatureSecrets().isEmpty()) {
            String webhookId = request.header().apply(StandardWebhooks.ID_HEADER);
            StandardWebhooks.Verification v = StandardWebhooks.verify(webhookId,
                    request.header().apply(StandardWebhooks.TIMESTAMP_HEADER),
                    request.header().apply(StandardWebhooks.SIGNATURE_HEADER), request.body(),
                    config.signatureSecrets(), Instant.now());
            if (!v.valid()) {
                throw new IngestFailure(401, "signature: " + v.reason());
            }
            if (key == null) {
                key = idempotencyKey(StandardWebhooks.ID_HEADER, webhookId);
            }
        }
        requireJson(request.header().apply("Content-Type"));
        Map<String, Object> body = bodies.object(request.body());
        return alertmanager ? alerts(body, node, grant) : generic(topic, key, body, node);
    }

    private CompletableFuture<IngestResponse> generic(String topic, String key, Map<String, Object> data,
                                                      String node) {
        Event event = Event.user(node, topic, data);
        String id = key == null ? bus.bus().newId() : "ingest:" + topic + ":" + key;
        return emits.emitAll(List.of(event), List.of(id)).thenApply(acks -> {
            LOG.log(System.Logger.Level.DEBUG, "ingested {0} as {1}", event.type(), id);
            return new IngestResponse(202, json(ack(event, acks.get(0))), 0);
        });
    }

    private CompletableFuture<IngestResponse> alerts(Map<String, Object> body, String node, IngestAuth.Grant grant)
            throws IngestFailure {
        List<AlertmanagerEvents.Alert> alerts = AlertmanagerEvents.alerts(body, node);
        List<Event> events = new ArrayList<>(alerts.size());
        List<String> ids = new ArrayList<>(alerts.size());
        for (AlertmanagerEvents.Alert a : alerts) {
            grant.requireTopic(a.topic());
            events.add(a.event());
            ids.add(a.id());
        }
        return emits.emitAll(events, ids).thenApply(acks -> {
            List<Object> list = new ArrayList<>(acks.size());
            for (int i = 0; i < acks.size(); i++) {
                list.add(ack(events.get(i), acks.get(i)));
            }
            return new IngestResponse(202, json(Map.of("events", list)), 0);
        });
    }

    private static Map<String, Object> ack(Event event, EmitResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", result.id());
        m.put("subject", event.subject());
        m.put("seq", result.sequence());
        if (result.duplicate()) {
            m.put("duplicate", true);
        }
        return m;
    }

    private static String idempotencyKey(String header, String key) throws IngestFailure {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > 128) {
            throw new IngestFailure(400, header + " must be 1 to 128 characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IngestFailure(400, header + " must be printable ASCII without spaces");
            }
        }
        return key;
    }

    private static void requireJson(String contentType) throws IngestFailure {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !type.endsWith("+json")) {
            throw new IngestFailure(415, "Content-Type must be application/json, was " + type);
        }
    }

    private IngestResponse failed(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof IngestFailure f) {
            return IngestResponse.error(f.status(), f.getMessage(), f.retry() ? retryAfterSeconds() : 0);
        }
        LOG.log(System.Logger.Level.WARNING, "ingest request failed: {0}", e.toString());
        return IngestResponse.error(500, "internal error: " + e.getClass().getSimpleName(), 0);
    }

    private long retryAfterSeconds() {
        return Math.max(1, config.retryAfter().getSeconds());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
