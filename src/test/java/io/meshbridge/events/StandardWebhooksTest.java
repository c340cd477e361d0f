package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.events.StandardWebhooks.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {

    // The test vector of the Standard Webhooks reference libraries (their sign test).
    private static final WebhookSecret VECTOR_SECRET = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TS = 1614265330L;
    private static final byte[] VECTOR_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant VECTOR_NOW = Instant.ofEpochSecond(VECTOR_TS);

    private static final WebhookSecret OTHER = WebhookSecret.parse("whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=");

    @Test
    void signsThePublishedTestVector() {
        assertThat(StandardWebhooks.sign(VECTOR_ID, VECTOR_TS, VECTOR_BODY, List.of(VECTOR_SECRET)))
                .isEqualTo(VECTOR_SIGNATURE);
    }

    @Test
    void signsWithEverySecretInOrder() {
        String header = StandardWebhooks.sign(VECTOR_ID, VECTOR_TS, VECTOR_BODY, List.of(VECTOR_SECRET, OTHER));
        assertThat(header).isEqualTo(VECTOR_SIGNATURE + " v1," + independentHmac(OTHER, VECTOR_ID, VECTOR_TS,
                VECTOR_BODY));
    }

    @Test
    void signsTheBodyBytesAsTheyAre() {
        byte[] body = {'{', '"', 'x', '"', ':', '"', (byte) 0xc3, (byte) 0xa9, '"', '}'};
        assertThat(StandardWebhooks.sign("nats:42", 7L, body, List.of(OTHER)))
                .isEqualTo("v1," + independentHmac(OTHER, "nats:42", 7L, body));
    }

    @Test
    void verifiesTheTestVector() {
        assertThat(verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.VALID);
        assertThat(Verification.VALID.valid()).isTrue();
    }

    @Test
    void acceptsAnyMatchingEntryAndAnySecret() {
        String mixed = "v1a,AAAA v2," + VECTOR_SIGNATURE.substring(3) + " v1,notbase64!! v1,Ceo5qEr07ixe2NLpvHk3FH9bwy"
                + "/WavXrAFQ/9tdO6mc= " + VECTOR_SIGNATURE;
        assertThat(verify(VECTOR_ID, "1614265330", mixed, VECTOR_BODY, VECTOR_NOW)).isEqualTo(Verification.VALID);
        assertThat(StandardWebhooks.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY,
                List.of(OTHER, VECTOR_SECRET), VECTOR_NOW)).isEqualTo(Verification.VALID);
        String byOther = StandardWebhooks.sign(VECTOR_ID, VECTOR_TS, VECTOR_BODY, List.of(OTHER));
        assertThat(verify(VECTOR_ID, "1614265330", byOther, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesAnyChangeOfIdTimestampOrBody() {
        assertThat(verify("msg_other", "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(VECTOR_ID, "1614265331", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, "{\"test\":2432232314}".getBytes(
                StandardCharsets.UTF_8), VECTOR_NOW)).isEqualTo(Verification.SIGNATURE_MISMATCH);
    }

    @Test
    void saysWhatIsWrongWithTheHeaders() {
        assertThat(verify(null, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.MISSING_HEADER);
        assertThat(verify(VECTOR_ID, " ", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.MISSING_HEADER);
        assertThat(verify(VECTOR_ID, "1614265330", null, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.MISSING_HEADER);
        assertThat(verify(VECTOR_ID, "1614265330.5", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.INVALID_TIMESTAMP);
        assertThat(verify(VECTOR_ID, "-1614265330", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.INVALID_TIMESTAMP);
        assertThat(verify(VECTOR_ID, "99999999999999999999", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.INVALID_TIMESTAMP);
        assertThat(verify(VECTOR_ID, "1614265330", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", VECTOR_BODY,
                VECTOR_NOW)).isEqualTo(Verification.NO_V1_SIGNATURE);
        assertThat(verify(VECTOR_ID, "1614265330", "v1,g0hM", VECTOR_BODY, VECTOR_NOW))
                .isEqualTo(Verification.NO_V1_SIGNATURE);
        assertThat(Verification.SIGNATURE_MISMATCH.reason()).isEqualTo("no signature matches");
    }

    @Test
    void theTimestampMustBeWithinTheToleranceEitherWay() {
        Instant edgeLate = VECTOR_NOW.plus(StandardWebhooks.DEFAULT_TOLERANCE);
        assertThat(verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, edgeLate))
                .isEqualTo(Verification.VALID);
        assertThat(verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, edgeLate.plusSeconds(1)))
                .isEqualTo(Verification.TIMESTAMP_TOO_OLD);
        Instant edgeEarly = VECTOR_NOW.minus(StandardWebhooks.DEFAULT_TOLERANCE);
        assertThat(verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, edgeEarly))
                .isEqualTo(Verification.VALID);
        assertThat(verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, edgeEarly.minusSeconds(1)))
                .isEqualTo(Verification.TIMESTAMP_TOO_NEW);
        assertThat(StandardWebhooks.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY,
                List.of(VECTOR_SECRET), VECTOR_NOW.plusSeconds(3600), Duration.ofHours(1)))
                .isEqualTo(Verification.VALID);
    }

    @Test
    void refusesCallerMistakes() {
        assertThatThrownBy(() -> StandardWebhooks.sign("", 1, VECTOR_BODY, List.of(VECTOR_SECRET)))
                .hasMessageContaining("webhook id");
        assertThatThrownBy(() -> StandardWebhooks.sign("a", -1, VECTOR_BODY, List.of(VECTOR_SECRET)))
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> StandardWebhooks.sign("a", 1, VECTOR_BODY, List.of()))
                .hasMessageContaining("at least one webhook secret");
        assertThatThrownBy(() -> StandardWebhooks.verify("a", "1", "v1,x", VECTOR_BODY, List.of(), VECTOR_NOW))
                .hasMessageContaining("at least one webhook secret");
        assertThatThrownBy(() -> StandardWebhooks.verify("a", "1", "v1,x", VECTOR_BODY, List.of(VECTOR_SECRET),
                VECTOR_NOW, Duration.ofSeconds(-1))).hasMessageContaining("tolerance");
    }

    private static Verification verify(String id, String ts, String sig, byte[] body, Instant now) {
        return StandardWebhooks.verify(id, ts, sig, body, List.of(VECTOR_SECRET), now);
    }

    /** HMAC-SHA256 of {@code id.ts.body}, Base64, computed here without the class under test. */
    static String independentHmac(WebhookSecret secret, String id, long ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
            mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
