package io.meshbridge.camel;

import io.nats.client.JetStream;
import io.nats.client.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.spi.ExecutorServiceManager;

/**
 * The pulling side of a {@link MeshConsumer}: {@code concurrentConsumers} threads, each a {@link Puller} on a
 * pull subscription of its own bound to the durable, hand batches of messages to the consumer.
 *
 * <p><b>Window.</b> The threads together never ask for more than {@code maxAckPending} messages minus those
 * delivered and not yet settled ({@link #release()} gives a place back) minus those already asked for. The
 * server enforces the same limit on the durable.
 *
 * <p><b>Runs.</b> Each {@link #start()} begins a new {@link Run}; {@link #stop()} ends it at once. The threads
 * of a run check their own run, never a shared flag: a thread that is still inside a synchronous route when its
 * run ends stops after that exchange, hands the rest of its batch back and leaves, even if a newer run has
 * started meanwhile, so there are never more than {@code concurrentConsumers} threads dispatching.
 *
 * <p>Thread-safe.
 */
final class Fetcher {

    /** Receives the batches of the pulling threads, on those threads. */
    interface Dispatch {
        /** Hands over fetched messages; {@code run} tells whether fetching is still wanted. */
        void accept(List<Message> batch, Run run);
    }

    /** One period of fetching, from {@link #start()} to {@link #stop()}. */
    static final class Run {
        private final CountDownLatch ended = new CountDownLatch(1);
        private final CountDownLatch threadsLeft;
        private final List<Run> earlier;

        Run(int threads, List<Run> earlier) {
            this.threadsLeft = new CountDownLatch(threads);
            this.earlier = earlier;
        }

        /**
         * Waits until every thread of the runs before this one has left (one may still be finishing an exchange
         * in a synchronous route), so that at most {@code concurrentConsumers} threads dispatch at any time;
         * returns false when this run ended first.
         */
        boolean awaitPreviousThreads() throws InterruptedException {
            for (Run before : earlier) {
                while (!before.threadsLeft.await(50, TimeUnit.MILLISECONDS)) {
                    if (!active()) {
                        return false;
                    }
                }
            }
            return active();
        }

        boolean threadsAllLeft() {
            return threadsLeft.getCount() == 0;
        }

        /** A thread of this run has left. */
        void threadLeft() {
            threadsLeft.countDown();
        }

        /** Whether this run goes on. */
        boolean active() {
            return ended.getCount() > 0;
        }

        /** Waits up to {@code millis} or until the run ends; returns whether it ended. */
        boolean awaitEnd(long millis) throws InterruptedException {
            return ended.await(millis, TimeUnit.MILLISECONDS);
        }

        void end() {
            ended.countDown();
        }
    }

    private final JetStream js;
    private final String stream;
    private final String durable;
    private final MeshConfiguration config;
    private final Dispatch dispatch;
    private final ExecutorServiceManager executors;
    private final Object owner;
    /** Messages delivered to this consumer and not yet settled. */
    private final AtomicInteger unsettled = new AtomicInteger();
    /** Messages asked for by live pull requests of all threads and not yet delivered. */
    private final AtomicInteger requested = new AtomicInteger();
    private final Object roomSignal = new Object();
    private final AtomicInteger waitingForRoom = new AtomicInteger();
    private Run run;
    /** Runs with threads that have not left yet: the threads of a new run wait for theirs. */
    private final List<Run> unfinished = new ArrayList<>();
    private final List<Puller> pullers = new ArrayList<>();
    private ExecutorService threads;

    Fetcher(JetStream js, String stream, String durable, MeshConfiguration config, Dispatch dispatch,
            ExecutorServiceManager executors, Object owner) {
        this.js = js;
        this.stream = stream;
        this.durable = durable;
        this.config = config;
        this.dispatch = dispatch;
        this.executors = executors;
        this.owner = owner;
    }

    /** Starts a new run of {@code concurrentConsumers} threads; a running one is ended first. */
    synchronized void start() {
        stop();
        int count = config.getConcurrentConsumers();
        unfinished.removeIf(Run::threadsAllLeft);
        run = new Run(count, List.copyOf(unfinished));
        unfinished.add(run);
        threads = executors.newFixedThreadPool(owner, "MeshConsumer[" + durable + "]", count);
        for (int i = 0; i < count; i++) {
            Puller puller = new Puller(this, run);
            pullers.add(puller);
            threads.execute(puller::loop);
        }
    }

    /**
     * Ends the current run at once: the server is told to send nothing more to its subscriptions, then its
     * threads hand back what they fetched and did not start.
     */
    synchronized void stop() {
        pullers.forEach(Puller::stopReceiving);
        pullers.clear();
        if (run != null) {
            run.end();
            run = null;
        }
        synchronized (roomSignal) {
            roomSignal.notifyAll();
        }
        if (threads != null) {
            executors.shutdown(threads);
            threads = null;
        }
    }

    /** Gives back the place of one settled message. */
    void release() {
        unsettled.decrementAndGet();
        if (waitingForRoom.get() > 0) {
            synchronized (roomSignal) {
                roomSignal.notifyAll();
            }
        }
    }

    // ---- for the pullers ----------------------------------------------------------------------------

    JetStream js() {
        return js;
    }

    String stream() {
        return stream;
    }

    String durable() {
        return durable;
    }

    MeshConfiguration config() {
        return config;
    }

    void dispatch(List<Message> batch, Run of) {
        dispatch.accept(batch, of);
    }

    /** Places free in the window for new pull requests. */
    int room() {
        return config.getMaxAckPending() - unsettled.get() - requested.get();
    }

    void requested(int n) {
        requested.addAndGet(n);
    }

    /** Messages arrived: {@code asked} by a known pull request, {@code unasked} by one already forgotten. */
    void delivered(int asked, int unasked) {
        if (asked > 0) {
            requested.addAndGet(-asked);
        }
        unsettled.addAndGet(asked + unasked);
    }

    /** Waits up to {@code millis} for a place in the window, or for the run to end. */
    void awaitRoom(Run of, long millis) throws InterruptedException {
        synchronized (roomSignal) {
            waitingForRoom.incrementAndGet();
            try {
                if (room() <= 0 && of.active()) {
                    roomSignal.wait(millis);
                }
            } finally {
                waitingForRoom.decrementAndGet();
            }
        }
    }
}
