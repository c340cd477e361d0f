package io.meshbridge.webhook.camel;

import io.meshbridge.events.TlsConfig;
import io.meshbridge.events.WebhookSecret;
import io.meshbridge.webhook.ContentMode;
import io.meshbridge.webhook.WebhookTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The checked settings of one {@code webhook-out:} endpoint: where and how to post ({@link WebhookTarget}) and
 * how many at once, in which order, how fast, and when to pause.
 *
 * @param target      the endpoint, body, signing, timeouts, proxy and TLS
 * @param maxInFlight most requests outstanding at once, at least 1
 * @param ordered     one event per subject at a time, in stream order
 * @param rateLimit   most request starts per second, 0 for unlimited
 * @param pauseAfter  pause after failing this long without a success, zero for never
 */
public record WebhookOptions(WebhookTarget target, int maxInFlight, boolean ordered, int rateLimit, Duration pauseAfter) {

    /** Checks the members. */
    public WebhookOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(pauseAfter, "pauseAfter");
        if (maxInFlight < 1 || rateLimit < 0 || pauseAfter.isNegative()) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, rateLimit and pauseAfter not negative");
        }
    }

    /** The URL's scheme, host and port: all that is ever logged of it (paths and queries may hold secrets). */
    public String origin() {
        return origin(target.url());
    }

    static String origin(Object url) {
        if (url == null) {
            return "(no url)";
        }
        try {
            URI u = URI.create(url.toString().trim());
            return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "(an invalid url)";
        }
    }

    static WebhookOptions of(WebhookSettings s) {
        if (s.getUrl() == null || s.getUrl().isBlank()) {
            throw new IllegalArgumentException("webhook parameter url is required (http:// or https://)");
        }
        WebhookTarget.Builder b;
        try {
            b = WebhookTarget.builder(s.getUrl().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook parameter url: " + e.getMessage(), e);
        }
        b.headers(headers(s.getHeaders()))
                .connectTimeout(WebhookSettings.duration("connectTimeout", s.getConnectTimeout()))
                .readTimeout(WebhookSettings.duration("readTimeout", s.getReadTimeout()));
        try {
            b.contentMode(ContentMode.parse(s.getFormat()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook parameter format must be raw or cloudevents, was '"
                    + s.getFormat() + "'");
        }
        if (s.getSecret() != null && !s.getSecret().isBlank()) {
            List<WebhookSecret> secrets;
            try {
                secrets = WebhookSecret.parseAll(s.getSecret());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("webhook parameter secret: " + e.getMessage());
            }
            b.secrets(secrets);
        }
        if (s.getProxy() != null && !s.getProxy().isBlank()) {
            try {
                b.proxy(s.getProxy().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("webhook parameter proxy: " + e.getMessage(), e);
            }
        }
        TlsConfig tls = tls(s);
        if (tls != null) {
            b.tls(tls);
        }
        WebhookTarget target;
        try {
            target = b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook: " + e.getMessage(), e);
        }
        return new WebhookOptions(target, WebhookSettings.positiveInt("maxInFlight", s.getMaxInFlight(), 1),
                WebhookSettings.bool("ordered", s.getOrdered()),
                WebhookSettings.positiveInt("rateLimit", s.getRateLimit(), 0),
                WebhookSettings.duration("pauseAfter", s.getPauseAfter()));
    }

    /** {@code Name: value} pairs separated by {@code ;}. */
    static Map<String, String> headers(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("webhook parameter headers: each header is 'Name: value', separated"
                        + " by ';' (found one without a name or ':')");
            }
            out.put(part.substring(0, colon).trim(), part.substring(colon + 1).trim());
        }
        return out;
    }

    private static TlsConfig tls(WebhookSettings s) {
        Path ca = path(s.getCaFile());
        Path cert = path(s.getCertFile());
        Path key = path(s.getKeyFile());
        if (ca == null && cert == null && key == null) {
            return null;
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("webhook parameters certFile and keyFile go together (mutual TLS)");
        }
        try {
            return new TlsConfig(true, ca, cert, key, null, null, null, null, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook TLS: " + e.getMessage(), e);
        }
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }
}
