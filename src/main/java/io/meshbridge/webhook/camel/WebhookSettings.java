package io.meshbridge.webhook.camel;

import java.time.Duration;
import org.apache.camel.util.TimeUtils;

/**
 * The settings of one {@code webhook-out:} endpoint, as a bean with setters (the {@code mesh-webhook} template
 * fills one per route from its parameters, so that no secret appears in an endpoint URI). Values are kept as
 * given and checked by {@link #validated()}, which names the parameter at fault.
 *
 * <p>{@link #toString()} shows the URL's origin only and never the secret. Not thread-safe: configured once,
 * then read.
 */
public class WebhookSettings {

    private String url;
    private String secret = "";
    private String format = "raw";
    private String headers = "";
    private String connectTimeout = "5s";
    private String readTimeout = "15s";
    private String proxy = "";
    private String caFile = "";
    private String certFile = "";
    private String keyFile = "";
    private String maxInFlight = "16";
    private String ordered = "false";
    private String rateLimit = "0";
    private String pauseAfter = "1h";

    /** Settings with the defaults; {@code url} must be set. */
    public WebhookSettings() {
    }

    /**
     * The settings checked and parsed.
     *
     * @throws IllegalArgumentException naming the parameter at fault (never showing a secret)
     */
    public WebhookOptions validated() {
        return WebhookOptions.of(this);
    }

    static Duration duration(String name, String value) {
        String v = value == null ? "" : value.trim();
        try {
            Duration d = v.startsWith("P") || v.startsWith("p") ? Duration.parse(v) : TimeUtils.toDuration(v);
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("webhook parameter " + name + " must be a duration such as 500ms, 5s,"
                    + " 2m or 1h, was '" + value + "'");
        }
    }

    static int positiveInt(String name, String value, int min) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("webhook parameter " + name + " must be a whole number of at least "
                    + min + ", was '" + value + "'");
        }
    }

    static boolean bool(String name, String value) {
        String v = value == null ? "" : value.trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("webhook parameter " + name + " must be true or false, was '" + value + "'");
    }

    @Override
    public String toString() {
        return "WebhookSettings[" + WebhookOptions.origin(url) + ", format " + format + ", secret "
                + (secret == null || secret.isBlank() ? "none" : "set") + "]";
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getSecret() {
        return secret;
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public String getHeaders() {
        return headers;
    }

    public void setHeaders(String headers) {
        this.headers = headers;
    }

    public String getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(String readTimeout) {
        this.readTimeout = readTimeout;
    }

    public String getProxy() {
        return proxy;
    }

    public void setProxy(String proxy) {
        this.proxy = proxy;
    }

    public String getCaFile() {
        return caFile;
    }

    public void setCaFile(String caFile) {
        this.caFile = caFile;
    }

    public String getCertFile() {
        return certFile;
    }

    public void setCertFile(String certFile) {
        this.certFile = certFile;
    }

    public String getKeyFile() {
        return keyFile;
    }

    public void setKeyFile(String keyFile) {
        this.keyFile = keyFile;
    }

    public String getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(String maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public String getOrdered() {
        return ordered;
    }

    public void setOrdered(String ordered) {
        this.ordered = ordered;
    }

    public String getRateLimit() {
        return rateLimit;
    }

    public void setRateLimit(String rateLimit) {
        this.rateLimit = rateLimit;
    }

    public String getPauseAfter() {
        return pauseAfter;
    }

    public void setPauseAfter(String pauseAfter) {
        this.pauseAfter = pauseAfter;
    }
}
