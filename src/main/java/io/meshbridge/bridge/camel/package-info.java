/**
 * The broker bridges' Camel adapter: the {@code bridge:} component ({@code bridge:nats-out},
 * {@code bridge:mqtt-out}, {@code bridge:kafka-out} after a {@code mesh:} consumer, {@code bridge:mqtt-ingest}
 * after an {@code mqtt-broker:} consumer, {@code bridge:kafka-ingest} after a {@code kafka-broker:} consumer) and
 * the {@code mqtt-broker:} and {@code kafka-broker:} components, each configured by a settings bean
 * ({@link io.meshbridge.bridge.camel.NatsBridgeSettings}, {@link io.meshbridge.bridge.camel.MqttBridgeSettings},
 * {@link io.meshbridge.bridge.camel.KafkaBridgeSettings}) that the route templates make, so that no secret
 * appears in a URI.
 *
 * <p>Outbound steps complete an exchange, so that the {@code mesh:} consumer acknowledges its event, only once
 * the broker confirmed it; a refusal that cannot change fails it with
 * {@link io.meshbridge.camel.MeshPermanentException} (dead-lettered), anything else with
 * {@link io.meshbridge.bridge.camel.BridgeSendFailedException} (retried on the route's backoff). The inbound step
 * returns only once the stream stored the event (or the dead-letter stream the refused message), and only then
 * does the consumer send the PUBACK (MQTT) or may it commit the record's offset (Kafka).
 *
 * <p>Builds on {@code io.meshbridge.events}, {@code io.meshbridge.camel}, {@code io.meshbridge.ingest} and the
 * bridge library; nothing there depends on it.
 */
package io.meshbridge.bridge.camel;
