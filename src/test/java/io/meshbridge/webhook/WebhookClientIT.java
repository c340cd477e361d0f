package io.meshbridge.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.events.WebhookSecret;
import io.meshbridge.webhook.Outcome.Kind;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WebhookClient} against a real JDK HTTP server on a random port. */
class WebhookClientIT {

    private static final List<WebhookSecret> SECRETS =
            WebhookSecret.parseAll("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=");
    private static final byte[] BODY = "{\"type\":\"tool.crashed\",\"node\":\"n1\",\"data\":{\"é\":1}}".getBytes(UTF_8);

    private TestReceiver receiver;
    private WebhookClient client;

    @BeforeEach
    void start() throws Exception {
        receiver = TestReceiver.http();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        receiver.close();
    }

    @Test
    void sendsTheSignedRequestTheReceiverCanVerifyIndependently() throws Exception {
        client = new WebhookClient(WebhookTarget.builder(receiver.url("/hook?x=1"))
                .secrets(SECRETS).header("Authorization", "Bearer t0k").header("X-Team", "tools").build());
        Outcome o = send("ORDERS:42", 1_772_000_000L, BODY);
        assertThat(o.kind()).isEqualTo(Kind.SUCCESS);
        assertThat(o.status()).isEqualTo(200);
        assertThat(receiver.requests()).hasSize(1);
        TestReceiver.Request r = receiver.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri().toString()).isEqualTo("/hook?x=1");
        assertThat(r.body()).isEqualTo(BODY);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("webhook-id")).isEqualTo("ORDERS:42");
        assertThat(r.header("webhook-timestamp")).isEqualTo("1772000000");
        assertThat(r.header("User-Agent")).startsWith("mesh-bridge/");
        assertThat(r.header("Authorization")).isEqualTo("Bearer t0k");
        assertThat(r.header("X-Team")).isEqualTo("tools");
        assertThat(r.headers().get("webhook-signature")).hasSize(1);
        assertThat(r.header("webhook-signature")).isEqualTo("v1," + hmac(SECRETS.get(0), r) + " v1,"
                + hmac(SECRETS.get(1), r));
    }

    @Test
    void anUnsignedTargetSendsNoSignatureAndCloudEventsHaveTheirType() throws Exception {
        client = new WebhookClient(WebhookTarget.builder(receiver.url("/")).contentMode(ContentMode.CLOUDEVENTS)
                .header("User-Agent", "custom/1").build());
        assertThat(send("id-1", 1L, BODY).success()).isTrue();
        TestReceiver.Request r = receiver.requests().get(0);
        assertThat(r.headers()).doesNotContainKey("webhook-signature");
        assertThat(r.header("webhook-id")).isEqualTo("id-1");
        assertThat(r.header("Content-Type")).isEqualTo("application/cloudevents+json");
        assertThat(r.header("User-Agent")).isEqualTo("custom/1");
    }

    @Test
    void classifiesWhatTheEndpointAnswers() throws Exception {
        client = new WebhookClient(WebhookTarget.builder(receiver.url("/")).build());
        receiver.answer(TestReceiver.status(500, "boom\ntrace"));
        Outcome o = send("a", 1L, BODY);
        assertThat(o).extracting(Outcome::kind, Outcome::status, Outcome::excerpt, Outcome::reason)
                .containsExactly(Kind.RETRY, 500, "boom\\ntrace", "HTTP 500");
        assertThat(o.retryAfter()).isNull();

        receiver.answer(TestReceiver.status(429, "slow down", "Retry-After", "2"));
        o = send("a", 1L, BODY);
        assertThat(o.kind()).isEqualTo(Kind.RETRY);
        assertThat(o.retryAfter()).isEqualTo(Duration.ofSeconds(2));

        receiver.answer(TestReceiver.status(503, "", "Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"));
        o = send("a", 1L, BODY);
        assertThat(o).extracting(Outcome::kind, Outcome::status, Outcome::retryAfter)
                .containsExactly(Kind.RETRY, 503, null);

        receiver.answer(TestReceiver.status(503, "", "Retry-After", "99999"));
        assertThat(send("a", 1L, BODY).retryAfter()).isEqualTo(WebhookClient.DEFAULT_MAX_RETRY_AFTER);

        receiver.answer(TestReceiver.status(408, ""));
        assertThat(send("a", 1L, BODY).kind()).isEqualTo(Kind.RETRY);

        receiver.answer(TestReceiver.status(410, "gone"));
        assertThat(send("a", 1L, BODY)).extracting(Outcome::kind, Outcome::status, Outcome::excerpt)
                .containsExactly(Kind.GONE, 410, "gone");

        receiver.answer(TestReceiver.status(400, "{\"error\":\"bad field\"}", "Retry-After", "5"));
        assertThat(send("a", 1L, BODY))
                .extracting(Outcome::kind, Outcome::status, Outcome::excerpt, Outcome::retryAfter)
                .containsExactly(Kind.PERMANENT, 400, "{\"error\":\"bad field\"}", null);

        receiver.answer(TestReceiver.status(204, ""));
        assertThat(send("a", 1L, BODY).kind()).isEqualTo(Kind.SUCCESS);
        assertThat(receiver.requests()).hasSize(8);
    }

    @Test
    void neverFollowsARedirect() throws Exception {
        client = new WebhookClient(WebhookTarget.builder(receiver.url("/first")).build());
        receiver.answer(TestReceiver.status(307, "", "Location", receiver.url("/second")));
        Outcome o = send("a", 1L, BODY);
        assertThat(o).extracting(Outcome::kind, Outcome::status, Outcome::reason)
                .containsExactly(Kind.PERMANENT, 307, "HTTP 307: redirects are not followed");
        assertThat(receiver.requests()).extracting(r -> r.uri().getPath()).containsExactly("/first");
    }

    @Test
    void keepsABoundedExcerptOfAHugeBody() throws Exception {
        client = new WebhookClient(WebhookTarget.builder(receiver.url("/")).build());
        byte[] huge = new byte[4 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'e');
        receiver.answer(ex -> {
            ex.sendResponseHeaders(400, huge.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(huge);
            }
        });
        Outcome o = send("a", 1L, BODY);
        assertThat(o).extracting(Outcome::kind, Outcome::status).containsExactly(Kind.PERMANENT, 400);
        assertThat(o.excerpt()).isEqualTo("e".repeat(Outcome.MAX_EXCERPT));

        // the client still works afterwards (the cut-off connection was dropped, not reused)
        receiver.answer(TestReceiver.status(200, "ok"));
        assertThat(send("b", 1L, BODY).kind()).isEqualTo(Kind.SUCCESS);
    }

    @Test
    void aResponseThatDoesNotComeInTimeIsARetry() throws Exception {
        client = new WebhookClient(WebhookTarget.builder(receiver.url("/")).readTimeout(Duration.ofMillis(300))
                .build());
        receiver.answer(ex -> {
            awaitRelease();
            TestReceiver.status(200, "").answer(ex);
        });
        Outcome o = send("a", 1L, BODY);
        assertThat(o).extracting(Outcome::kind, Outcome::status, Outcome::reason)
                .containsExactly(Kind.RETRY, 0, "no response within 300 ms");
    }

    @Test
    void aBodyThatNeverEndsIsCutOffAfterConnectPlusReadTimeoutAndTheStatusDecides() throws Exception {
        client = new WebhookClient(WebhookTarget.builder(receiver.url("/")).connectTimeout(Duration.ofMillis(200))
                .readTimeout(Duration.ofMillis(300)).build());
        receiver.answer(ex -> {
            ex.sendResponseHeaders(503, 1000);
            ex.getResponseBody().write("partial".getBytes(UTF_8));
            ex.getResponseBody().flush();
            awaitRelease();
        });
        // JDK 17's request timeout ends at the response headers: the client's own limit ends the body
        assertThat(send("a", 1L, BODY)).extracting(Outcome::kind, Outcome::status, Outcome::excerpt)
                .containsExactly(Kind.RETRY, 503, "partial");

        receiver.answer(ex -> {
            ex.sendResponseHeaders(200, 1000);
            ex.getResponseBody().write("accepted, more to come".getBytes(UTF_8));
            ex.getResponseBody().flush();
            awaitRelease();
        });
        // a 2xx is a delivery, however its body ends: retrying it would only make a duplicate
        assertThat(send("b", 1L, BODY)).extracting(Outcome::kind, Outcome::status)
                .containsExactly(Kind.SUCCESS, 200);
    }

    @Test
    void aRefusedConnectionIsARetry() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = s.getLocalPort();
        }
        client = new WebhookClient(WebhookTarget.builder("http://127.0.0.1:" + port + "/").build());
        Outcome o = send("a", 1L, BODY);
        assertThat(o.kind()).isEqualTo(Kind.RETRY);
        assertThat(o.status()).isZero();
        assertThat(o.reason()).startsWith("cannot connect");
    }

    @Test
    void aRequestThatCannotBeBuiltIsPermanentAndNeverSent() throws Exception {
        client = new WebhookClient(WebhookTarget.builder(receiver.url("/")).secrets(SECRETS).build());
        Outcome badId = send("line\nbreak", 1L, BODY);
        assertThat(badId.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(badId.reason()).startsWith("request failed: IllegalArgumentException");
        assertThat(send("", 1L, BODY).kind()).isEqualTo(Kind.PERMANENT);
        assertThat(send("a", -1L, BODY).kind()).isEqualTo(Kind.PERMANENT);
        assertThat(badId.reason() + send("", 1L, BODY).reason()).doesNotContain("MfKQ");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void goesThroughTheConfiguredProxy() throws Exception {
        // the receiver plays the proxy: a plain-http request through a proxy is sent to it in absolute form
        client = new WebhookClient(WebhookTarget.builder("http://webhook.invalid:8080/hook")
                .proxy("127.0.0.1:" + receiver.port()).build());
        assertThat(send("a", 1L, BODY).kind()).isEqualTo(Kind.SUCCESS);
        assertThat(receiver.requests()).hasSize(1);
        assertThat(receiver.requests().get(0).uri().toString()).isEqualTo("http://webhook.invalid:8080/hook");
    }

    @Test
    void closeEndsAttemptsInFlightAndLaterSendsAsRetries() throws Exception {
        client = new WebhookClient(WebhookTarget.builder(receiver.url("/")).build());
        receiver.answer(ex -> {
            awaitRelease();
            TestReceiver.status(200, "").answer(ex);
        });
        CompletableFuture<Outcome> pending = client.send("a", 1L, BODY);
        await("request arrived").atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);
        client.close();
        assertThat(pending.get(10, TimeUnit.SECONDS))
                .extracting(Outcome::kind, Outcome::reason).containsExactly(Kind.RETRY, "client closed");
        assertThat(send("b", 1L, BODY))
                .extracting(Outcome::kind, Outcome::reason).containsExactly(Kind.RETRY, "client closed");
        assertThat(receiver.requests()).hasSize(1);
        client.close();
    }

    private Outcome send(String id, long ts, byte[] body) throws Exception {
        return client.send(id, ts, body).get(30, TimeUnit.SECONDS);
    }

    private void awaitRelease() {
        try {
            receiver.release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Standard Webhooks signature written here from the spec, not with the class under test. */
    private static String hmac(WebhookSecret secret, TestReceiver.Request r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
        mac.update((r.header("webhook-id") + "." + r.header("webhook-timestamp") + ".").getBytes(UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal(r.body()));
    }
}
