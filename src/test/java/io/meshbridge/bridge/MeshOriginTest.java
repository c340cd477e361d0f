package io.meshbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MeshOriginTest {

    private final MeshOrigin a = new MeshOrigin("MESH_EVENTS@2026-11-29T10:45:28.123Z", false);

    @Test
    void anEventBornHereGoesOutWithThisMeshsMarker() {
        assertThat(a.outbound(null)).isEqualTo(MeshOrigin.Verdict.FORWARD);
        assertThat(a.outbound("")).isEqualTo(MeshOrigin.Verdict.FORWARD);
        assertThat(a.markerFor(null)).isEqualTo("MESH_EVENTS@2026-11-29T10:45:28.123Z");
    }

    @Test
    void anEventCarryingThisMeshsMarkerCameBackAndNeverGoesOutAgain() {
        assertThat(a.outbound(a.meshId())).isEqualTo(MeshOrigin.Verdict.RETURNED);
        assertThat(new MeshOrigin(a.meshId(), true).outbound(a.meshId())).isEqualTo(MeshOrigin.Verdict.RETURNED);
        assertThat(a.inboundSkips(a.meshId())).isTrue();
        assertThat(a.inboundSkips("B@2026-01-01T00:00:00Z")).isFalse();
        assertThat(a.inboundSkips(null)).isFalse();
    }

    @Test
    void anEventFromAnotherMeshGoesOutOnlyWithForwardBridgedKeepingItsMarker() {
        String b = "B@2026-01-01T00:00:00Z";
        assertThat(a.outbound(b)).isEqualTo(MeshOrigin.Verdict.BRIDGED);
        MeshOrigin transit = new MeshOrigin(a.meshId(), true);
        assertThat(transit.outbound(b)).isEqualTo(MeshOrigin.Verdict.FORWARD);
        assertThat(transit.markerFor(b)).isEqualTo(b);
    }

    @Test
    void theDerivedIdIsTheStreamAndItsCreationTime() {
        assertThat(MeshOrigin.derivedId("MESH_EVENTS", Instant.parse("2026-11-29T10:45:28.123456789Z")))
                .isEqualTo("MESH_EVENTS@2026-11-29T10:45:28.123456789Z");
    }

    @Test
    void idsAndMarkersArePrintableAsciiWithoutSpaces() {
        assertThatThrownBy(() -> new MeshOrigin("a b", false)).hasMessageContaining("meshId")
                .hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> new MeshOrigin("", false)).hasMessageContaining("empty");
        assertThatThrownBy(() -> new MeshOrigin("x".repeat(129), false)).hasMessageContaining("128");
        assertThat(MeshOrigin.validMarker("ok@1")).isEqualTo("ok@1");
        assertThat(MeshOrigin.validMarker("bad\r\nInjected: 1")).isNull();
        assertThat(MeshOrigin.validMarker("caf\u00e9")).isNull();
    }
}
