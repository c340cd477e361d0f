package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {

    /** The secret of the Standard Webhooks reference libraries' test vector. */
    private static final String REFERENCE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void theKeyIsTheDecodedBase64AfterThePrefix() {
        WebhookSecret s = WebhookSecret.parse(REFERENCE);
        assertThat(s.key()).isEqualTo(Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThat(s.key()).hasSize(24);
        assertThat(s.toText()).isEqualTo(REFERENCE);
        assertThat(WebhookSecret.parse("  " + REFERENCE + "\n")).isEqualTo(s);
    }

    @Test
    void paddingIsOptional() {
        byte[] key = "abcd".getBytes(StandardCharsets.US_ASCII);
        assertThat(WebhookSecret.parse("whsec_YWJjZA==").key()).isEqualTo(key);
        assertThat(WebhookSecret.parse("whsec_YWJjZA").key()).isEqualTo(key);
    }

    @Test
    void neverPrintsTheKey() {
        WebhookSecret s = WebhookSecret.parse(REFERENCE);
        assertThat(s.toString()).isEqualTo("whsec_****");
        assertThat(List.of(s).toString()).doesNotContain("MfKQ");
    }

    @Test
    void isImmutable() {
        byte[] key = {1, 2, 3};
        WebhookSecret s = new WebhookSecret(key);
        key[0] = 9;
        s.key()[1] = 9;
        assertThat(s.key()).containsExactly(1, 2, 3);
        assertThat(s).isEqualTo(new WebhookSecret(new byte[] {1, 2, 3})).isNotEqualTo(new WebhookSecret(key));
    }

    @Test
    void refusesBadTextWithoutQuotingIt() {
        assertThatThrownBy(() -> WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix whsec_ is missing")
                .message().doesNotContain("MfKQ");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_sekr!t-value"))
                .hasMessageContaining("not valid Base64")
                .hasNoCause()
                .message().doesNotContain("sekr").doesNotContain("!").doesNotContain("21");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_"))
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> new WebhookSecret(new byte[0]))
                .hasMessageContaining("empty");
    }

    @Test
    void readsSeveralSecretsSeparatedBySpacesOrCommas() {
        WebhookSecret a = WebhookSecret.parse("whsec_YWFhYQ==");
        WebhookSecret b = WebhookSecret.parse("whsec_YmJiYg==");
        assertThat(WebhookSecret.parseAll("whsec_YWFhYQ== whsec_YmJiYg==")).containsExactly(a, b);
        assertThat(WebhookSecret.parseAll("whsec_YmJiYg==,whsec_YWFhYQ==")).containsExactly(b, a);
        assertThat(WebhookSecret.parseAll(" whsec_YWFhYQ== ,  whsec_YmJiYg==, ")).containsExactly(a, b);
        assertThat(WebhookSecret.parseAll("whsec_YWFhYQ==")).containsExactly(a);
        assertThat(WebhookSecret.parseAll("whsec_YWFhYQ== whsec_YWFhYQ==")).containsExactly(a);
    }

    @Test
    void aBadSecretInAListIsNamedByItsPosition() {
        assertThatThrownBy(() -> WebhookSecret.parseAll("whsec_YWFhYQ== whsec_no*pe"))
                .hasMessageContaining("webhook secret 2 of 2 is not valid Base64")
                .message().doesNotContain("no*pe");
        assertThatThrownBy(() -> WebhookSecret.parseAll("whsec_YWFhYQ==,hunter2"))
                .hasMessageContaining("webhook secret 2 of 2 must be written whsec_<base64>")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> WebhookSecret.parseAll(" , "))
                .hasMessageContaining("no webhook secret given");
        assertThatThrownBy(() -> WebhookSecret.parseAll(""))
                .hasMessageContaining("no webhook secret given");
    }
}
