package io.meshbridge.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with openssl at test time: a CA, a server certificate for 127.0.0.1/localhost and a
 * client certificate, all PEM, keys as unencrypted PKCS#8 (what {@code TlsConfig} reads).
 */
public final class TestPki {

    public final Path caCert;
    public final Path serverCert;
    public final Path serverKey;
    public final Path clientCert;
    public final Path clientKey;

    private TestPki(Path d) {
        caCert = d.resolve("ca.pem");
        serverCert = d.resolve("server.pem");
        serverKey = d.resolve("server.key");
        clientCert = d.resolve("client.pem");
        clientKey = d.resolve("client.key");
    }

    /** A new PKI in {@code d}, made with openssl. */
    public static TestPki create(Path d) throws Exception {
        TestPki p = new TestPki(d);
        Path caKey = d.resolve("ca.key");
        run(d, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
                "-out", p.caCert.toString(), "-days", "2", "-subj", "/CN=webhook test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        issue(d, "server", p.serverKey, p.serverCert, caKey, p.caCert,
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        issue(d, "webhook-client", p.clientKey, p.clientCert, caKey, p.caCert, "extendedKeyUsage=clientAuth\n");
        return p;
    }

    private static void issue(Path d, String name, Path key, Path cert, Path caKey, Path caCert, String ext)
            throws Exception {
        Path csr = d.resolve(name + ".csr");
        Path extFile = Files.writeString(d.resolve(name + ".ext"), ext);
        Path rawKey = d.resolve(name + "-raw.key");
        run(d, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", rawKey.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        run(d, "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", rawKey.toString(), "-out", key.toString());
        run(d, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-days", "2", "-sha256", "-extfile", extFile.toString(),
                "-out", cert.toString());
    }

    private static void run(Path d, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue()
                    + ":\n" + new String(output, UTF_8));
        }
    }
}
