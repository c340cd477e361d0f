package io.meshbridge.events;

/**
 * Receives events from a subscription. Called on the subscription's own dispatcher thread, one event at a
 * time and in arrival order; an exception is logged and counted and does not end the subscription.
 */
@FunctionalInterface
public interface EventHandler {

    /** Handles one event. */
    void onEvent(ReceivedEvent event) throws Exception;
}
