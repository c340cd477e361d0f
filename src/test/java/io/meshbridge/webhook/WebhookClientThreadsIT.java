package io.meshbridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Delivery attempts must not start a thread each. {@code HttpClient.sendAsync} completes through
 * {@code CompletableFuture}'s default executor, which starts a thread per task where the common pool has fewer
 * than two threads (one or two cores, as here): 546 threads for these 500 attempts before the client moved to
 * the blocking send on its own, reused threads.
 */
class WebhookClientThreadsIT {

    @Test
    void fiveHundredAttemptsStartFarFewerThanFiveHundredThreads() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(null);
             WebhookClient client = new WebhookClient(WebhookTarget.builder(receiver.url("/t")).build())) {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            // warm-up: 40 at once, so the receiver's 32 threads and the client's own threads and connections exist
            List<CompletableFuture<Outcome>> warm = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                warm.add(client.send("warm-" + i, 1, body));
            }
            for (CompletableFuture<Outcome> f : warm) {
                f.get();
            }
            long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            for (int round = 0; round < 50; round++) {
                List<CompletableFuture<Outcome>> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(client.send("id-" + round + "-" + i, 1, body));
                }
                for (CompletableFuture<Outcome> f : batch) {
                    f.get();
                }
            }
            long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
            System.out.println("threads started for 500 attempts: " + started + " (common pool parallelism "
                    + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + ")");
            // the count is the JVM's: threads other test classes left behind (broker clients reconnecting, pools
            // winding down) may start a few meanwhile; a thread per attempt would be 500 or more
            assertThat(started).isLessThan(50);
        }
    }
}
