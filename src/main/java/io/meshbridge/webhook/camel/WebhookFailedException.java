package io.meshbridge.webhook.camel;

/**
 * A retriable failure of a webhook attempt (no answer, a timeout, 408, 429 or 5xx, 410): the {@code mesh:}
 * consumer retries the event on its {@code backoff}. Its message names the status and the endpoint's origin,
 * never its path, query or secrets.
 */
public class WebhookFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public WebhookFailedException(String message) {
        super(message, null, false, false);
    }
}
