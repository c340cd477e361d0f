package io.meshbridge.camel;

import io.nats.client.JetStream;
import io.nats.client.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.spi.ExecutorServiceManager;

/**
 * The fetching side of a {@link MeshConsumer}: one receiving thread ({@link Puller}, {@code MeshFetch[<durable>]})
 * reads what the durable delivers, registers each message at once as a {@link Delivery} (so it is kept alive
 * from its arrival, however long it waits) and queues it; {@code concurrentConsumers} dispatching threads
 * ({@code MeshConsumer[<durable>]}) take batches from that queue and hand them to the consumer, running
 * synchronous routes themselves. A dispatcher stuck in a long exchange holds only its own batch: the others go
 * on with the queue.
 *
 * <p><b>Window.</b> The receiver never asks for more than {@code maxAckPending} messages minus those delivered and
 * not yet settled (queued ones included; {@link #release()} gives a place back) minus those already asked for.
 * The server enforces the same limit on the durable. Once the window is full, the receiver asks again only when
 * {@link #refill()} places are free (half a batch, or half the window when it is smaller than a batch), not for
 * every settled message: a route slower than its deliveries (a webhook, a bridge, the archive) would otherwise
 * cost a pull request, a server round and a wake-up of the receiving thread per event, while the window still
 * holds the route's next work.
 *
 * <p><b>Runs.</b> Each {@link #start()} begins a new {@link Run}; {@link #stop()} ends it at once. The threads
 * check their own run, never a shared flag: a dispatcher still inside a synchronous route when its run ends
 * stops after that exchange and hands the rest of its batch back; the dispatchers of a newer run wait until
 * every dispatcher of the older runs has left, so there are never more than {@code concurrentConsumers}
 * dispatching threads and a single one keeps stream order.
 *
 * <p>Thread-safe.
 */
final class Fetcher {

    /** What the fetcher works for: the consumer. */
    interface Sink {
        /** Registers a delivered message; called on the receiving thread as it arrives. */
        Delivery delivered(Message message, long receivedNanos);

        /** Dispatches a batch, on a dispatching thread; {@code run} tells whether fetching is still wanted. */
        void dispatch(List<Delivery> batch, Run run);
    }

    /** One period of fetching, from {@link #start()} to {@link #stop()}. */
    static final class Run {
        private final CountDownLatch ended = new CountDownLatch(1);
        private final CountDownLatch dispatchersLeft;
        private final List<Run> earlier;
        private final LinkedBlockingQueue<List<Delivery>> queue = new LinkedBlockingQueue<>();

        Run(int dispatchers, List<Run> earlier) {
            this.dispatchersLeft = new CountDownLatch(dispatchers);
            this.earlier = earlier;
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

        /** Waits until the dispatchers of earlier runs have left; false when this run ended first. */
        boolean awaitEarlierDispatchers() throws InterruptedException {
            for (Run before : earlier) {
                while (!before.dispatchersLeft.await(50, TimeUnit.MILLISECONDS)) {
                    if (!active()) {
                        return false;
                    }
                }
            }
            return active();
        }

        boolean dispatchersAllLeft() {
            return dispatchersLeft.getCount() == 0;
        }

        void queue(List<Delivery> batch) {
            queue.add(batch);
        }

        List<Delivery> next(long millis) throws InterruptedException {
            return queue.poll(millis, TimeUnit.MILLISECONDS);
        }

        List<Delivery> nextNow() {
            return queue.poll();
        }
    }

    private final JetStream js;
    private final String stream;
    private final String durable;
    private final MeshConfiguration config;
    private final Sink sink;
    private final ExecutorServiceManager executors;
    private final Object owner;
    /** Messages delivered to this consumer and not yet settled. */
    private final AtomicInteger unsettled = new AtomicInteger();
    /** Messages asked for by live pull requests and not yet delivered. */
    private final AtomicInteger requested = new AtomicInteger();
    private final Object roomSignal = new Object();
    private final AtomicInteger waitingForRoom = new AtomicInteger();
    private final int refill;
    private final int chunk;
    /** Runs whose dispatchers have not all left: the dispatchers of a new run wait for theirs. */
    private final List<Run> unfinished = new ArrayList<>();
    private Run run;
    private Puller puller;
    private ExecutorService threads;

    Fetcher(JetStream js, String stream, String durable, MeshConfiguration config, Sink sink,
            ExecutorServiceManager executors, Object owner) {
        this.js = js;
        this.stream = stream;
        this.durable = durable;
        this.config = config;
        this.sink = sink;
        this.executors = executors;
        this.owner = owner;
        this.refill = Math.max(1, Math.min(config.getBatchSize(), config.getMaxAckPending()) / 2);
        int dispatchers = config.getConcurrentConsumers();
        this.chunk = Math.max(1, (config.getBatchSize() + dispatchers - 1) / dispatchers);
    }

    /** Starts a new run: one receiving and {@code concurrentConsumers} dispatching threads. */
    synchronized void start() {
        stop();
        int count = config.getConcurrentConsumers();
        unfinished.removeIf(Run::dispatchersAllLeft);
        Run started = new Run(count, List.copyOf(unfinished));
        unfinished.add(started);
        run = started;
        puller = new Puller(this, started);
        threads = executors.newFixedThreadPool(owner, "MeshConsumer[" + durable + "]", count);
        executors.newThread("MeshFetch[" + durable + "]", puller::loop).start();
        for (int i = 0; i < count; i++) {
            threads.execute(() -> dispatchLoop(started));
        }
    }

    /**
     * Ends the current run at once: the server is told to send nothing more to its subscription, then its
     * threads hand back what was fetched and not started.
     */
    synchronized void stop() {
        if (puller != null) {
            puller.stopReceiving();
            puller = null;
        }
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
        if (waitingForRoom.get() > 0 && room() >= refill) {
            synchronized (roomSignal) {
                roomSignal.notifyAll();
            }
        }
    }

    private void dispatchLoop(Run of) {
        try {
            if (of.awaitEarlierDispatchers()) {
                while (of.active()) {
                    List<Delivery> batch = of.next(100);
                    if (batch != null) {
                        sink.dispatch(batch, of);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (of) {
                returnQueued(of);
                of.dispatchersLeft.countDown();
            }
        }
    }

    /**
     * At the end of the receiving thread: hands back what it queued after the last dispatcher left. While a
     * dispatcher is still there, that dispatcher does it when it leaves, after the rest of its own batch, so
     * messages are handed back in the order they came and never dispatched by two threads.
     */
    void receiverLeft(Run of) {
        synchronized (of) {
            if (of.dispatchersAllLeft()) {
                returnQueued(of);
            }
        }
    }

    /** Hands the queued batches of an ended run back (or finishes them, if the shutdown says so). */
    private void returnQueued(Run of) {
        for (List<Delivery> batch = of.nextNow(); batch != null; batch = of.nextNow()) {
            sink.dispatch(batch, of);
        }
    }

    // ---- for the receiver ---------------------------------------------------------------------------

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

    Sink sink() {
        return sink;
    }

    /** Places free in the window for new pull requests. */
    int room() {
        return config.getMaxAckPending() - unsettled.get() - requested.get();
    }

    /**
     * The fewest places worth a pull request once the window is full: half of {@code batchSize} or of
     * {@code maxAckPending}, whichever is smaller, at least 1.
     */
    int refill() {
        return refill;
    }

    /**
     * The most deliveries queued as one dispatching thread's batch: {@code batchSize} divided among the
     * {@code concurrentConsumers} (rounded up), so that what one read brings is shared by all of them.
     */
    int chunk() {
        return chunk;
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

    /** Waits up to {@code millis} for {@link #refill()} places in the window, or for the run to end. */
    void awaitRoom(Run of, long millis) throws InterruptedException {
        synchronized (roomSignal) {
            waitingForRoom.incrementAndGet();
            try {
                if (room() < refill && of.active()) {
                    roomSignal.wait(millis);
                }
            } finally {
                waitingForRoom.decrementAndGet();
            }
        }
    }
}
