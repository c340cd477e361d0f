package io.meshbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The token syntax, its checks and matching; secrets never appear in a message. */
class IngestTokensTest {

    static final String S1 = "0123456789abcdef0123";
    static final String S2 = "fedcba9876543210fedc";

    @Test
    void parsesNamesSecretsTopicsAndNodes() {
        List<IngestToken> tokens = IngestTokens.parse(" ci:" + S1 + ";topics=build|deploy.prod;node=ci-runner ,\n"
                + "# a comment\n\nall:" + S2);
        assertThat(tokens).hasSize(2);
        assertThat(tokens.get(0).name()).isEqualTo("ci");
        assertThat(tokens.get(0).secret().value()).isEqualTo(S1);
        assertThat(tokens.get(0).topics()).containsExactly("build", "deploy.prod");
        assertThat(tokens.get(0).node()).isEqualTo("ci-runner");
        assertThat(tokens.get(1).topics()).isEmpty();
        assertThat(tokens.get(1).node()).isNull();
        assertThat(tokens.get(0).allows("build.done")).isTrue();
        assertThat(tokens.get(0).allows("deploy")).isFalse();
        assertThat(tokens.get(0).allows("deploy.prod.eu")).isTrue();
        assertThat(tokens.get(1).allows("anything.at.all")).isTrue();
        assertThat(tokens.toString()).doesNotContain(S1).doesNotContain(S2);
    }

    @Test
    void invalidEntriesNameTheEntryNeverTheSecret() {
        assertThatThrownBy(() -> IngestTokens.parse("just-a-secret-" + S1))
                .hasMessage("token 1: expected NAME:SECRET[;topics=A|B][;node=N]");
        assertThatThrownBy(() -> IngestTokens.parse("a:" + S1 + ", b:short"))
                .hasMessage("token 2: token b: the secret must be at least 16 characters (e.g. openssl rand -hex 32)");
        assertThatThrownBy(() -> IngestTokens.parse("a:" + S1 + ";topics=a..b"))
                .hasMessage("token 1: token a: topics: topic 'a..b' has an empty token");
        assertThatThrownBy(() -> IngestTokens.parse("a:" + S1 + ";topics="))
                .hasMessage("token 1 (a): topics= is empty");
        assertThatThrownBy(() -> IngestTokens.parse("a:" + S1 + ";node=a b"))
                .hasMessage("token 1: token a: node: node name contains whitespace or a control character");
        assertThatThrownBy(() -> IngestTokens.parse("a:" + S1 + ";scope=x"))
                .hasMessage("token 1 (a): unknown attribute 'scope' (expected topics= or node=)");
        assertThatThrownBy(() -> IngestTokens.parse("a b:" + S1))
                .hasMessageStartingWith("token 1: token name 'a b' must be");
        assertThatThrownBy(() -> IngestTokens.parse("a:" + S1 + "é"))
                .hasMessage("token 1: token a: the secret must be printable ASCII without space , ; : |")
                .hasMessageNotContaining(S1);
        assertThatThrownBy(() -> IngestTokens.of(IngestTokens.parse("a:" + S1 + ",a:" + S2)))
                .hasMessage("token name a is given twice");
        assertThatThrownBy(() -> IngestTokens.of(IngestTokens.parse("a:" + S1 + ",b:" + S1)))
                .hasMessage("tokens a and b have the same secret");
    }

    @Test
    void matchesOnlyTheExactSecret() {
        IngestTokens tokens = IngestTokens.of(IngestTokens.parse("a:" + S1 + ",b:" + S2));
        assertThat(tokens.match(S1).name()).isEqualTo("a");
        assertThat(tokens.match(S2).name()).isEqualTo("b");
        assertThat(tokens.match(S1 + "x")).isNull();
        assertThat(tokens.match(S1.substring(1))).isNull();
        assertThat(tokens.match("")).isNull();
        assertThat(IngestTokens.of(List.of()).match(S1)).isNull();
    }
}
