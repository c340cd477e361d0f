package io.meshbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshbridge.events.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may use the API. */
class ApiAuthTest {

    private static final String A = "0123456789abcdef-api-a";
    private static final String B = "0123456789abcdef-api-b";

    @Test
    void onlyAConfiguredBearerTokenPasses() {
        ApiAuth auth = new ApiAuth(new ApiConfig(ApiConfig.Auth.TOKEN, List.of(new Secret(A), new Secret(B))));
        assertThat(auth.allows("Bearer " + A)).isTrue();
        assertThat(auth.allows("bearer " + B)).isTrue();
        assertThat(auth.allows("Bearer " + A + "x")).isFalse();
        assertThat(auth.allows("Basic " + A)).isFalse();
        assertThat(auth.allows("Bearer ")).isFalse();
        assertThat(auth.allows(null)).isFalse();
        assertThat(auth.locked()).isFalse();
        assertThat(auth.refusal()).doesNotContain(A).contains("Authorization: Bearer");
    }

    @Test
    void withoutTokensTheApiIsLockedAndSaysHowToOpenIt() {
        ApiAuth auth = new ApiAuth(ApiConfig.LOCKED);
        assertThat(auth.allows("Bearer " + A)).isFalse();
        assertThat(auth.allows(null)).isFalse();
        assertThat(auth.locked()).isTrue();
        assertThat(auth.refusal()).contains("mesh.api.tokens").contains("mesh.api.auth=none");
    }

    @Test
    void noneOpensIt() {
        ApiAuth auth = new ApiAuth(new ApiConfig(ApiConfig.Auth.NONE, List.of()));
        assertThat(auth.allows(null)).isTrue();
        assertThat(auth.open()).isTrue();
        assertThat(new ApiConfig(ApiConfig.Auth.TOKEN, List.of(new Secret(A))).toString()).doesNotContain(A);
    }
}
