package io.meshbridge.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshbridge.camel.MeshConsumer;
import io.meshbridge.camel.StoredDeadLetter;
import io.nats.client.api.MessageInfo;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * {@code POST /api/dlq/redrive}: hands the chosen dead letters, oldest first and one at a time, to the
 * {@code mesh:} consumer of the route that failed them ({@link MeshConsumer#redrive}), which runs each through
 * that route only, in this worker, and deletes it once the route succeeded. Never republished: the other
 * connectors of the event do not see it again.
 *
 * <p><b>Outcomes.</b> {@code redriven}: processed and deleted. {@code failed}: the route failed it again (any
 * exception, retriable ones included) and the dead letter stays, or it got no outcome within the wait. {@code
 * skipped}: not tried, with the reason (its route is not running on this worker or is paused, no such id, not
 * written by a route). {@code more}: dead letters of the choice remain that this call did not consider.
 *
 * <p><b>Wait.</b> Each redrive is waited for at most {@link #MAX_WAIT}, or the route's {@code maxProcessingTime}
 * when shorter. Then the dead letter is reported as failed and the call ends there ({@code more}, and the ids
 * not tried skipped): the route still holds the exchange, and when it completes later the dead letter is
 * deleted on success and kept on failure. Thread-safe.
 */
final class DeadLetterRedriver {

    /** The longest wait for one redrive's outcome. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private static final int MAX_REASON = 500;

    private final CamelContext context;
    private final DeadLetterQueue queue;

    DeadLetterRedriver(CamelContext context, DeadLetterQueue queue) {
        this.context = context;
        this.queue = queue;
    }

    /** Redrives what {@code request} chooses; the answer's body. */
    ObjectNode redrive(RedriveRequest request) throws InterruptedException {
        Outcomes out = new Outcomes();
        if (!request.ids().isEmpty()) {
            for (long id : request.ids()) {
                if (out.stopped != null) {
                    out.skip(id, "not tried: dead letter " + out.stopped + " got no outcome in time");
                    continue;
                }
                StoredDeadLetter letter = queue.get(id);
                if (letter == null) {
                    out.skip(id, "no dead letter with this id (deleted, redriven or expired)");
                } else {
                    run(letter, out);
                }
            }
            return out.json(false);
        }
        String subject = request.all() ? DeadLetterQueue.ALL : StoredDeadLetter.subjectOf(request.route());
        long last = queue.lastId();
        long from = 1;
        for (int considered = 0; considered < request.limit() && out.stopped == null; considered++) {
            MessageInfo m = queue.next(from, subject);
            if (m == null || m.getSeq() > last) {
                break;
            }
            run(StoredDeadLetter.of(m), out);
            from = m.getSeq() + 1;
        }
        return out.json(queue.next(from, subject) != null);
    }

    private void run(StoredDeadLetter letter, Outcomes out) throws InterruptedException {
        if (!letter.redrivable()) {
            out.skip(letter.id(), "not written by a route: it names no original subject, stream and sequence");
            return;
        }
        Route route = context.getRoute(letter.route());
        if (route == null || !(route.getConsumer() instanceof MeshConsumer consumer)) {
            out.skip(letter.id(), "route " + letter.route() + " is not running on this worker");
            return;
        }
        CompletableFuture<Void> done;
        try {
            done = consumer.redrive(letter);
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.skip(letter.id(), e.getMessage());
            return;
        }
        Duration wait = wait(consumer);
        try {
            done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            out.redriven++;
        } catch (ExecutionException e) {
            out.fail(letter.id(), describe(e.getCause()));
        } catch (TimeoutException e) {
            out.fail(letter.id(), "no outcome within " + wait.toMillis() + " ms: route " + letter.route()
                    + " still holds it (the dead letter is deleted if it succeeds, kept if it fails); no further"
                    + " dead letter was tried");
            out.stopped = letter.id();
        }
    }

    private static Duration wait(MeshConsumer consumer) {
        Duration max = consumer.getEndpoint().getConfiguration().getMaxProcessingTime();
        return max == null || max.isZero() || max.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : max;
    }

    private static String describe(Throwable error) {
        if (error == null) {
            return "failed";
        }
        String message = error.getMessage();
        return DeadLetterJson.oneLine(error.getClass().getName() + (message == null ? "" : ": " + message),
                MAX_REASON);
    }

    /** What one call came to. Used by the one thread of the call. */
    private static final class Outcomes {
        int redriven;
        Long stopped;
        final ArrayNode failed = ApiJson.MAPPER.createArrayNode();
        final ArrayNode skipped = ApiJson.MAPPER.createArrayNode();

        void fail(long id, String reason) {
            failed.add(ApiJson.object().put("id", Long.toString(id)).put("reason", reason));
        }

        void skip(long id, String reason) {
            skipped.add(ApiJson.object().put("id", Long.toString(id)).put("reason", reason));
        }

        ObjectNode json(boolean more) {
            ObjectNode node = ApiJson.object().put("redriven", redriven);
            node.set("failed", failed);
            node.set("skipped", skipped);
            return node.put("more", more || stopped != null);
        }
    }
}
