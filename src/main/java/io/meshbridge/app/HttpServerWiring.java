package io.meshbridge.app;

import io.meshbridge.events.TlsConfig;
import java.io.IOException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
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
    private static final String DEVELOPER_ENDPOINTS_OFF = "Camel's developer endpoints stay off in mesh-bridge: they"
            + " would send messages, move files or run JMX operations without the API's token (only false is taken)";

    private HttpServerWiring() {
    }

    /**
     * Refuses a Camel key that could turn on one of Camel's developer endpoints ({@code /q/send},
     * {@code /q/upload}, ...) on Camel's management server: any value but {@code false} (a placeholder such as
     * {@code {{env:X:true}}} too, since Camel resolves it later).
     *
     * @throws ConfigException naming the key
     */
    static void checkCamelKey(String key, String value) {
        if (turnsOnDeveloperEndpoint(key, value)) {
            throw new ConfigException(key, DEVELOPER_ENDPOINTS_OFF);
        }
    }

    /**
     * Refuses what Camel Main reads by itself, beside the worker's configuration: environment variables
     * ({@code CAMEL_MANAGEMENT_SENDENABLED}, {@code CAMEL_MANAGEMENT_SEND_ENABLED}) and system properties
     * ({@code -Dcamel.management.send-enabled}) that could turn on a developer endpoint.
     *
     * @throws ConfigException naming the variable or property
     */
    static void checkCamelSources(Map<String, String> env, Properties system) {
        String prefix = "CAMEL_MANAGEMENT_";
        env.forEach((name, value) -> {
            if (name.toUpperCase(Locale.ROOT).startsWith(prefix) && turnsOnDeveloperEndpoint(
                    "camel.management." + name.substring(prefix.length()).replace("_", ""), value)) {
                throw new ConfigException(name, DEVELOPER_ENDPOINTS_OFF);
            }
        });
        for (String name : system.stringPropertyNames()) {
            checkCamelKey(name, system.getProperty(name));
        }
    }

    private static boolean turnsOnDeveloperEndpoint(String key, String value) {
        String k = key.replace("-", "").toLowerCase(Locale.ROOT);
        int dot = k.lastIndexOf('.');
        return dot > 0 && k.substring(0, dot).equals("camel.management")
                && DEVELOPER_ENDPOINTS.contains(k.substring(dot + 1)) && !"false".equalsIgnoreCase(value.strip());
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
