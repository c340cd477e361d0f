package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EventCodec#scan} accepts and refuses exactly what {@link EventCodec#decode} does, envelope-wise. */
class EventCodecScanTest {

    private final EventCodec codec = EventCodec.defaults();

    @Test
    void everySampleScansToTheEnvelopeItDecodesTo() throws Exception {
        for (Samples.Sample sample : Samples.decodable()) {
            ReceivedEvent decoded = codec.decode(sample.subject(), sample.payload());
            EventHead head = codec.scan(sample.subject(), sample.payload());
            assertThat(head).as(sample.name()).isEqualTo(new EventHead(decoded.event().type(),
                    decoded.event().node(), decoded.event().timestamp(), decoded.typeInferred()));
        }
    }

    @Test
    void everyMalformedSampleIsRefusedForTheSameReason() {
        assertThat(Samples.malformed()).isNotEmpty();
        for (Samples.Sample sample : Samples.malformed()) {
            assertSameRefusal(sample.subject(), sample.payload());
        }
    }

    @Test
    void refusesBadEnvelopesAsDecodeDoes() {
        List<String> bad = new ArrayList<>(List.of(
                "", "[]", "{\"type\":\"a.b\"} x", "{\"type\":7}", "{\"type\":\"a.b\",\"data\":[1]}",
                "{\"type\":\"a.b\",\"data\":{\"x\":}}", "{\"type\":\"a.b\",\"timestamp\":\"yesterday\"}",
                "{\"type\":\"bad type\"}", "{\"data\":{}}", "{\"type\":\"a.b\",\"node\":\"" + "n".repeat(257) + "\"}",
                "{\"type\":\"a.b\",\"data\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2001)));
        for (String payload : bad) {
            assertSameRefusal("x", payload.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void assertSameRefusal(String subject, byte[] payload) {
        Throwable[] decodeError = new Throwable[1];
        assertThatThrownBy(() -> codec.decode(subject, payload)).isInstanceOf(EventDecodeException.class)
                .satisfies(e -> decodeError[0] = e);
        assertThatThrownBy(() -> codec.scan(subject, payload)).isInstanceOf(EventDecodeException.class)
                .hasMessage(decodeError[0].getMessage());
    }
}
