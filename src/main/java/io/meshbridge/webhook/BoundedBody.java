package io.meshbridge.webhook;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body subscriber that keeps the first {@code keep} bytes and reads at most {@code limit} bytes in
 * all: a small body is read to its end (so an HTTP/1.1 connection can be reused), a larger one is cut off by
 * cancelling (which closes that connection). A body that fails part way yields what was read: the status has
 * already arrived and decides the outcome. {@link #stop()} ends the body early from another thread (the
 * client's deadline). One instance per response; its state is guarded by its monitor, as {@link #stop()} may
 * race with the HttpClient's calls, and the body future is completed outside the monitor.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final byte[] kept;
    private final long limit;
    private int keptLength;
    private long read;
    private Flow.Subscription subscription;
    private boolean done;

    BoundedBody(int keep, long limit) {
        this.kept = new byte[keep];
        this.limit = limit;
    }

    /**
     * Cuts the body off here: cancels the subscription (closing the connection) and completes with what was
     * read. No effect once the body has ended.
     */
    void stop() {
        Flow.Subscription s;
        synchronized (this) {
            s = done ? null : subscription;
        }
        if (s != null) {
            s.cancel();
        }
        complete(finish());
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        boolean cancel;
        synchronized (this) {
            this.subscription = s;
            cancel = done;
        }
        if (cancel) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        boolean more;
        synchronized (this) {
            if (done) {
                return;
            }
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                int take = Math.min(n, kept.length - keptLength);
                b.get(kept, keptLength, take);
                keptLength += take;
                read += n;
            }
            more = read < limit;
        }
        if (more) {
            subscription.request(1);
        } else {
            subscription.cancel();
            complete(finish());
        }
    }

    @Override
    public void onError(Throwable error) {
        complete(finish());
    }

    @Override
    public void onComplete() {
        complete(finish());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    /** Marks the end; the bytes read, or {@code null} when it had ended before. */
    private synchronized byte[] finish() {
        if (done) {
            return null;
        }
        done = true;
        return Arrays.copyOf(kept, keptLength);
    }

    /** Completes outside the lock: the HttpClient's dependent stages run on this thread. */
    private void complete(byte[] body) {
        if (body != null) {
            result.complete(body);
        }
    }
}
