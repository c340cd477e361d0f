package io.meshbridge.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Picks free TCP ports on the loopback interface and waits for a known port to become bindable again.
 *
 * <p>Threading: stateless, safe to call from any thread. A port returned by {@link #pick()} is free at
 * the time of the call only; callers that hand it to another process must retry when that process
 * reports "address already in use".
 */
final class FreePorts {

    private FreePorts() {
    }

    /** A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released). */
    static int pick() {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return socket.getLocalPort();
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("could not find a free port on 127.0.0.1", last);
    }

    /** Whether {@code port} on 127.0.0.1 can be bound right now (with SO_REUSEADDR, as nats-server does). */
    static boolean isBindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until {@code port} can be bound, e.g. after a killed server released it.
     *
     * @return whether it became bindable within {@code timeout}
     */
    static boolean awaitBindable(int port, Duration timeout) {
        AtomicBoolean ok = new AtomicBoolean();
        try {
            Awaitility.await("port " + port + " bindable")
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        ok.set(isBindable(port));
                        return ok.get();
                    });
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return ok.get();
    }
}
