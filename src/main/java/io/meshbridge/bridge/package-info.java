/**
 * Broker bridges, the plain-Java part: what the {@code mesh-to-nats}, {@code mesh-to-mqtt},
 * {@code mqtt-to-mesh}, {@code mesh-to-kafka} and {@code kafka-to-mesh} route templates send and take in, and the
 * rules they follow.
 *
 * <ul>
 *   <li>The loop guard ({@link io.meshbridge.bridge.MeshOrigin}): the {@code Mesh-Origin} marker, the mesh id, and
 *   which events a bridge carries.</li>
 *   <li>Names: the event's type behind a NATS subject prefix or an MQTT topic prefix
 *   ({@link io.meshbridge.bridge.SubjectMapping}); a broker topic as the topic of a {@code user.} event
 *   ({@link io.meshbridge.bridge.TopicMapping}, under {@code io.meshbridge.ingest.TopicRules}).</li>
 *   <li>Payloads in ({@link io.meshbridge.bridge.InboundPayloads}, with the HTTP ingest's
 *   {@code io.meshbridge.ingest.JsonBodies}).</li>
 *   <li>Clients that confirm each message: {@link io.meshbridge.bridge.NatsPublisher} (JetStream PubAck, or a
 *   flush), {@link io.meshbridge.bridge.MqttPublisher} (QoS 1 PUBACK with its reason code),
 *   {@link io.meshbridge.bridge.MqttSubscriber} (a persistent QoS 1 session, PUBACK only when told), and
 *   {@link io.meshbridge.bridge.MqttConnection} (MQTT credentials and TLS; NATS uses
 *   {@code io.meshbridge.events.NatsConnectionConfig}); {@link io.meshbridge.bridge.KafkaPublisher} (idempotent,
 *   {@code acks=all}), {@link io.meshbridge.bridge.KafkaSubscriber} (offsets committed only past completed
 *   records, {@link io.meshbridge.bridge.PartitionOffsets}) and {@link io.meshbridge.bridge.KafkaConnection}
 *   (SASL and TLS).</li>
 * </ul>
 * Retries ride on JetStream redelivery (outbound) and on the broker's redelivery (inbound), which
 * {@code io.meshbridge.bridge.camel} drives; Kafka, which redelivers nothing, is read again by
 * {@link io.meshbridge.bridge.KafkaSubscriber} seeking back to a failed record. Depends on
 * {@code io.meshbridge.events}, {@code io.meshbridge.ingest}, jnats, paho (which camel-paho-mqtt5 brings) and
 * kafka-clients; knows no Camel.
 */
package io.meshbridge.bridge;
