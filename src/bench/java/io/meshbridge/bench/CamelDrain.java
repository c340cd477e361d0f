package io.meshbridge.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * The Camel floor of the consumer benchmark, run as its own JVM: {@link RawDrain}'s loop (a legacy pull
 * subscription bound to a durable, {@code fetch(batch, 2 s)}, {@code ack()} each) with one thing added, each
 * message put through a Camel route as an exchange before its acknowledgement. The route is the product
 * benchmark's (one no-op {@code setProperty} step), on a plain {@link DefaultCamelContext} with Camel's
 * defaults; the consumer is the least a Camel consumer can be: on its own thread, it creates an exchange with the
 * message's bytes as the body, runs the route, and acknowledges once the exchange completed.
 *
 * <p>It answers one question: what Camel's exchange alone costs against raw jnats on this machine, so that
 * the product's ratio can be read against the ratio any Camel consumer reaches. It has none of the product's
 * guarantees (no envelope check, no dead letters, no window, no keep-alive, no ordering across threads).
 *
 * <p>Arguments, {@code key=value}: {@code url stream durable n} (required), {@code batch=500},
 * {@code maxAckPending=2000}, {@code expires=2000} (ms), {@code holdMillis=0} (how long to stay at the end),
 * {@code handOff=false} ({@code true}: a second thread fetches and queues, the consumer's thread runs the
 * exchanges, to see what a hand-off between two threads costs).
 */
public final class CamelDrain {

    private CamelDrain() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args);
        int n = a.integer("n", -1);
        String stream = a.required("stream");
        String durable = a.required("durable");
        Options options = Options.builder().server(a.required("url")).build();
        try (Connection nc = Nats.connect(options); CamelContext camel = new DefaultCamelContext()) {
            JetStreamSubscription sub = RawDrain.bindDurable(nc, stream, durable, a.integer("maxAckPending", 2_000));
            Loop loop = new Loop(sub, n, a.integer("batch", 500), Duration.ofMillis(a.integer("expires", 2_000)),
                    a.text("handOff", "false").equals("true"));
            camel.addComponent("drain", new DrainComponent(loop));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("drain:events").routeId("bench").setProperty("bench", constant("no-op"));
                }
            });
            camel.start();
            int done = loop.finished.get();
            nc.flush(Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "camel: %d acknowledged%n", done);
            Thread.sleep(a.integer("holdMillis", 0)); // -Dbench.threads: lets the benchmark read the threads' CPU
        }
    }

    /** The fetch loop, run by the consumer on its own thread once the route started. */
    private static final class Loop {
        private final JetStreamSubscription sub;
        private final int n;
        private final int batch;
        private final Duration expires;
        private final boolean handOff;
        private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> finished = new CompletableFuture<>();

        Loop(JetStreamSubscription sub, int n, int batch, Duration expires, boolean handOff) {
            this.sub = sub;
            this.n = n;
            this.batch = batch;
            this.expires = expires;
            this.handOff = handOff;
        }

        /** The hand-off's fetching thread: reads and parses the metadata, then queues for the exchange thread. */
        private void fetchInto() {
            try {
                int fetched = 0;
                while (fetched < n) {
                    List<Message> messages = sub.fetch(Math.min(n - fetched, batch), expires);
                    for (Message m : messages) {
                        m.metaData();
                        queue.add(m);
                    }
                    fetched += messages.size();
                }
            } catch (RuntimeException e) {
                finished.completeExceptionally(e); // the exchange thread waits on the queue for ever otherwise
            }
        }

        private List<Message> takeFromQueue() throws InterruptedException {
            List<Message> messages = new ArrayList<>();
            messages.add(queue.take());
            queue.drainTo(messages, batch - 1);
            return messages;
        }

        void run(DefaultConsumer consumer) {
            if (handOff) {
                Thread fetcher = new Thread(this::fetchInto, "CamelDrainFetch");
                fetcher.setDaemon(true);
                fetcher.start();
            }
            try {
                int done = 0;
                while (done < n) {
                    List<Message> messages = handOff ? takeFromQueue() : sub.fetch(Math.min(n - done, batch), expires);
                    for (Message m : messages) {
                        Exchange exchange = consumer.createExchange(false);
                        exchange.getMessage().setBody(m.getData());
                        consumer.getAsyncProcessor().process(exchange, doneSync -> {
                            if (exchange.getException() == null) {
                                m.ack();
                            } else {
                                m.nak();
                            }
                            consumer.releaseExchange(exchange, false);
                        });
                        done++;
                    }
                }
                finished.complete(done);
            } catch (Throwable t) {
                finished.completeExceptionally(t);
            }
        }
    }

    private static final class DrainComponent extends DefaultComponent {
        private final Loop loop;

        DrainComponent(Loop loop) {
            this.loop = loop;
        }

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            return new DrainEndpoint(uri, this);
        }
    }

    private static final class DrainEndpoint extends DefaultEndpoint {
        DrainEndpoint(String uri, DrainComponent component) {
            super(uri, component);
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("drain: consumes only");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            DrainComponent component = (DrainComponent) getComponent();
            return new DefaultConsumer(this, processor) {
                @Override
                protected void doStart() throws Exception {
                    super.doStart();
                    Thread thread = new Thread(() -> component.loop.run(this), "CamelDrain");
                    thread.setDaemon(true);
                    thread.start();
                }
            };
        }
    }
}
