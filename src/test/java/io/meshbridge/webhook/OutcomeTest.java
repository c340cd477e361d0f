package io.meshbridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.webhook.Outcome.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    private static final Duration LATENCY = Duration.ofMillis(12);

    @Test
    void classifiesStatusCodes() {
        assertThat(kind(200)).isEqualTo(Kind.SUCCESS);
        assertThat(kind(204)).isEqualTo(Kind.SUCCESS);
        assertThat(kind(299)).isEqualTo(Kind.SUCCESS);
        assertThat(kind(408)).isEqualTo(Kind.RETRY);
        assertThat(kind(429)).isEqualTo(Kind.RETRY);
        assertThat(kind(500)).isEqualTo(Kind.RETRY);
        assertThat(kind(503)).isEqualTo(Kind.RETRY);
        assertThat(kind(599)).isEqualTo(Kind.RETRY);
        assertThat(kind(410)).isEqualTo(Kind.GONE);
        assertThat(kind(400)).isEqualTo(Kind.PERMANENT);
        assertThat(kind(401)).isEqualTo(Kind.PERMANENT);
        assertThat(kind(404)).isEqualTo(Kind.PERMANENT);
        assertThat(kind(413)).isEqualTo(Kind.PERMANENT);
        assertThat(kind(499)).isEqualTo(Kind.PERMANENT);
        assertThat(kind(600)).isEqualTo(Kind.PERMANENT);
        assertThat(kind(101)).isEqualTo(Kind.PERMANENT);
        assertThat(kind(301)).isEqualTo(Kind.PERMANENT);
        assertThat(kind(307)).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void aRedirectSaysItIsNotFollowed() {
        Outcome o = Outcome.ofResponse(302, LATENCY, null, null);
        assertThat(o.reason()).isEqualTo("HTTP 302: redirects are not followed");
        assertThat(o.status()).isEqualTo(302);
        assertThat(o.latency()).isEqualTo(LATENCY);
    }

    @Test
    void keepsRetryAfterForRetriesOnly() {
        assertThat(Outcome.ofResponse(429, LATENCY, Duration.ofSeconds(2), null).retryAfter())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(Outcome.ofResponse(503, LATENCY, Duration.ofSeconds(2), null).retryable()).isTrue();
        assertThat(Outcome.ofResponse(400, LATENCY, Duration.ofSeconds(2), null).retryAfter()).isNull();
        assertThat(Outcome.ofResponse(200, LATENCY, Duration.ofSeconds(2), null).retryAfter()).isNull();
        assertThat(Outcome.ofResponse(200, LATENCY, null, null).success()).isTrue();
    }

    @Test
    void theExcerptIsBoundedAndPrintable() {
        byte[] body = ("line1\nline2\r\t\u0000\u007f\u0085\u2028 é ✓ \uD83D\uDE00 " + "x".repeat(1000))
                .getBytes(StandardCharsets.UTF_8);
        Outcome o = Outcome.ofResponse(400, LATENCY, null, body);
        assertThat(o.excerpt()).hasSize(Outcome.MAX_EXCERPT)
                .startsWith("line1\\nline2\\r\\t\\u0000\\u007f\\u0085\\u2028 é ✓ \uD83D\uDE00 xxx");
        assertThat(o.excerpt().chars().filter(c -> c < 0x20).count()).isZero();
        assertThat(Outcome.ofResponse(400, LATENCY, null, "short".getBytes(StandardCharsets.UTF_8)).excerpt())
                .isEqualTo("short");
        assertThat(Outcome.ofResponse(400, LATENCY, null, new byte[0]).excerpt()).isEmpty();
    }

    @Test
    void theExcerptNeverSplitsAnEscapeOrASurrogatePair() {
        assertThat(Outcome.printable("ab\n", 3)).isEqualTo("ab");
        assertThat(Outcome.printable("ab\u0001", 7)).isEqualTo("ab");
        assertThat(Outcome.printable("ab\uD83D\uDE00", 3)).isEqualTo("ab");
        assertThat(Outcome.printable("a\uD83Db", 10)).isEqualTo("a\ufffdb");
    }

    @Test
    void invalidUtf8IsReplacedAndACutSequenceAtTheEndIsNotAnError() {
        byte[] bad = {'o', 'k', (byte) 0xff, 'x'};
        assertThat(Outcome.ofResponse(500, LATENCY, null, bad).excerpt()).isEqualTo("ok\ufffdx");
        byte[] cut = new byte[2000];
        java.util.Arrays.fill(cut, (byte) 'a');
        cut[1023] = (byte) 0xe2;
        assertThat(Outcome.ofResponse(500, LATENCY, null, cut).excerpt()).isEqualTo("a".repeat(256));
    }

    @Test
    void failuresWithoutAResponseAreRetriesUnlessTheRequestIsWrong() {
        assertThat(fail(new ConnectException("Connection refused")))
                .extracting(Outcome::kind, Outcome::reason, Outcome::status)
                .containsExactly(Kind.RETRY, "cannot connect: Connection refused", 0);
        assertThat(fail(new HttpConnectTimeoutException("HTTP connect timed out")).reason())
                .isEqualTo("connect timed out");
        assertThat(fail(new HttpTimeoutException("request timed out")).reason())
                .isEqualTo("timed out waiting for the response");
        assertThat(fail(new SSLHandshakeException("PKIX path building failed")))
                .extracting(Outcome::kind, Outcome::reason)
                .containsExactly(Kind.RETRY, "TLS failed: PKIX path building failed");
        assertThat(fail(new IOException("Connection reset")))
                .extracting(Outcome::kind, Outcome::reason)
                .containsExactly(Kind.RETRY, "I/O error IOException: Connection reset");
        assertThat(fail(new CompletionException(new ConnectException())).reason()).isEqualTo("cannot connect");
        assertThat(fail(new IllegalArgumentException("invalid header value")))
                .extracting(Outcome::kind, Outcome::reason)
                .containsExactly(Kind.PERMANENT, "request failed: IllegalArgumentException: invalid header value");
        assertThat(fail(new IOException("x".repeat(1000))).reason()).hasSize(Outcome.MAX_EXCERPT);
    }

    @Test
    void checksItsMembers() {
        assertThatThrownBy(() -> new Outcome(Kind.RETRY, 42, LATENCY, null, "", "x")).hasMessageContaining("status");
        assertThatThrownBy(() -> new Outcome(Kind.RETRY, 500, LATENCY, Duration.ofSeconds(-1), "", "x"))
                .hasMessageContaining("retryAfter");
        assertThatThrownBy(() -> new Outcome(Kind.RETRY, 500, LATENCY, null, "x".repeat(257), "x"))
                .hasMessageContaining("excerpt");
    }

    private static Kind kind(int status) {
        return Outcome.ofResponse(status, LATENCY, null, null).kind();
    }

    private static Outcome fail(Throwable e) {
        return Outcome.ofFailure(e, LATENCY);
    }
}
