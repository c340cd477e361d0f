package io.meshbridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.events.TlsConfig;
import io.meshbridge.events.WebhookSecret;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTargetTest {

    private static final List<WebhookSecret> SECRETS = WebhookSecret.parseAll("whsec_c2VjcmV0LWtleS1vbmU=");

    @Test
    void hasDefaults() {
        WebhookTarget t = WebhookTarget.builder("https://hooks.example.com/in").build();
        assertThat(t.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.readTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(t.contentMode()).isEqualTo(ContentMode.RAW);
        assertThat(t.contentMode().contentType()).isEqualTo("application/json");
        assertThat(t.secrets()).isEmpty();
        assertThat(t.signed()).isFalse();
        assertThat(t.headers()).isEmpty();
        assertThat(t.proxy()).isNull();
        assertThat(t.tls()).isEqualTo(TlsConfig.NONE);
    }

    @Test
    void takesEveryOption() {
        TlsConfig tls = new TlsConfig(false, Path.of("ca.pem"), Path.of("c.pem"), Path.of("k.pem"), null, null,
                null, null, false);
        WebhookTarget t = WebhookTarget.builder("HTTPS://hooks.example.com:8443/in?token=abc")
                .header("Authorization", "Bearer tok-123")
                .headers(Map.of("X-Team", "tools"))
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(2))
                .contentMode(ContentMode.parse("CloudEvents"))
                .secrets(SECRETS)
                .proxy("proxy.local:3128")
                .tls(tls)
                .build();
        assertThat(t.url().toString()).isEqualTo("https://hooks.example.com:8443/in?token=abc");
        assertThat(t.headers()).containsExactly(Map.entry("Authorization", "Bearer tok-123"),
                Map.entry("X-Team", "tools"));
        assertThat(t.contentMode().contentType()).isEqualTo("application/cloudevents+json");
        assertThat(t.signed()).isTrue();
        assertThat(t.proxy()).isEqualTo(InetSocketAddress.createUnresolved("proxy.local", 3128));
        assertThat(t.tls().enabled()).isTrue();
    }

    @Test
    void toStringShowsNoSecretTokenOrHeaderValue() {
        WebhookTarget t = WebhookTarget.builder("https://hooks.example.com/services/T0/B0/s3cr3tpath?k=qu3ry")
                .header("Authorization", "Bearer tok-123")
                .secrets(SECRETS)
                .build();
        assertThat(t.toString())
                .contains("https://hooks.example.com/…", "Authorization", "secrets=1")
                .doesNotContain("s3cr3tpath", "qu3ry", "tok-123", "c2VjcmV0");
        assertThat(t.redactedUrl()).isEqualTo("https://hooks.example.com/…");
        assertThat(WebhookTarget.builder("http://127.0.0.1:8080").build().redactedUrl())
                .isEqualTo("http://127.0.0.1:8080/");
    }

    @Test
    void refusesUrlsItCannotOrMustNotUse() {
        assertThatThrownBy(() -> WebhookTarget.builder("https://bob:hunter2@example.com/x").build())
                .hasMessageContaining("must not contain user info")
                .message().doesNotContain("hunter2").doesNotContain("bob");
        assertThatThrownBy(() -> WebhookTarget.builder("https://bob:hunter 2@example.com/x").build())
                .hasMessageContaining("not a valid URL")
                .message().doesNotContain("hunter").doesNotContain("bob");
        assertThatThrownBy(() -> WebhookTarget.builder("ftp://example.com/x").build())
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> WebhookTarget.builder("example.com/x").build())
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> WebhookTarget.builder("https:///x").build())
                .hasMessageContaining("host");
        assertThatThrownBy(() -> WebhookTarget.builder("https://example.com/x#frag").build())
                .hasMessageContaining("fragment");
    }

    @Test
    void refusesReservedAndMalformedHeadersWithoutQuotingValues() {
        for (String name : List.of("Host", "content-length", "Content-Type", "Transfer-Encoding", "Connection",
                "webhook-id", "Webhook-Signature", "webhook-anything", "Upgrade", "Expect")) {
            assertThatThrownBy(() -> WebhookTarget.builder("https://e.com").header(name, "v").build())
                    .as(name).hasMessageContaining("webhook header " + name + " is set by the client itself");
        }
        assertThatThrownBy(() -> WebhookTarget.builder("https://e.com").header("X Bad", "v").build())
                .hasMessageContaining("not a valid HTTP header name");
        assertThatThrownBy(() -> WebhookTarget.builder("https://e.com").header("Authorization", "tok\r\nX: y")
                .build())
                .hasMessageContaining("value of webhook header Authorization contains a control character")
                .message().doesNotContain("tok");
        assertThatThrownBy(() -> WebhookTarget.builder("https://e.com").header("X-A", "1").header("x-a", "2")
                .build())
                .hasMessageContaining("given twice");
    }

    @Test
    void refusesTimeoutsThatAreNotPositive() {
        assertThatThrownBy(() -> WebhookTarget.builder("https://e.com").connectTimeout(Duration.ZERO).build())
                .hasMessageContaining("webhook connect timeout must be positive");
        assertThatThrownBy(() -> WebhookTarget.builder("https://e.com").readTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("webhook read timeout must be positive");
    }

    @Test
    void readsProxies() {
        assertThat(WebhookTarget.parseProxy("http://proxy:8080/"))
                .isEqualTo(InetSocketAddress.createUnresolved("proxy", 8080));
        assertThat(WebhookTarget.parseProxy("[::1]:3128")).isEqualTo(InetSocketAddress.createUnresolved("::1", 3128));
        for (String bad : List.of("proxy", "proxy:", "proxy:0", "proxy:70000", ":80", "proxy:http")) {
            assertThatThrownBy(() -> WebhookTarget.parseProxy(bad)).as(bad)
                    .hasMessageContaining("webhook proxy must be written host:port");
        }
        assertThatThrownBy(() -> WebhookTarget.parseProxy("http://u:pw-xyz@proxy:80"))
                .hasMessageContaining("credentials").message().doesNotContain("pw-xyz");
        assertThat(WebhookTarget.builder("https://e.com").proxy(" ").build().proxy()).isNull();
    }

    @Test
    void tlsNeedsHttpsAndNoNatsOptions() {
        TlsConfig ca = new TlsConfig(false, Path.of("ca.pem"), null, null, null, null, null, null, false);
        assertThatThrownBy(() -> WebhookTarget.builder("http://e.com").tls(ca).build())
                .hasMessageContaining("not https");
        TlsConfig first = new TlsConfig(true, null, null, null, null, null, null, null, true);
        assertThatThrownBy(() -> WebhookTarget.builder("https://e.com").tls(first).build())
                .hasMessageContaining("handshakeFirst");
    }

    @Test
    void contentModesHaveNames() {
        assertThat(ContentMode.parse(" raw ")).isEqualTo(ContentMode.RAW);
        assertThat(ContentMode.parse("cloudevents")).isEqualTo(ContentMode.CLOUDEVENTS);
        assertThatThrownBy(() -> ContentMode.parse("xml")).hasMessageContaining("raw or cloudevents");
    }
}
