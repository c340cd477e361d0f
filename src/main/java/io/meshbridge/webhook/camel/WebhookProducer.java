package io.meshbridge.webhook.camel;

import io.meshbridge.camel.ConsumedEvent;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.camel.MeshPermanentException;
import io.meshbridge.camel.MeshHandBackException;
import io.meshbridge.webhook.CloudEvent;
import io.meshbridge.webhook.ContentMode;
import io.meshbridge.webhook.Outcome;
import io.meshbridge.webhook.WebhookClient;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of {@code webhook-out:}: POSTs the event that a {@code mesh:} consumer delivered in the exchange
 * to the endpoint of its {@link WebhookSettings}, and completes the exchange with the verdict, so that the
 * consumer acknowledges the event only after a 2xx answer.
 *
 * <p><b>Request.</b> The body is the event as stored (from the exchange property
 * {@link MeshConstants#RECEIVED_EVENT_PROPERTY}; earlier steps' changes to the body are not used), or its
 * CloudEvents 1.0 structured form; {@code webhook-id} is the event's id ({@code Nats-Msg-Id}, else
 * {@code <stream>:<sequence>}), the same on every attempt and after a restart, so receivers can deduplicate;
 * signed by the Standard Webhooks scheme when a secret is set. An exchange without a consumed event fails with a
 * {@link MeshPermanentException}.
 *
 * <p><b>Verdict</b> ({@link Outcome}): 2xx completes the exchange; a connection error, a timeout, 408, 429 or
 * 5xx fails it retriably (with {@code Retry-After} as the delay when given), so the consumer retries it on its
 * {@code backoff} through the stream; any other status fails it permanently, so it is dead-lettered at once
 * with the status and a bounded excerpt of the answer. 410 Gone, or failures without a success for
 * {@code pauseAfter}, pause the route ({@link Pausing}) and the event is retried once it resumes.
 *
 * <p><b>Concurrency.</b> At most {@code maxInFlight} requests at once; further exchanges wait in memory (their
 * number is bounded by the consumer's {@code maxAckPending}) without blocking the consumer's threads. With
 * {@code ordered=true} one event per subject at a time ({@link SubjectOrder}). {@code rateLimit} spaces request
 * starts. Each producer has its own HTTP client and threads: a slow or dead endpoint holds only its own route.
 *
 * <p><b>Stop and pause.</b> Waiting exchanges (not yet sent) are handed back ({@link MeshHandBackException}: no
 * attempt counted, never dead-lettered), so another consumer takes their events; so is an exchange whose turn
 * comes while its route is paused, and one whose request the stopping client cut off. Requests in flight at a
 * graceful stop end by their answer or their timeout. Thread-safe.
 */
public class WebhookProducer extends DefaultAsyncProducer implements ShutdownPrepared {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookProducer.class);
    private static final long ORDER_CHECK_SECONDS = 5;

    private final WebhookEndpoint endpoint;
    private final WebhookCounts counts = new WebhookCounts();
    private WebhookOptions options;
    private WebhookClient client;
    private InFlightLimit limit;
    private RatePacer pacer;
    private SubjectOrder order;
    private Pausing pausing;
    private ScheduledExecutorService timer;

    WebhookProducer(WebhookEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        options = endpoint.getSettings().validated();
        client = new WebhookClient(options.target(), WebhookClient.DEFAULT_MAX_RETRY_AFTER, options.maxInFlight());
        limit = new InFlightLimit(options.maxInFlight());
        pacer = new RatePacer(options.rateLimit(), System.nanoTime());
        order = options.ordered() ? new SubjectOrder() : null;
        timer = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "MeshWebhook[" + endpoint.getName() + "]");
        pausing = new Pausing(getEndpoint().getCamelContext(), options, timer);
        if (order != null) {
            timer.scheduleWithFixedDelay(this::expireBlocks, ORDER_CHECK_SECONDS, ORDER_CHECK_SECONDS, TimeUnit.SECONDS);
        }
        LOG.info("Posting events to {} ({}, {} in flight at most{}{})", options.origin(),
                options.target().contentMode().option(),
                options.maxInFlight(), options.ordered() ? ", in order per subject" : "",
                options.rateLimit() > 0 ? ", " + options.rateLimit() + "/s at most" : "");
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ConsumedEvent event = exchange.getProperty(MeshConstants.RECEIVED_EVENT_PROPERTY, ConsumedEvent.class);
        if (event == null) {
            exchange.setException(new MeshPermanentException("webhook-out: needs an event delivered by a mesh:"
                    + " consumer (exchange property " + MeshConstants.RECEIVED_EVENT_PROPERTY + ")"));
            callback.done(true);
            return true;
        }
        Attempt attempt = new Attempt(exchange, callback, event);
        if (order == null) {
            limit.run(attempt);
        } else {
            order.admit(event.subject(), event.position().sequence(), new InFlightLimit.Task() {
                @Override
                public void start() {
                    limit.run(attempt);
                }

                @Override
                public void abandon() {
                    attempt.abandon();
                }
            });
        }
        return false;
    }

    /** One exchange's request, from its start to the exchange's completion. */
    private final class Attempt implements InFlightLimit.Task {
        private final Exchange exchange;
        private final AsyncCallback callback;
        private final ConsumedEvent event;
        private long startNanos;

        Attempt(Exchange exchange, AsyncCallback callback, ConsumedEvent event) {
            this.exchange = exchange;
            this.callback = callback;
            this.event = event;
        }

        @Override
        public void start() {
            if (pausing.paused(exchange)) {
                handBack("the route is paused");
                return;
            }
            long wait = pacer.reserve(System.nanoTime());
            if (wait > 0) {
                try {
                    timer.schedule(this::send, wait, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException stopping) {
                    handBack("the route is stopping");
                }
                return;
            }
            send();
        }

        /** Gives the event back unposted: its place in flight is freed, its subject waits for its redelivery. */
        private void handBack(String why) {
            try {
                limit.release();
                if (order != null) {
                    order.ended(event.subject(), event.position().sequence(), true, System.nanoTime());
                }
                exchange.setException(new MeshHandBackException("webhook-out: " + event.id() + " not posted: " + why));
            } finally {
                callback.done(false);
            }
        }

        private void send() {
            byte[] body;
            try {
                body = options.target().contentMode() == ContentMode.CLOUDEVENTS
                        ? CloudEvent.encode(event.raw(), event.subject(), event.id(), event.head()) : event.raw();
            } catch (RuntimeException e) {
                ended(Outcome.ofFailure(new IllegalArgumentException("the event cannot be put in CloudEvents form: "
                        + e.getMessage(), e), Duration.ZERO));
                return;
            }
            startNanos = System.nanoTime();
            client.send(event.id(), System.currentTimeMillis() / 1000, body).whenComplete((outcome, error) ->
                    ended(error == null ? outcome : Outcome.ofFailure(error, Duration.ofNanos(System.nanoTime()
                            - startNanos))));
        }

        private void ended(Outcome outcome) {
            if (WebhookClient.CLOSED.equals(outcome.reason())) {
                handBack("the route stopped while it was being posted");
                return;
            }
            try {
                limit.release();
                counts.record(outcome);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("POST {} of {} (attempt {}): {} in {} ms", options.origin(), event.id(),
                            event.deliveries(), outcome, (System.nanoTime() - startNanos) / 1_000_000);
                }
                RuntimeException failure;
                try {
                    failure = pausing.verdict(exchange, event, outcome);
                } catch (RuntimeException e) {
                    failure = new WebhookFailedException(Pausing.describe(outcome, options.origin())
                            + " (and its verdict failed: " + e + ")");
                }
                if (failure != null) {
                    exchange.setException(failure);
                }
                if (order != null) {
                    order.ended(event.subject(), event.position().sequence(), failure != null
                            && !MeshPermanentException.isPermanent(failure) && !pausing.lastAttempt(exchange),
                            System.nanoTime());
                }
            } finally {
                callback.done(false); // whatever happened above, the exchange completes and its event is settled
            }
        }

        @Override
        public void abandon() {
            exchange.setException(new MeshHandBackException("webhook-out: the route stopped before " + event.id()
                    + " was posted"));
            callback.done(false);
        }
    }

    private void expireBlocks() {
        long overdue = pausing.redeliveryOverdueNanos();
        int lifted;
        try {
            lifted = order.expire(System.nanoTime(), overdue);
        } catch (RuntimeException e) { // a periodic task that throws is never run again
            LOG.warn("Lifting overdue per-subject blocks of {} failed: {}", options.origin(), e.toString());
            return;
        }
        if (lifted > 0) {
            LOG.warn("{} subject(s) of {} waited more than {} s for the retry of an earlier event (another worker"
                    + " took it, or it was dead-lettered): their later events go on", lifted, options.origin(),
                    overdue / 1_000_000_000L);
        }
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        abandonWaiting();
    }

    @Override
    protected void doStop() throws Exception {
        abandonWaiting();
        if (client != null) {
            client.close(); // before the timer: the attempts it ends may still schedule on it
        }
        if (timer != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(timer);
        }
        super.doStop();
    }

    private void abandonWaiting() {
        if (order != null) {
            order.drain().forEach(InFlightLimit.Task::abandon);
        }
        if (limit != null) {
            limit.drain().forEach(InFlightLimit.Task::abandon);
        }
    }

    /** Attempts and their outcomes so far. */
    public WebhookCounts counts() {
        return counts;
    }
}
