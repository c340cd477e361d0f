package io.meshbridge.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds an {@link SSLContext} from a {@link TlsConfig}: PEM files or key stores. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SSLContext create(TlsConfig tls) throws IOException {
        try {
            KeyManagerFactory kmf = null;
            if (tls.certFile() != null) {
                kmf = keyManagers(pemIdentity(tls.certFile(), tls.keyFile()), new char[0]);
            } else if (tls.keystore() != null) {
                char[] pw = tls.keystorePassword() == null ? new char[0] : tls.keystorePassword().chars();
                kmf = keyManagers(load(tls.keystore(), pw), pw);
            }
            TrustManagerFactory tmf = null;
            if (tls.caFile() != null) {
                tmf = trustManagers(pemTrust(tls.caFile()));
            } else if (tls.truststore() != null) {
                char[] pw = tls.truststorePassword() == null ? new char[0] : tls.truststorePassword().chars();
                tmf = trustManagers(load(tls.truststore(), pw));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    static KeyStore identity(Path certFile, Path keyFile) throws IOException {
        try {
            return pemIdentity(certFile, keyFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the TLS identity " + certFile + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore pemTrust(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate cert : certificates(caFile)) {
            ks.setCertificateEntry("ca-" + i++, cert);
        }
        if (i == 0) {
            throw new IOException("TLS CA file " + caFile + " holds no certificate");
        }
        return ks;
    }

    private static KeyStore pemIdentity(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> chain = certificates(certFile);
        if (chain.isEmpty()) {
            throw new IOException("TLS certificate file " + certFile + " holds no certificate");
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setKeyEntry("client", privateKey(keyFile), new char[0], chain.toArray(Certificate[]::new));
        return ks;
    }

    private static Collection<? extends Certificate> certificates(Path file)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static PrivateKey privateKey(Path keyFile) throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IOException("TLS key file " + keyFile
                    + " must be an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert it with"
                    + " 'openssl pkcs8 -topk8 -nocrypt'");
        }
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                pem.indexOf("-----END PRIVATE KEY-----")).replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new IOException("TLS key file " + keyFile + " holds no RSA, EC or Ed25519 key");
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        KeyStore ks = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    private static KeyManagerFactory keyManagers(KeyStore ks, char[] password) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        return kmf;
    }

    private static TrustManagerFactory trustManagers(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }
}
