package io.meshbridge.bridge.camel;

import static io.meshbridge.bridge.camel.BridgeTests.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshbridge.camel.MeshTests;
import io.meshbridge.testing.KafkaBroker;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The Kafka bridges against a broker that requires SASL (PLAIN and SCRAM-SHA-256 on a SASL_PLAINTEXT listener):
 * both directions log in, the password appears in no endpoint URI and no log line (the Kafka client's own
 * configuration dump included), and a wrong password fails the route's start with a reason that names the
 * cluster and not the password.
 */
class KafkaAuthIT {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final String STREAM = "EVENTS_KAFKA_AUTH";
    private static final String PLAIN_PASSWORD = "pl41n-" + System.nanoTime();
    private static final String SCRAM_PASSWORD = "scr4m-" + System.nanoTime();
    private static final Map<String, Object> ADMIN = Map.of("security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "PLAIN", "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
                    + " required username=\"admin\" password=\"admin-pw\";");
    private static Connection nc;
    private static KafkaBroker kafka;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void setUp() throws Exception {
        nc = NATS.connect();
        MeshTests.createEventStream(nc, STREAM);
        kafka = KafkaBroker.start(Map.of(
                "listener.security.protocol.map", "EXTERNAL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name.external.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"admin\" password=\"admin-pw\" user_admin=\"admin-pw\" user_bridge=\""
                        + PLAIN_PASSWORD + "\";",
                "listener.name.external.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
        try (Admin admin = kafka.admin(ADMIN)) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("scrammer",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), SCRAM_PASSWORD)))
                    .all().get(1, TimeUnit.MINUTES);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        kafka.close();
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        root().addAppender(logs);
        ((Logger) LoggerFactory.getLogger("org.apache.kafka.clients")).setLevel(Level.INFO); // its config dump
    }

    @AfterEach
    void releaseLogs() {
        root().detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("org.apache.kafka.clients")).setLevel(null);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private void assertNowhere(CamelContext ctx, String secret) {
        for (Endpoint e : ctx.getEndpoints()) {
            assertThat(e.getEndpointUri()).doesNotContain(secret);
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(secret));
    }

    @Test
    void meshToKafkaLogsInWithPlainAndKeepsThePasswordOutOfUrisAndLogs() throws Exception {
        kafka.createTopic("auth-out", 1, ADMIN);
        BridgeTests.publish(nc, "tool.auth", 0, 10, Map.of());
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "mesh-to-kafka", "auth-out", params(
                "filter", "events.tool.auth", "brokers", kafka.bootstrapServers(), "topic", "auth-out",
                "deliverPolicy", "all", "sasl", "PLAIN", "user", "bridge", "password", PLAIN_PASSWORD))) {
            MeshTests.awaitDrained(nc, STREAM, "auth-out", 10);
            assertThat(KafkaTests.bridge(ctx).counts().confirmedCount()).isEqualTo(10);
            assertNowhere(ctx, PLAIN_PASSWORD);
            assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("sasl.jaas.config = [hidden]"));
        }
    }

    @Test
    void kafkaToMeshLogsInWithScram() throws Exception {
        kafka.createTopic("auth.in", 1, ADMIN);
        try (var producer = KafkaTests.producer(kafka, ADMIN)) {
            for (int n = 0; n < 10; n++) {
                producer.send(new ProducerRecord<>("auth.in", null, KafkaTests.utf8("{\"n\":" + n + "}")))
                        .get(1, TimeUnit.MINUTES);
            }
        }
        try (CamelContext ctx = BridgeTests.start(nc, STREAM, "kafka-to-mesh", "auth-in", params(
                "brokers", kafka.bootstrapServers(), "topic", "auth.in", "startFrom", "earliest",
                "sasl", "SCRAM-SHA-256", "user", "scrammer", "password", SCRAM_PASSWORD))) {
            await().atMost(KafkaTests.LONG).until(() -> MeshTests.messages(nc, STREAM, "events.user.auth.in")
                    .size() == 10);
            assertThat(KafkaTests.bridge(ctx).counts().confirmedCount()).isEqualTo(10);
            assertNowhere(ctx, SCRAM_PASSWORD);
        }
    }

    @Test
    void aWrongPasswordFailsTheStartWithoutShowingIt() {
        String wrong = "wr0ng-" + System.nanoTime();
        assertThatThrownBy(() -> BridgeTests.start(nc, STREAM, "mesh-to-kafka", "auth-wrong", params(
                "filter", "events.tool.wrong", "brokers", kafka.bootstrapServers(), "topic", "auth-out",
                "sasl", "PLAIN", "user", "bridge", "password", wrong, "connectTimeout", "5s")).close())
                .satisfies(e -> {
                    String trace = stackTrace(e);
                    assertThat(trace).contains("cannot reach topic auth-out on Kafka " + kafka.bootstrapServers())
                            .contains("Authentication failed").doesNotContain(wrong);
                });
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(wrong));
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
