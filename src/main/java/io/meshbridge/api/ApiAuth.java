package io.meshbridge.api;

import io.meshbridge.events.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Whether a request may use the API: with {@link ApiConfig.Auth#NONE} every request, else one presenting
 * {@code Authorization: Bearer <token>} with one of the configured tokens. The SHA-256 digest of the
 * presented token is compared with every configured one by {@link MessageDigest#isEqual}, always all of them,
 * so the time taken tells nothing of how close a guess came. Immutable and thread-safe; the tokens are never
 * printed.
 */
public final class ApiAuth {

    private final boolean open;
    private final byte[][] digests;

    /** The check for {@code config}. */
    public ApiAuth(ApiConfig config) {
        this.open = config.auth() == ApiConfig.Auth.NONE;
        List<Secret> tokens = config.tokens();
        this.digests = new byte[tokens.size()][];
        for (int i = 0; i < tokens.size(); i++) {
            digests[i] = sha256(tokens.get(i).value());
        }
    }

    /** Whether no token is asked. */
    public boolean open() {
        return open;
    }

    /** Whether requests are asked for a token while none is configured: every request is refused. */
    public boolean locked() {
        return !open && digests.length == 0;
    }

    /** Whether a request with the {@code Authorization} header {@code header} (or {@code null}) may pass. */
    public boolean allows(String header) {
        if (open) {
            return true;
        }
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip() : null;
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] d : digests) {
            match |= MessageDigest.isEqual(d, digest);
        }
        return match;
    }

    /** Why a request was refused, for the 401's reason. */
    public String refusal() {
        return locked() ? "the API is locked: no token is configured (set mesh.api.tokens, MESH_API_TOKENS or"
                + " mesh.api.tokens-file, or open it with mesh.api.auth=none)"
                : "the API needs Authorization: Bearer <token> with one of mesh.api.tokens";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
