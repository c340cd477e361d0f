package io.meshbridge.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.meshbridge.testing.NatsServer;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.NKey;
import io.nats.client.Subscription;
import io.nats.client.support.JwtUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way of authenticating that {@link NatsConnectionConfig} offers, each against a private nats-server
 * configured for it: the right credentials connect and carry a publish/subscribe round trip, wrong or
 * missing ones fail to connect, and no secret shows in {@code toString()} or in the failure.
 *
 * <p>Keys and certificates are made at test time in a temporary directory (openssl, keytool, jnats'
 * {@link NKey}); nothing secret is kept in the repository.
 */
class NatsAuthIT {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REFUSAL_TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    static Path dir;

    private static NatsServer start(String config) {
        return NatsServer.builder().name("nats-auth").config(config).jetStream(false).start();
    }

    private static NatsConnectionConfig config(NatsServer server, String user, Secret password, Secret token,
                                               Path nkeySeed, Path creds, TlsConfig tls) {
        return new NatsConnectionConfig(List.of(server.url()), user, password, token, nkeySeed, creds, tls,
                CONNECT_TIMEOUT);
    }

    private static NatsConnectionConfig plain(NatsServer server) {
        return config(server, null, null, null, null, null, TlsConfig.NONE);
    }

    /** Connects with {@code config}, then subscribes, publishes and receives one message. */
    private static void assertRoundTrip(NatsConnectionConfig config) throws Exception {
        try (Connection connection = config.connect("test", new ConnectionEvents())) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            String subject = "auth.check." + UUID.randomUUID();
            Subscription sub = connection.subscribe(subject);
            connection.publish(subject, "ping".getBytes(UTF_8));
            Message received = sub.nextMessage(Duration.ofSeconds(5));
            assertThat(received).as("message published on %s", subject).isNotNull();
            assertThat(received.getSubject()).isEqualTo(subject);
            assertThat(new String(received.getData(), UTF_8)).isEqualTo("ping");
        }
    }

    /** The connection attempt fails; the failure's message does not show {@code secret} (if any). */
    private static void assertRefused(NatsConnectionConfig config, Class<? extends IOException> type,
                                      String secret) {
        // jnats waits out the connect timeout after the server's refusal; keep that short
        NatsConnectionConfig refused = new NatsConnectionConfig(config.servers(), config.user(), config.password(),
                config.token(), config.nkeySeedFile(), config.credsFile(), config.tls(), REFUSAL_TIMEOUT);
        assertThatThrownBy(() -> refused.connect("test", new ConnectionEvents()).close())
                .isInstanceOf(type)
                .satisfies(e -> {
                    if (secret != null) {
                        assertThat(String.valueOf(e.getMessage())).doesNotContain(secret);
                    }
                });
    }

    @Nested
    class UserAndPassword {

        private static final String PASSWORD = "pw-7f3a9c41";

        @Test
        void theRightPasswordConnectsAndTheWrongOneOrNoneIsRefused() throws Exception {
            try (NatsServer server = start("authorization { user: u, password: \"" + PASSWORD + "\" }\n")) {
                NatsConnectionConfig good = config(server, "u", new Secret(PASSWORD), null, null, null,
                        TlsConfig.NONE);
                assertRoundTrip(good);

                assertRefused(config(server, "u", new Secret("pw-wrong-0000"), null, null, null, TlsConfig.NONE),
                        AuthenticationException.class, "pw-wrong-0000");
                assertRefused(config(server, "someone", new Secret(PASSWORD), null, null, null, TlsConfig.NONE),
                        AuthenticationException.class, PASSWORD);
                assertRefused(plain(server), AuthenticationException.class, null);

                assertThat(good.toString()).doesNotContain(PASSWORD).contains("user u");
                assertThat(good.password().toString()).isEqualTo("****");
            }
        }
    }

    @Nested
    class Token {

        private static final String TOKEN = "s3cret";

        @Test
        void theRightTokenConnectsAndTheWrongOneOrNoneIsRefused() throws Exception {
            try (NatsServer server = start("authorization { token: " + TOKEN + " }\n")) {
                NatsConnectionConfig good = config(server, null, null, new Secret(TOKEN), null, null,
                        TlsConfig.NONE);
                assertRoundTrip(good);

                assertRefused(config(server, null, null, new Secret("n0tit"), null, null, TlsConfig.NONE),
                        AuthenticationException.class, "n0tit");
                assertRefused(plain(server), AuthenticationException.class, null);

                assertThat(good.toString()).doesNotContain(TOKEN).contains("auth=token");
                assertThat(good.token().toString()).isEqualTo("****");
            }
        }
    }

    @Nested
    class NkeySeedFile {

        @Test
        void theConfiguredUsersSeedConnectsAndAnotherSeedOrNoneIsRefused() throws Exception {
            NKey user = NKey.createUser(null);
            NKey stranger = NKey.createUser(null);
            Path seed = Files.writeString(dir.resolve("user.nk"), new String(user.getSeed()) + "\n");
            Path strangerSeed = Files.writeString(dir.resolve("stranger.nk"), new String(stranger.getSeed()));
            String config = "authorization { users = [ { nkey: " + new String(user.getPublicKey()) + " } ] }\n";
            try (NatsServer server = start(config)) {
                NatsConnectionConfig good = config(server, null, null, null, seed, null, TlsConfig.NONE);
                assertRoundTrip(good);

                assertRefused(config(server, null, null, null, strangerSeed, null, TlsConfig.NONE),
                        AuthenticationException.class, new String(stranger.getSeed()));
                assertRefused(plain(server), AuthenticationException.class, null);

                assertThat(good.toString()).doesNotContain(new String(user.getSeed())).contains("auth=nkey");
            }
        }
    }

    @Nested
    class CredsFile {

        @Test
        void aUserOfTheTrustedOperatorConnectsAndAForeignOrMissingOneIsRefused() throws Exception {
            NKey operator = NKey.createOperator(null);
            NKey account = NKey.createAccount(null);
            String operatorPub = new String(operator.getPublicKey());
            String accountPub = new String(account.getPublicKey());
            String operatorJwt = JwtUtils.issueJWT(operator, operatorPub, "test-operator", null,
                    JwtUtils.currentTimeSeconds(), operatorPub, null,
                    () -> "{\"type\":\"operator\",\"version\":2}");
            String accountJwt = JwtUtils.issueJWT(operator, accountPub, "test-account", null,
                    JwtUtils.currentTimeSeconds(), operatorPub, null,
                    () -> "{\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,\"exports\":-1,"
                            + "\"wildcards\":true,\"conn\":-1,\"leaf\":-1},"
                            + "\"default_permissions\":{\"pub\":{},\"sub\":{}},"
                            + "\"type\":\"account\",\"version\":2}");
            Path creds = creds("user.creds", account, accountPub);
            // a user signed by an account the server does not know
            NKey otherAccount = NKey.createAccount(null);
            Path foreignCreds = creds("foreign.creds", otherAccount, new String(otherAccount.getPublicKey()));

            String config = "operator: \"" + operatorJwt + "\"\n"
                    + "resolver: MEMORY\n"
                    + "resolver_preload: {\n  " + accountPub + ": \"" + accountJwt + "\"\n}\n";
            try (NatsServer server = start(config)) {
                NatsConnectionConfig good = config(server, null, null, null, null, creds, TlsConfig.NONE);
                assertRoundTrip(good);

                assertRefused(config(server, null, null, null, null, foreignCreds, TlsConfig.NONE),
                        AuthenticationException.class, null);
                assertRefused(plain(server), AuthenticationException.class, null);

                assertThat(good.toString()).contains("auth=creds " + creds);
            }
        }

        private Path creds(String name, NKey account, String accountPub) throws Exception {
            NKey user = NKey.createUser(null);
            String userJwt = JwtUtils.issueUserJWT(account, accountPub, new String(user.getPublicKey()));
            return Files.writeString(dir.resolve(name),
                    String.format(JwtUtils.NATS_USER_JWT_FORMAT, userJwt, new String(user.getSeed())));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Tls {

        private Pki pki;

        @BeforeAll
        void makeCertificates() throws Exception {
            pki = Pki.create(Files.createDirectories(dir.resolve("pki")));
        }

        private String serverTls(String extra) {
            return "tls {\n"
                    + "  cert_file: \"" + pki.serverCert + "\"\n"
                    + "  key_file: \"" + pki.serverKey + "\"\n"
                    + "  timeout: 2\n"
                    + extra
                    + "}\n";
        }

        private NatsServer startTls(String extra) {
            return NatsServer.builder().name("nats-tls").config(serverTls(extra)).jetStream(false).start();
        }

        private TlsConfig trustingTestCa() {
            return new TlsConfig(true, pki.caCert, null, null, null, null, null, null, false);
        }

        @Test
        void aClientTrustingTheTestCaConnectsAndOthersAreRefused() throws Exception {
            try (NatsServer server = startTls("")) {
                assertRoundTrip(config(server, null, null, null, null, null, trustingTestCa()));

                // the JVM's default trust store does not know the test CA
                assertRefused(config(server, null, null, null, null, null,
                        new TlsConfig(true, null, null, null, null, null, null, null, false)), IOException.class,
                        null);
                // plain text to a server that requires TLS
                assertRefused(plain(server), IOException.class, null);
            }
        }

        @Test
        void mutualTlsNeedsAClientCertificateSignedByTheTrustedCa() throws Exception {
            try (NatsServer server = startTls("  ca_file: \"" + pki.caCert + "\"\n  verify: true\n")) {
                assertRoundTrip(config(server, null, null, null, null, null,
                        new TlsConfig(true, pki.caCert, pki.clientCert, pki.clientKey, null, null, null, null,
                                false)));

                assertRefused(config(server, null, null, null, null, null, trustingTestCa()), IOException.class,
                        null);
                assertRefused(config(server, null, null, null, null, null,
                        new TlsConfig(true, pki.caCert, pki.strangerCert, pki.strangerKey, null, null, null,
                                null, false)), IOException.class, null);
            }
        }

        @Test
        void mutualTlsWithPkcs12StoresWhosePasswordsNeverPrint() throws Exception {
            try (NatsServer server = startTls("  ca_file: \"" + pki.caCert + "\"\n  verify: true\n")) {
                TlsConfig stores = new TlsConfig(true, null, null, null, pki.clientP12,
                        new Secret(Pki.KEYSTORE_PASSWORD), pki.trustP12, new Secret(Pki.TRUSTSTORE_PASSWORD),
                        false);
                NatsConnectionConfig good = config(server, null, null, null, null, null, stores);
                assertRoundTrip(good);

                assertThat(stores.toString()).doesNotContain(Pki.KEYSTORE_PASSWORD)
                        .doesNotContain(Pki.TRUSTSTORE_PASSWORD);
                assertThat(good.toString()).doesNotContain(Pki.KEYSTORE_PASSWORD)
                        .doesNotContain(Pki.TRUSTSTORE_PASSWORD).contains("tls=true");

                TlsConfig wrongPassword = new TlsConfig(true, null, null, null, pki.clientP12,
                        new Secret("not-the-password"), pki.trustP12, new Secret(Pki.TRUSTSTORE_PASSWORD), false);
                assertThatThrownBy(() -> config(server, null, null, null, null, null, wrongPassword)
                        .connect("test", new ConnectionEvents()).close())
                        .isInstanceOf(IOException.class)
                        .satisfies(e -> assertThat(String.valueOf(e.getMessage()))
                                .doesNotContain("not-the-password"));
            }
        }

        @Test
        void handshakeFirstWhenTheServerAsksForIt() throws Exception {
            try (NatsServer server = NatsServer.builder().name("nats-tls")
                    .config(serverTls("  handshake_first: true\n")).jetStream(false).build()) {
                assumeThat(server.versionAtLeast(2, 10, 4))
                        .as("handshake_first needs nats-server 2.10.4+, this is %s", server.version()).isTrue();
                server.start();
                assertRoundTrip(config(server, null, null, null, null, null,
                        new TlsConfig(true, pki.caCert, null, null, null, null, null, null, true)));
                // without handshake first, the client waits for an INFO the server never sends
                assertRefused(config(server, null, null, null, null, null, trustingTestCa()), IOException.class,
                        null);
            }
        }
    }

    @Test
    void aUrlWithCredentialsIsRefusedWithoutShowingThem() {
        String password = "Sup3rS3cretPw";
        for (String url : List.of("nats://u:" + password + "@127.0.0.1:4222",
                "tls://u:" + password + "@127.0.0.1:4222",
                "nats://" + password + "@127.0.0.1:4222",
                "nats://u:" + password + "@@127.0.0.1:4222",
                "nats://u:" + password + "/x@127.0.0.1:4222",
                "u:" + password + "@127.0.0.1:4222")) {
            assertThatThrownBy(() -> new NatsConnectionConfig(List.of("nats://127.0.0.1:4223", url), null, null,
                    null, null, null, TlsConfig.NONE, null))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("127.0.0.1:4222")
                    .hasMessageContaining("carries credentials")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
        }
        assertThatThrownBy(() -> NatsConnectionConfig.of("nats://127.0.0.1:4223, nats://u:" + password
                + "@127.0.0.1:4222"))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
    }

    /** A test CA with a server certificate, a client certificate and a stranger's (self-signed) one. */
    private static final class Pki {
        static final String KEYSTORE_PASSWORD = "ks-pw-51d2e0";
        static final String TRUSTSTORE_PASSWORD = "ts-pw-9ab7c3";

        Path caCert;
        Path serverCert;
        Path serverKey;
        Path clientCert;
        Path clientKey;
        Path strangerCert;
        Path strangerKey;
        Path clientP12;
        Path trustP12;

        static Pki create(Path d) throws Exception {
            Pki p = new Pki();
            Path caKey = d.resolve("ca.key");
            p.caCert = d.resolve("ca.pem");
            run(d, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
                    "-out", p.caCert.toString(), "-days", "2", "-subj", "/CN=mesh-bridge test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign");

            p.serverKey = d.resolve("server.key");
            p.serverCert = d.resolve("server.pem");
            issue(d, "server", p.serverKey, p.serverCert, caKey, p.caCert, "rsa:2048",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");

            // an EC client key, so that the PKCS#8 reader's non-RSA path is used too
            Path clientRawKey = d.resolve("client-raw.key");
            p.clientKey = d.resolve("client.key");
            p.clientCert = d.resolve("client.pem");
            issue(d, "client", clientRawKey, p.clientCert, caKey, p.caCert, "ec",
                    "extendedKeyUsage=clientAuth\n");
            run(d, "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", clientRawKey.toString(),
                    "-out", p.clientKey.toString());

            p.strangerKey = d.resolve("stranger.key");
            p.strangerCert = d.resolve("stranger.pem");
            run(d, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    p.strangerKey.toString(), "-out", p.strangerCert.toString(), "-days", "2",
                    "-subj", "/CN=stranger", "-addext", "extendedKeyUsage=clientAuth");

            p.clientP12 = d.resolve("client.p12");
            run(d, "openssl", "pkcs12", "-export", "-in", p.clientCert.toString(), "-inkey",
                    p.clientKey.toString(), "-name", "client", "-out", p.clientP12.toString(),
                    "-passout", "pass:" + KEYSTORE_PASSWORD);
            p.trustP12 = d.resolve("trust.p12");
            run(d, "keytool", "-importcert", "-noprompt", "-alias", "test-ca", "-file", p.caCert.toString(),
                    "-keystore", p.trustP12.toString(), "-storetype", "PKCS12",
                    "-storepass", TRUSTSTORE_PASSWORD);
            return p;
        }

        private static void issue(Path d, String name, Path key, Path cert, Path caKey, Path caCert,
                                  String keyType, String extensions) throws Exception {
            Path csr = d.resolve(name + ".csr");
            Path ext = Files.writeString(d.resolve(name + ".ext"), extensions);
            List<String> req = new ArrayList<>(List.of("openssl", "req", "-new", "-newkey", keyType));
            if (keyType.equals("ec")) {
                req.addAll(List.of("-pkeyopt", "ec_paramgen_curve:prime256v1"));
            }
            req.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                    "-subj", "/CN=" + name));
            run(d, req.toArray(String[]::new));
            run(d, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(),
                    "-CAkey", caKey.toString(), "-CAcreateserial", "-days", "2", "-sha256",
                    "-extfile", ext.toString(), "-out", cert.toString());
        }

        private static void run(Path d, String... command) throws Exception {
            Process process = new ProcessBuilder(command).directory(d.toFile()).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with "
                        + process.exitValue() + ":\n" + new String(output, UTF_8));
            }
        }
    }
}
