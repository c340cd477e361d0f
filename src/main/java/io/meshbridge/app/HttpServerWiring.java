package io.meshbridge.app;

import io.meshbridge.events.TlsConfig;
import java.io.IOException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

    /**
     * Camel's developer endpoints on its management server ({@code camel.management.*}): they send messages to
     * any endpoint, take or give files, or run JMX operations, without the API's token. Spelled without dashes
     * and in lower case, as Camel Main matches them.
     */
    private static final Set<String> DEVELOPER_ENDPOINTS = Set.of("sendenabled", "uploadenabled",
            "downloadenabled", "devconsoleenabled", "jolokiaenabled");

    private HttpServerWiring() {
    }

    /**
     * Refuses a Camel key that would turn on one of Camel's developer endpoints ({@code /q/send},
     * {@code /q/upload}, ...) on Camel's management server.
     *
     * @throws ConfigException naming the key
     */
    static void checkCamelKey(String key, String value) {
        String k = key.replace("-", "").toLowerCase(Locale.ROOT);
        int dot = k.lastIndexOf('.');
        if (dot > 0 && k.substring(0, dot).equals("camel.management")
                && DEVELOPER_ENDPOINTS.contains(k.substring(dot + 1)) && "true".equalsIgnoreCase(value.strip())) {
            throw new ConfigException(key, "Camel's developer endpoints stay off in mesh-bridge: they would send"
                    + " messages, move files or run JMX operations without the API's token");
        }
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
