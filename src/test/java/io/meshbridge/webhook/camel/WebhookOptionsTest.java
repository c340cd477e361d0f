package io.meshbridge.webhook.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.webhook.ContentMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings of the {@code mesh-webhook} template checked at start, each error naming its parameter. */
class WebhookOptionsTest {

    private static WebhookSettings settings(String url) {
        WebhookSettings s = new WebhookSettings();
        s.setUrl(url);
        return s;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        WebhookOptions o = settings("https://ops.example/hooks/mesh?token=abc").validated();
        assertThat(o.maxInFlight()).isEqualTo(16);
        assertThat(o.ordered()).isFalse();
        assertThat(o.rateLimit()).isZero();
        assertThat(o.pauseAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(o.target().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.target().readTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(o.target().contentMode()).isEqualTo(ContentMode.RAW);
        assertThat(o.target().signed()).isFalse();
        assertThat(o.origin()).isEqualTo("https://ops.example");
    }

    @Test
    void headersAreNameColonValuePairs() {
        assertThat(WebhookOptions.headers("X-Team: ops; X-Env:prod ;")).containsExactly(
                Map.entry("X-Team", "ops"), Map.entry("X-Env", "prod"));
        assertThatThrownBy(() -> WebhookOptions.headers("X-Team=ops")).hasMessageContaining("headers");
    }

    @Test
    void eachBadValueNamesItsParameter() {
        WebhookSettings s = settings("https://ops.example/x");
        s.setMaxInFlight("0");
        assertThatThrownBy(s::validated).hasMessageContaining("maxInFlight");
        s = settings("https://ops.example/x");
        s.setReadTimeout("soon");
        assertThatThrownBy(s::validated).hasMessageContaining("readTimeout");
        s = settings("https://ops.example/x");
        s.setFormat("xml");
        assertThatThrownBy(s::validated).hasMessageContaining("format");
        s = settings("https://ops.example/x");
        s.setOrdered("yes");
        assertThatThrownBy(s::validated).hasMessageContaining("ordered");
        s = settings("https://ops.example/x");
        s.setCertFile("/tmp/client.pem");
        assertThatThrownBy(s::validated).hasMessageContaining("keyFile");
        assertThatThrownBy(() -> settings("").validated()).hasMessageContaining("url");
        assertThatThrownBy(() -> settings("ftp://ops.example/x").validated()).hasMessageContaining("url");
    }

    @Test
    void aBadSecretOrUrlWithCredentialsIsRefusedWithoutShowingThem() {
        WebhookSettings s = settings("https://ops.example/x");
        s.setSecret("whsec_not-base64-at-all!!");
        assertThatThrownBy(s::validated).hasMessageContaining("secret").hasMessageNotContaining("not-base64-at-all");
        assertThatThrownBy(() -> settings("https://bob:hunter2@ops.example/x").validated())
                .hasMessageContaining("url").hasMessageNotContaining("hunter2");
    }

    @Test
    void toStringShowsTheOriginOnlyAndNeverTheSecret() {
        WebhookSettings s = settings("https://ops.example/hooks/T0KEN");
        s.setSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(s.toString()).contains("https://ops.example").doesNotContain("T0KEN")
                .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(s.validated().toString()).doesNotContain("T0KEN").doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }
}
