package io.meshbridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive race: the receiver closes a pooled connection just as the next POST goes out on it, without
 * answering. Nothing reached the receiver, so the attempt is sent again at once on a new connection instead of
 * failing and waiting for the route's first retry delay.
 */
class WebhookClientStaleConnectionIT {

    @Test
    void aPostOnAConnectionTheServerClosedUnansweredGoesOutAgainOnANewOne() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                try {
                    // the first connection answers one request, then reads the next one and closes unanswered
                    try (Socket first = server.accept()) {
                        connections.incrementAndGet();
                        var in = new BufferedReader(new InputStreamReader(first.getInputStream(),
                                StandardCharsets.ISO_8859_1));
                        readRequest(in);
                        answer(first.getOutputStream());
                        readRequest(in);
                    }
                    try (Socket second = server.accept()) {
                        connections.incrementAndGet();
                        var in = new BufferedReader(new InputStreamReader(second.getInputStream(),
                                StandardCharsets.ISO_8859_1));
                        readRequest(in);
                        answer(second.getOutputStream());
                    }
                } catch (Exception e) {
                    // the test's assertions tell
                }
            });
            accept.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/hook";
            try (WebhookClient client = new WebhookClient(WebhookTarget.builder(url).build())) {
                assertThat(client.send("a", 1, "{}".getBytes(StandardCharsets.UTF_8)).get().kind())
                        .isEqualTo(Outcome.Kind.SUCCESS);
                Outcome second = client.send("b", 1, "{}".getBytes(StandardCharsets.UTF_8)).get();
                assertThat(second.kind()).as(second.reason()).isEqualTo(Outcome.Kind.SUCCESS);
            }
            accept.join(10_000);
            assertThat(connections).hasValue(2);
        }
    }

    private static void readRequest(BufferedReader in) throws Exception {
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
    }

    private static void answer(OutputStream out) throws Exception {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
