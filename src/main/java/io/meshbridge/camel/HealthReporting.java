package io.meshbridge.camel;

import java.util.Optional;

/**
 * Implemented by endpoints (or their producers and consumers) that can fail in a way their route's status
 * does not show, e.g. a sink that stopped acknowledging while its route still counts as started. The
 * worker's {@code /health} asks every endpoint of the Camel context that implements it, and answers 503 with
 * each problem while any is present.
 *
 * <p>Implementations must be thread-safe and cheap: {@link #problem()} is called on every health request.
 */
public interface HealthReporting {

    /**
     * What is wrong, in one line naming the route and the reason (no secrets); empty while healthy.
     */
    Optional<String> problem();
}
