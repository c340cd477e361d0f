package io.meshbridge.bridge;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * The loop guard of the broker bridges: which mesh an event comes from, and whether a bridge may carry it.
 *
 * <p><b>The marker.</b> An event a bridge sends out carries {@value #HEADER}{@code : <mesh id>} (a NATS header,
 * an MQTT 5 user property), the id of the mesh it was first emitted in; its bytes are never changed. An event
 * that already carries a marker keeps it. An ingest ({@code mqtt-to-mesh}) keeps the marker of what it takes in
 * when it emits, so the event stays recognisable in the mesh it reached.
 *
 * <p><b>The rules.</b> Outbound ({@link #outbound}): an event without a marker was born here and is forwarded
 * with this mesh's marker; one carrying this mesh's own marker went out and came back, and is never forwarded
 * again; one carrying another mesh's marker came in over a bridge and is forwarded (keeping that marker) only
 * with {@code forwardBridged}. Inbound ({@link #inboundSkips}): a message carrying this mesh's own marker is
 * not taken in. So a two-way bridge between two meshes never echoes: each event crosses once and stops. With
 * {@code forwardBridged} in a cycle of meshes an event comes back to its origin once, then stops.
 *
 * <p><b>The mesh id</b> is 1 to {@value #MAX_LENGTH} printable ASCII characters without spaces; by default
 * {@link #derivedId}: the event stream's name and creation time, {@code MESH_EVENTS@2026-11-29T10:45:28.123Z},
 * the same for every worker on the stream and across restarts, with no configuration (a stream deleted and
 * created again is a new mesh). Routes that set a {@code meshId} must all set the same one in a mesh.
 *
 * @param meshId         this mesh's id
 * @param forwardBridged whether events carrying another mesh's marker are forwarded too
 */
public record MeshOrigin(String meshId, boolean forwardBridged) {

    /** The header (NATS) and user property (MQTT 5) carrying the marker. */
    public static final String HEADER = "Mesh-Origin";

    /** Longest mesh id, in characters. */
    public static final int MAX_LENGTH = 128;

    /** What an outbound bridge does with an event. */
    public enum Verdict {
        /** Forward it, with the marker of {@link #markerFor}. */
        FORWARD,
        /** It carries this mesh's own marker: it went out and came back. Acknowledge it, do not forward. */
        RETURNED,
        /** It came in from another mesh and {@code forwardBridged} is off. Acknowledge it, do not forward. */
        BRIDGED
    }

    /** Checks the id. */
    public MeshOrigin {
        String problem = problem(meshId);
        if (problem != null) {
            throw new IllegalArgumentException("meshId " + problem);
        }
    }

    /** What is wrong with {@code id} as a mesh id (or a received marker), or {@code null} when it is valid. */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "must not be empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c > '~') {
                return "must be printable ASCII without spaces";
            }
        }
        return null;
    }

    /** The default mesh id of a stream created at {@code created}: {@code <stream>@<created, RFC 3339 UTC>}. */
    public static String derivedId(String stream, Instant created) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(created, "created");
        return stream + "@" + created;
    }

    /**
     * {@code configured} when it is not blank, else the {@link #derivedId} of {@code stream} as the server
     * reports it.
     *
     * @throws JetStreamApiException when the id must be derived and the stream does not exist
     */
    public static String resolveId(String configured, Connection connection, String stream)
            throws IOException, JetStreamApiException {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return derivedId(stream, connection.jetStreamManagement().getStreamInfo(stream).getCreateTime().toInstant());
    }

    /** The verdict on an event whose marker is {@code marker} ({@code null}: none). */
    public Verdict outbound(String marker) {
        if (marker == null || marker.isEmpty()) {
            return Verdict.FORWARD;
        }
        if (marker.equals(meshId)) {
            return Verdict.RETURNED;
        }
        return forwardBridged ? Verdict.FORWARD : Verdict.BRIDGED;
    }

    /** The marker a forwarded event carries: its own when it has one, else this mesh's id. */
    public String markerFor(String marker) {
        return marker == null || marker.isEmpty() ? meshId : marker;
    }

    /** Whether an ingest drops a message carrying {@code marker}: it left this mesh and came back. */
    public boolean inboundSkips(String marker) {
        return meshId.equals(marker);
    }

    /** {@code marker} when it is a valid mesh id, else {@code null} (a foreign client's garbage is not kept). */
    public static String validMarker(String marker) {
        return problem(marker) == null ? marker : null;
    }
}
