package io.meshbridge.events;

/**
 * The acknowledgement of an event stored by {@link PersistentBus}.
 *
 * @param id        the event's id ({@code Nats-Msg-Id})
 * @param stream    the stream that stored it
 * @param sequence  its stream sequence
 * @param duplicate whether the server had already stored an event with this id within its duplicate window
 *                  (a retried emit): the sequence is then that of the first copy
 */
public record EmitResult(String id, String stream, long sequence, boolean duplicate) {
}
