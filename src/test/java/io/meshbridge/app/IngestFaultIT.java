package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.events.HistoryResult;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest while its nats-server is killed (SIGKILL) in the middle of a burst of requests and restarted on
 * the same port with the same store: every request answered 2xx is in the stream exactly once, none is answered
 * 2xx while the server is down, and every one is answered (202, or 503 with Retry-After).
 */
class IngestFaultIT {

    static final String SECRET = "fault-0123456789abcdef";
    static final int CLIENTS = 8;

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    /** One request and its answer; times are System.nanoTime(). */
    record Outcome(String key, long sentAt, long answeredAt, int status, String retryAfter, String error) {
    }

    @Test
    void natsKilledDuringABurstNoAnswered2xxIsLostOrDuplicatedAndNoneIsAnswered2xxWhileDown() throws Exception {
        WorkDir.create(dir, NATS.url(), "[]\n", Map.of(
                "mesh.ingest.tokens", "fault:" + SECRET,
                "mesh.ingest.ack-timeout", "2s",
                "mesh.ingest.retry-after", "1s"));
        WorkerProcess worker = workers.startWorker("ingest-fault", dir);
        IngestHttp http = new IngestHttp(worker.httpPort());

        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refusedWhileDown = new AtomicInteger();
        AtomicBoolean down = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String key = "c" + client + "-" + i;
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.post("/ingest/burst", "{\"client\":" + client + ",\"i\":" + i + "}",
                                "Authorization", "Bearer " + SECRET, "Idempotency-Key", key);
                        outcomes.add(new Outcome(key, sent, System.nanoTime(), r.statusCode(),
                                r.headers().firstValue("Retry-After").orElse(null), null));
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else if (down.get()) {
                            refusedWhileDown.incrementAndGet();
                        }
                    } catch (Exception e) {
                        outcomes.add(new Outcome(key, sent, System.nanoTime(), -1, null, e.toString()));
                    }
                }
                return null;
            }));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= 300);
        NATS.server().kill();
        long killed = System.nanoTime();
        down.set(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> refusedWhileDown.get() >= 3 * CLIENTS);
        long restarting = System.nanoTime();
        down.set(false);
        NATS.server().restart();
        int before = accepted.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= before + 300);
        stop.set(true);
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();

        List<Outcome> all = new ArrayList<>(outcomes);
        assertThat(all).as("every request answered").allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(all).extracting(Outcome::status).containsOnly(202, 503);
        assertThat(all).filteredOn(o -> o.status() == 503).allSatisfy(o -> assertThat(o.retryAfter()).isEqualTo("1"));
        List<Outcome> whileDown = all.stream().filter(o -> o.sentAt() > killed && o.answeredAt() < restarting).toList();
        assertThat(whileDown).as("requests made and answered while the server was down").isNotEmpty()
                .allSatisfy(o -> assertThat(o.status()).as(o.key()).isEqualTo(503));

        Connection nc = NATS.connect();
        PersistentBus bus = PersistentBus.attach(nc, "test", PersistConfig.defaults());
        HistoryResult stored = bus.history("events.user.burst", 1_000_000);
        assertThat(stored.undecodable()).isEmpty();
        Map<String, Integer> copies = new HashMap<>();
        for (ReceivedEvent e : stored.events()) {
            copies.merge(e.id(), 1, Integer::sum);
        }
        assertThat(copies.values()).as("no event stored twice").containsOnly(1);
        Map<String, Integer> byKey = new HashMap<>();
        for (Outcome o : all) {
            byKey.put("ingest:burst:" + o.key(), o.status());
        }
        assertThat(copies.keySet()).as("only requests that were made are stored").isSubsetOf(byKey.keySet());
        List<String> acceptedIds = all.stream().filter(o -> o.status() == 202).map(o -> "ingest:burst:" + o.key())
                .toList();
        assertThat(acceptedIds).as("every request answered 202 is stored").allSatisfy(id ->
                assertThat(copies).containsEntry(id, 1));
        long storedButRefused = copies.keySet().stream().filter(id -> byKey.get(id) == 503).count();
        System.out.printf("ingest fault: %d requests, %d answered 202, %d answered 503 (%d of them while down),"
                        + " %d stored, %d stored though answered 503%n", all.size(), acceptedIds.size(),
                all.size() - acceptedIds.size(), whileDown.size(), copies.size(), storedButRefused);
    }
}
