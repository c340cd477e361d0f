package io.meshbridge.camel;

import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pulling side of a {@link MeshConsumer}: {@code concurrentConsumers} threads fetch batches from the
 * durable and hand them to {@code dispatch}, never holding more than {@code maxAckPending} messages that
 * are not yet settled (each settled message gives its place back through {@link #release()}). A fetch
 * returns as soon as at least one message is there, or after the poll timeout. Fetch failures are retried
 * with a growing pause (at most 5 s) until {@link #stop()}.
 */
final class Fetcher {

    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
    private static final Duration MAX_ERROR_PAUSE = Duration.ofSeconds(5);

    private final JetStream js;
    private final String stream;
    private final String durable;
    private final MeshConfiguration config;
    private final Consumer<List<Message>> dispatch;
    private final ExecutorServiceManager executors;
    private final Object owner;
    /** Places for unsettled messages: {@code maxAckPending}, shared by the fetching threads. */
    private final Semaphore window;
    private final Set<FetchConsumer> openFetches = ConcurrentHashMap.newKeySet();
    private volatile boolean fetching;
    private volatile CountDownLatch stopSignal = new CountDownLatch(0);
    private ExecutorService threads;

    Fetcher(JetStream js, String stream, String durable, MeshConfiguration config,
            Consumer<List<Message>> dispatch, ExecutorServiceManager executors, Object owner) {
        this.js = js;
        this.stream = stream;
        this.durable = durable;
        this.config = config;
        this.dispatch = dispatch;
        this.executors = executors;
        this.owner = owner;
        this.window = new Semaphore(Math.max(0, config.getMaxAckPending()));
    }

    /** Whether the fetching threads run (false from {@link #stop()} on). */
    boolean isFetching() {
        return fetching;
    }

    /** Gives back the place of one settled message. */
    void release() {
        window.release();
    }

    synchronized void start() {
        stopSignal = new CountDownLatch(1);
        fetching = true;
        int count = config.getConcurrentConsumers();
        threads = executors.newFixedThreadPool(owner, "MeshConsumer[" + durable + "]", count);
        for (int i = 0; i < count; i++) {
            threads.execute(this::fetchLoop);
        }
    }

    /** Stops fetching at once: open pulls are closed; dispatched messages are not touched. */
    synchronized void stop() {
        fetching = false;
        stopSignal.countDown();
        for (FetchConsumer fetch : openFetches) {
            closeQuietly(fetch);
        }
        if (threads != null) {
            executors.shutdown(threads);
            threads = null;
        }
    }

    private void fetchLoop() {
        ConsumerContext context = null;
        Duration pause = Duration.ZERO;
        while (fetching) {
            int reserved = 0;
            List<Message> batch = new ArrayList<>();
            Exception failure = null;
            try {
                reserved = reserve();
                if (reserved == 0) {
                    continue;
                }
                if (context == null) {
                    context = js.getConsumerContext(stream, durable);
                }
                fetch(context, reserved, batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = e;
            } catch (Exception e) {
                failure = e;
            } finally {
                if (reserved > batch.size()) {
                    window.release(reserved - batch.size());
                }
            }
            dispatch.accept(batch);
            if (failure != null) {
                if (!fetching || Thread.currentThread().isInterrupted()) {
                    break;
                }
                context = null;
                pause = pause.isZero() ? Duration.ofMillis(100)
                        : pause.multipliedBy(2).compareTo(MAX_ERROR_PAUSE) > 0 ? MAX_ERROR_PAUSE : pause.multipliedBy(2);
                logFetchFailure(failure, pause);
                try {
                    stopSignal.await(pause.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } else if (!batch.isEmpty()) {
                pause = Duration.ZERO;
            }
        }
    }

    /** Takes between 1 and {@code batchSize} places in the window; 0 when none came free within a moment. */
    private int reserve() throws InterruptedException {
        if (!window.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            return 0;
        }
        int got = 1;
        while (got < config.getBatchSize() && window.tryAcquire()) {
            got++;
        }
        return got;
    }

    private void fetch(ConsumerContext context, int max, List<Message> into) throws Exception {
        FetchConsumeOptions options = FetchConsumeOptions.builder()
                .maxMessages(max)
                .noWaitExpiresIn(config.getPollTimeout().toMillis())
                .build();
        if (!fetching) {
            return;
        }
        FetchConsumer fetch = context.fetch(options);
        openFetches.add(fetch);
        try {
            Message msg;
            while ((msg = fetch.nextMessage()) != null) {
                if (msg.isJetStream()) {
                    into.add(msg);
                }
            }
        } finally {
            openFetches.remove(fetch);
            closeQuietly(fetch);
        }
    }

    private void logFetchFailure(Exception e, Duration pause) {
        if (e instanceof JetStreamApiException api && api.getApiErrorCode() == DurableSetup.CONSUMER_NOT_FOUND) {
            LOG.error("Durable {} on stream {} no longer exists; retrying in {} ms (restart the route to create"
                    + " it again)", durable, stream, pause.toMillis());
        } else if (pause.equals(MAX_ERROR_PAUSE)) {
            LOG.warn("Fetching from durable {} failed: {}; retrying in {} ms", durable, e.toString(), pause.toMillis());
        } else {
            LOG.debug("Fetching from durable {} failed: {}; retrying in {} ms", durable, e.toString(), pause.toMillis());
        }
    }

    private static void closeQuietly(FetchConsumer fetch) {
        try {
            fetch.close();
        } catch (Exception e) {
            LOG.debug("Closing a fetch failed: {}", e.toString());
        }
    }
}
