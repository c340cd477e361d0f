package io.meshbridge.camel;

import io.meshbridge.events.Event;
import io.meshbridge.events.EventCodec;
import io.meshbridge.events.EventDecodeException;
import io.meshbridge.events.ReceivedEvent;
import io.meshbridge.events.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.TypeConversionException;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.support.TypeConverterSupport;

/**
 * Type converters from the consumer's body ({@code byte[]}, the payload as stored) to {@link Event} and to
 * {@code Map} (the envelope: {@code type}, {@code node}, {@code timestamp} as RFC 3339 text or {@code null},
 * {@code data}). A payload that is not an event fails the conversion with the decoder's reason. Conversion
 * to {@code String} is Camel's own (UTF-8, which the consumer sets as the exchange's charset).
 */
final class MeshTypeConverters {

    /** Decoding limit for conversions: larger than any NATS payload. */
    private static final EventCodec CODEC = new EventCodec(64 * 1024 * 1024);

    private MeshTypeConverters() {
    }

    /** Registers the converters in {@code context}, once. */
    static void register(CamelContext context) {
        TypeConverterRegistry registry = context.getTypeConverterRegistry();
        if (registry.lookup(Event.class, byte[].class) == null) {
            registry.addTypeConverter(Event.class, byte[].class, new ToEvent());
        }
        if (registry.lookup(Map.class, byte[].class) == null) {
            registry.addTypeConverter(Map.class, byte[].class, new ToMap());
        }
        if (registry.lookup(ReceivedEvent.class, ConsumedEvent.class) == null) {
            registry.addTypeConverter(ReceivedEvent.class, ConsumedEvent.class, new ToReceived());
        }
    }

    /** The event in {@code bytes}, reusing the consumer's decoding when the exchange carries it. */
    static Event decode(Exchange exchange, byte[] bytes) throws EventDecodeException {
        if (exchange != null) {
            if (exchange.getProperty(MeshConstants.RECEIVED_EVENT_PROPERTY) instanceof ConsumedEvent consumed
                    && consumed.raw() == bytes) {
                return consumed.received().event();
            }
        }
        String subject = exchange == null ? null : exchange.getIn().getHeader(MeshConstants.SUBJECT, String.class);
        return CODEC.decode(subject == null ? "" : subject, bytes).event();
    }

    /** The envelope of {@code event} as a map. */
    static Map<String, Object> toMap(Event event) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", event.type());
        map.put("node", event.node());
        map.put("timestamp", event.timestamp() == null ? null : Timestamps.format(event.timestamp()));
        map.put("data", event.data());
        return map;
    }

    private static final class ToEvent extends TypeConverterSupport {
        @Override
        public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
            try {
                return type.cast(decode(exchange, (byte[]) value));
            } catch (EventDecodeException e) {
                throw new TypeConversionException(value, type, e);
            }
        }
    }

    private static final class ToReceived extends TypeConverterSupport {
        @Override
        public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
            return type.cast(((ConsumedEvent) value).received());
        }
    }

    private static final class ToMap extends TypeConverterSupport {
        @Override
        public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
            try {
                return type.cast(toMap(decode(exchange, (byte[]) value)));
            } catch (EventDecodeException e) {
                throw new TypeConversionException(value, type, e);
            }
        }
    }
}
