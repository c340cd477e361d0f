package io.meshbridge.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventDecodeExceptionTest {

    private static final byte[] RAW = "not json".getBytes(UTF_8);
    private static final StreamPosition POSITION = new StreamPosition("MESH_EVENTS", 9, Instant.EPOCH);

    @Test
    void carriesSubjectBytesAndReason() {
        IllegalStateException cause = new IllegalStateException("boom");
        EventDecodeException e = new EventDecodeException("events.tool.crashed", RAW, "not valid JSON", cause);

        assertThat(e.subject()).isEqualTo("events.tool.crashed");
        assertThat(e.raw()).isSameAs(RAW);
        assertThat(e.reason()).isEqualTo("not valid JSON");
        assertThat(e.position()).isNull();
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e).hasMessage("subject events.tool.crashed: not valid JSON");
    }

    @Test
    void atAddsTheStreamPositionAndKeepsTheRest() {
        IllegalStateException cause = new IllegalStateException("boom");
        EventDecodeException e = new EventDecodeException("events.x", RAW, "reason", cause);

        EventDecodeException located = e.at(POSITION);

        assertThat(located.position()).isEqualTo(POSITION);
        assertThat(located.subject()).isEqualTo("events.x");
        assertThat(located.raw()).isSameAs(RAW);
        assertThat(located.reason()).isEqualTo("reason");
        assertThat(located.getCause()).isSameAs(cause);
        assertThat(located).hasMessage("sequence 9, subject events.x: reason");
        assertThat(e.position()).isNull();
    }

    @Test
    void nullBytesAreAnEmptyPayload() {
        assertThat(new EventDecodeException("s", null, "empty payload", null).raw()).isEmpty();
    }

    @Test
    void subjectAndReasonAreRequired() {
        assertThatThrownBy(() -> new EventDecodeException(null, RAW, "r", null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new EventDecodeException("s", RAW, null, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void rawPreviewCutsLongPayloads() {
        EventDecodeException e = new EventDecodeException("s", "abcdefghij".getBytes(UTF_8), "r", null);

        assertThat(e.rawPreview(4)).isEqualTo("abcd…");
        assertThat(e.rawPreview(10)).isEqualTo("abcdefghij");
        assertThat(e.rawPreview(50)).isEqualTo("abcdefghij");
        assertThat(e.rawPreview(0)).isEqualTo("…");
    }

    @Test
    void rawPreviewNeverSplitsASurrogatePair() {
        EventDecodeException e = new EventDecodeException("s", "ab\ud83d\ude00cd".getBytes(UTF_8), "r", null);

        assertThat(e.rawPreview(3)).isEqualTo("ab…");
        assertThat(e.rawPreview(4)).isEqualTo("ab\ud83d\ude00…");
    }

    @Test
    void rawPreviewShowsInvalidUtf8AsReplacementCharacters() {
        EventDecodeException e = new EventDecodeException("s", new byte[] {'a', (byte) 0xff, 'b'}, "r", null);

        assertThat(e.rawPreview(10)).isEqualTo("a\ufffdb");
    }

    @Test
    void rawPreviewRefusesANegativeLength() {
        EventDecodeException e = new EventDecodeException("s", RAW, "r", null);

        assertThatThrownBy(() -> e.rawPreview(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
