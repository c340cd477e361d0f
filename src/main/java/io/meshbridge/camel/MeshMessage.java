package io.meshbridge.camel;

import io.meshbridge.events.EventHead;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;

/**
 * The in-message of a consumed exchange: its {@link MeshConstants} headers are filled in from the delivery
 * the first time any header is read or written, so a route that never looks at headers does not pay for them.
 * Not thread-safe (as any Camel message).
 */
final class MeshMessage extends DefaultMessage {

    private final Delivery delivery;
    private final EventHead head;

    MeshMessage(Exchange exchange, Delivery delivery, EventHead head) {
        super(exchange);
        this.delivery = delivery;
        this.head = head;
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        map.put(MeshConstants.SUBJECT, delivery.message().getSubject());
        map.put(MeshConstants.SEQUENCE, delivery.sequence());
        map.put(MeshConstants.STREAM_TIME, delivery.streamTime());
        map.put(MeshConstants.DELIVERIES, delivery.deliveries());
        map.put(MeshConstants.EVENT_ID, delivery.eventId());
        if (head != null) {
            map.put(MeshConstants.TYPE, head.type());
            map.put(MeshConstants.NODE, head.node());
            if (head.timestamp() != null) {
                map.put(MeshConstants.TIMESTAMP, head.timestamp());
            }
        }
    }
}
