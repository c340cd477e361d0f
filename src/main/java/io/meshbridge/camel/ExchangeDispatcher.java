package io.meshbridge.camel;

import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.EventHead;
import io.meshbridge.events.StreamPosition;
import io.nats.client.Message;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.ShutdownRunningTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link MeshConsumer} turns deliveries into exchanges and ends them: registers each delivered message
 * (and checks its envelope) on the receiving thread, and on a dispatching thread skips replays, dead-letters
 * what is not an event or was delivered too often, hands the rest to the route, and settles each exchange
 * when it completes (acknowledge; retry with the backoff; dead-letter after {@code maxDeliver} attempts or a
 * {@link MeshPermanentException}). Thread-safe.
 */
final class ExchangeDispatcher implements Fetcher.Sink {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeDispatcher.class);

    private final MeshConsumer consumer;
    private final MeshConfiguration config;
    private final EventCodec codec;
    private final Settlements settlements;
    private final Collection<Delivery> inFlight;
    private final RetrySchedule retries;
    private final Duration longestBackoff;
    private final Supplier<ShutdownRunningTask> shutdownRunningTask;
    private final ConsumerStats stats;

    ExchangeDispatcher(MeshConsumer consumer, MeshConfiguration config, EventCodec codec, Settlements settlements,
                       Collection<Delivery> inFlight, RetrySchedule retries,
                       Supplier<ShutdownRunningTask> shutdownRunningTask, ConsumerStats stats) {
        this.consumer = consumer;
        this.config = config;
        this.codec = codec;
        this.settlements = settlements;
        this.inFlight = inFlight;
        this.retries = retries;
        this.longestBackoff = retries.longest();
        this.shutdownRunningTask = shutdownRunningTask;
        this.stats = stats;
    }

    @Override
    public Delivery delivered(Message message, long receivedNanos) {
        Delivery d = new Delivery(message, receivedNanos);
        inFlight.add(d);
        stats.countDelivery();
        try {
            d.scanned(codec.scan(message.getSubject(), message.getData()), null);
        } catch (EventDecodeException e) {
            d.scanned(null, EventDecodeException.class.getName() + ": " + e.getMessage());
        }
        return d;
    }

    @Override
    public void dispatch(List<Delivery> deliveries, Fetcher.Run run) {
        for (int i = 0; i < deliveries.size(); i++) {
            if (!run.active() && shutdownRunningTask.get() != ShutdownRunningTask.CompleteAllTasks) {
                for (int j = i; j < deliveries.size(); j++) {
                    settlements.handBack(deliveries.get(j));
                }
                LOG.debug("Stopping: returned {} fetched message(s) to durable {}", deliveries.size() - i,
                        consumer.getDurable());
                return;
            }
            dispatch(deliveries.get(i));
        }
    }

    private void dispatch(Delivery d) {
        Exchange exchange = null;
        try {
            if (settlements.settledEarlier(d)) {
                return;
            }
            if (!config.isIncludeReplays() && d.isReplay()) {
                settlements.ack(d);
                return;
            }
            if (d.deliveries() > config.getMaxDeliver()) {
                settlements.deadLetter(d, "delivered " + d.deliveries() + " times, more than maxDeliver="
                        + config.getMaxDeliver() + ": an earlier attempt did not finish (the worker stopped or lost"
                        + " its connection)");
                return;
            }
            if (d.head() == null && !config.isRaw()) {
                settlements.deadLetter(d, d.undecodable());
                return;
            }
            exchange = consumer.createExchange(false);
            populate(exchange, d, d.head(), codec);
            Exchange ex = exchange;
            consumer.getAsyncProcessor().process(exchange, doneSync -> completed(d, ex));
        } catch (Throwable t) {
            if (exchange != null) {
                exchange.setException(t);
                completed(d, exchange);
            } else {
                LOG.warn("Could not hand {} to the route: {}", d, t.toString());
                settlements.nak(d, backoffFor(d.deliveries()));
            }
        }
    }

    /**
     * Fills a new exchange from a delivery: the payload as body, the {@link MeshMessage} headers, the consumed
     * event (or, for a payload that is not an event, its id) as exchange property. Also used by redrives, so a
     * redriven event looks to the route as it did when it was delivered.
     */
    static void populate(Exchange exchange, Delivery d, EventHead head, EventCodec codec) {
        Message msg = d.message();
        MeshMessage in = new MeshMessage(exchange, d, head);
        in.setBody(msg.getData());
        exchange.setIn(in);
        if (head != null) {
            exchange.setProperty(MeshConstants.RECEIVED_EVENT_PROPERTY, new ConsumedEvent(codec, msg.getSubject(),
                    msg.getData(), head, d.eventId(), new StreamPosition(d.stream(), d.sequence(), d.streamTime()),
                    d.deliveries(), msg.hasHeaders() ? msg.getHeaders() : null));
        } else {
            exchange.setProperty(MeshConsumer.CONSUMED_ID_PROPERTY, d.eventId());
        }
        exchange.setProperty(ExchangePropertyKey.CHARSET_NAME, "UTF-8");
    }

    /** Called once the exchange has completed, on whatever thread completed it. */
    private void completed(Delivery d, Exchange exchange) {
        if (!d.complete()) {
            return;
        }
        Throwable error = exchange.getException();
        boolean failed = error != null || exchange.isRollbackOnly() || exchange.isRollbackOnlyLast();
        consumer.releaseExchange(exchange, false);
        if (!failed) {
            settlements.ack(d);
            return;
        }
        if (MeshHandBackException.isHandBack(error)) {
            settlements.handBack(d);
            return;
        }
        stats.countFailure();
        if (MeshPermanentException.isPermanent(error) || d.deliveries() >= config.getMaxDeliver()) {
            settlements.deadLetter(d, DeadLetters.describe(error));
        } else {
            Duration delay = retryDelay(error, d.deliveries());
            LOG.debug("Attempt {} of {} failed ({}); retrying in {}", d.deliveries(), d, error, delay);
            settlements.nak(d, delay);
        }
    }

    /**
     * The backoff delay after {@code attempt}, or the longer delay the error asks for, bounded by the longest
     * backoff delay: a peer can slow the retries down, never speed them up (a {@code Retry-After: 0} during an
     * outage would spend every attempt within seconds).
     */
    private Duration retryDelay(Throwable error, long attempt) {
        Duration scheduled = backoffFor(attempt);
        return MeshRetryException.delayOf(error).map(asked -> {
            Duration bounded = asked.compareTo(longestBackoff) > 0 ? longestBackoff : asked;
            return bounded.compareTo(scheduled) < 0 ? scheduled : bounded;
        }).orElse(scheduled);
    }

    private Duration backoffFor(long attempt) {
        return retries.delayAfter(attempt);
    }
}
