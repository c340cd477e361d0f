package io.meshbridge.events;

/**
 * Receives the messages on an event subject that did not decode, with their subject and bytes. Called on
 * the thread that received the message.
 */
@FunctionalInterface
public interface DecodeErrorHandler {

    /** Handles one undecodable message. */
    void onDecodeError(EventDecodeException error);
}
