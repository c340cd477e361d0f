package io.meshbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The topic, token and node rules shared by every ingest. */
class TopicRulesTest {

    @Test
    void validTopicsPass() {
        assertThat(TopicRules.genericTopicProblem("build")).isNull();
        assertThat(TopicRules.genericTopicProblem("training.complete")).isNull();
        assertThat(TopicRules.genericTopicProblem("a-b_c.D9")).isNull();
        assertThat(TopicRules.genericTopicProblem("alerts")).as("only alert. is reserved, not every prefix 'alert'")
                .isNull();
        assertThat(TopicRules.genericTopicProblem("x".repeat(TopicRules.MAX_TOPIC_LENGTH))).isNull();
        assertThat(TopicRules.genericTopicProblem("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p")).as("16 tokens").isNull();
    }

    @Test
    void everyInvalidTopicIsRefusedWithAReason() {
        assertThat(TopicRules.genericTopicProblem(null)).isEqualTo("topic must not be empty");
        assertThat(TopicRules.genericTopicProblem("")).isEqualTo("topic must not be empty");
        assertThat(TopicRules.genericTopicProblem("a..b")).isEqualTo("topic 'a..b' has an empty token");
        assertThat(TopicRules.genericTopicProblem(".a")).isEqualTo("topic '.a' has an empty token");
        assertThat(TopicRules.genericTopicProblem("a.")).isEqualTo("topic 'a.' has an empty token");
        assertThat(TopicRules.genericTopicProblem("*")).isEqualTo("topic '*' contains the wildcard '*'");
        assertThat(TopicRules.genericTopicProblem("a.>")).isEqualTo("topic 'a.>' contains the wildcard '>'");
        assertThat(TopicRules.genericTopicProblem("a*b")).isEqualTo("topic 'a*b' contains the wildcard '*'");
        assertThat(TopicRules.genericTopicProblem("a b")).isEqualTo("topic 'a b' contains whitespace or a control character");
        assertThat(TopicRules.genericTopicProblem("a\tb")).isEqualTo("topic 'a\\u0009b' contains whitespace or a control character");
        assertThat(TopicRules.genericTopicProblem("a\u0000b")).isEqualTo("topic 'a\\u0000b' contains whitespace or a control character");
        assertThat(TopicRules.genericTopicProblem("a\u00a0b")).as("no-break space")
                .isEqualTo("topic 'a\u00a0b' contains whitespace or a control character");
        assertThat(TopicRules.genericTopicProblem("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q"))
                .isEqualTo("topic has 17 tokens, more than 16");
        assertThat(TopicRules.genericTopicProblem("x".repeat(TopicRules.MAX_TOPIC_LENGTH + 1)))
                .isEqualTo("topic is longer than 195 characters");
    }

    @Test
    void theAlertTopicsAreReservedForTheAlertmanagerIngest() {
        assertThat(TopicRules.genericTopicProblem("alertmanager"))
                .isEqualTo("topic 'alertmanager' is reserved for the Alertmanager ingest (POST /ingest/alertmanager)");
        assertThat(TopicRules.genericTopicProblem("alert.ToolDown")).contains("is reserved");
        assertThat(TopicRules.genericTopicProblem("alert.a.b")).contains("is reserved");
        assertThat(TopicRules.topicProblem("alert.ToolDown")).as("valid, only reserved").isNull();
    }

    @Test
    void foreignNamesBecomeOneToken() {
        assertThat(TopicRules.sanitizeToken("ToolDown")).isEqualTo("ToolDown");
        assertThat(TopicRules.sanitizeToken("High CPU.load>90%*")).isEqualTo("High_CPU_load_90__");
        assertThat(TopicRules.sanitizeToken("Ünïcode")).isEqualTo("_n_code");
        assertThat(TopicRules.sanitizeToken("")).isEqualTo("_");
        assertThat(TopicRules.sanitizeToken(null)).isEqualTo("_");
        assertThat(TopicRules.sanitizeToken("a".repeat(100))).hasSize(64);
        assertThat(TopicRules.topicProblem("alert." + TopicRules.sanitizeToken("a.b c\n>*"))).isNull();
    }

    @Test
    void nodeNamesAreCheckedLikeNodeNames() {
        assertThat(TopicRules.nodeProblem("node-a")).isNull();
        assertThat(TopicRules.nodeProblem("gpu-1.lab.example")).isNull();
        assertThat(TopicRules.nodeProblem("")).isEqualTo("node name must not be empty");
        assertThat(TopicRules.nodeProblem("a b")).isEqualTo("node name contains whitespace or a control character");
        assertThat(TopicRules.nodeProblem("a\nb")).isEqualTo("node name contains whitespace or a control character");
        assertThat(TopicRules.nodeProblem("n".repeat(257))).isEqualTo("node name is longer than 256 characters");
    }

    @Test
    void prefixesCoverWholeTokens() {
        assertThat(TopicRules.covers("build", "build")).isTrue();
        assertThat(TopicRules.covers("build", "build.done")).isTrue();
        assertThat(TopicRules.covers("build", "builds")).isFalse();
        assertThat(TopicRules.covers("build.done", "build")).isFalse();
        assertThat(TopicRules.covers("alert", "alert.ToolDown")).isTrue();
    }
}
