/**
 * Webhooks out, the plain-Java part: what is sent ({@link io.meshbridge.webhook.CloudEvent} or the raw
 * event, signed by {@link io.meshbridge.events.StandardWebhooks}), where and how
 * ({@link io.meshbridge.webhook.WebhookTarget}), one attempt ({@link io.meshbridge.webhook.WebhookClient}) and
 * what it came to ({@link io.meshbridge.webhook.Outcome}, {@link io.meshbridge.webhook.RetryAfter}). The Camel
 * side, {@code io.meshbridge.webhook.camel}, posts a {@code mesh:} route's events with these.
 *
 * <p>No retry state lives here: retries ride on JetStream redelivery, which the Camel side drives from the
 * outcomes. Depends on {@code io.meshbridge.events} and the JDK only (and Jackson for CloudEvents).
 */
package io.meshbridge.webhook;
