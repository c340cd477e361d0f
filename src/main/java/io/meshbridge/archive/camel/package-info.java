/**
 * The archive's Camel adapter: the {@code archive:<directory>} component
 * ({@link io.meshbridge.archive.camel.ArchiveComponent}, {@link io.meshbridge.archive.camel.ArchiveEndpoint},
 * {@link io.meshbridge.archive.camel.ArchiveProducer}) that sits after a {@code mesh:} consumer (the route
 * template {@code mesh-archive}) and archives its events with the library of {@code io.meshbridge.archive}.
 *
 * <p>The producer group-commits the consumed events to one {@link io.meshbridge.archive.ArchiveWriter} and
 * completes each exchange, so that the consumer acknowledges its event, only after the event's line is
 * fsynced. A full commit queue makes the consumer wait; a failed writer holds every event, suspends the route
 * and is reported to {@code /health} ({@link io.meshbridge.camel.HealthReporting}). The endpoint tells the
 * consumer's retention gap check ({@link io.meshbridge.camel.RetentionGaps}) what the writer holds beyond the
 * acknowledgement floor, so that only what the stream dropped before it was archived is reported as a
 * {@code user.mesh-bridge.gap} event.
 *
 * <p>Builds on {@code io.meshbridge.events}, {@code io.meshbridge.camel} and the archive library; nothing there
 * depends on it.
 */
package io.meshbridge.archive.camel;
