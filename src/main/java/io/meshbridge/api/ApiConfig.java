package io.meshbridge.api;

import io.meshbridge.events.Secret;
import java.util.List;
import java.util.Objects;

/**
 * The API's access settings ({@code mesh.api.*}).
 *
 * @param auth   {@link Auth#TOKEN}: every request needs one of {@code tokens} ({@code mesh.api.auth=token},
 *               the default; with no token configured the API is locked and answers 401), or
 *               {@link Auth#NONE}: open to anyone who reaches the port
 * @param tokens the bearer tokens ({@code mesh.api.tokens}, {@code mesh.api.tokens-file}); never printed
 */
public record ApiConfig(Auth auth, List<Secret> tokens) {

    /** How requests are admitted. */
    public enum Auth {
        /** A bearer token from the configured ones. */
        TOKEN,
        /** Anyone: no token asked. */
        NONE
    }

    /** The default: tokens asked, none configured, so locked. */
    public static final ApiConfig LOCKED = new ApiConfig(Auth.TOKEN, List.of());

    /** Requires both; copies the tokens. */
    public ApiConfig {
        Objects.requireNonNull(auth, "auth");
        tokens = List.copyOf(tokens);
    }

    @Override
    public String toString() {
        return "ApiConfig[auth=" + auth + ", tokens=" + tokens.size() + "]";
    }
}
