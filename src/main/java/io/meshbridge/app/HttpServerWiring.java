package io.meshbridge.app;

import io.meshbridge.events.TlsConfig;
import java.io.IOException;
import java.security.KeyStore;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The worker's HTTP server (Camel's platform-http on Vert.x): its address ({@code mesh.http.host}) and, with
 * {@code mesh.http.tls.cert} and {@code mesh.http.tls.key}, HTTPS from PEM files, given to the server as the
 * context's global SSL parameters. One server carries the ingest, the API and {@code /observe}; Camel's
 * separate management server (with its developer endpoints) stays off.
 */
final class HttpServerWiring {

    private HttpServerWiring() {
    }

    /** Adds the server's address and, for HTTPS, the use of the global SSL parameters to {@code p}. */
    static void camelProperties(WorkerConfig config, Map<String, String> p) {
        p.put("camel.server.host", config.http().host());
        if (config.http().tls()) {
            p.put("camel.server.use-global-ssl-context-parameters", "true");
        }
    }

    /**
     * Before Camel configures the server: for HTTPS, the context's global SSL parameters with the PEM identity.
     *
     * @throws WorkerException naming the key when the PEM files cannot be read
     */
    static void beforeConfigure(CamelContext context, WorkerConfig config) {
        WorkerConfig.HttpServer http = config.http();
        if (!http.tls()) {
            return;
        }
        KeyStore identity;
        try {
            identity = new TlsConfig(true, null, http.tlsCert(), http.tlsKey(), null, null, null, null, false)
                    .identityKeyStore();
        } catch (IOException e) {
            throw new WorkerException(ConfigKeys.HTTP_TLS_CERT + ", " + ConfigKeys.HTTP_TLS_KEY + ": "
                    + e.getMessage(), e);
        }
        KeyStoreParameters store = new KeyStoreParameters();
        store.setKeyStore(identity);
        store.setPassword("");
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword("");
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setKeyManagers(keys);
        context.setSSLContextParameters(ssl);
    }
}
