package io.meshbridge.archive.camel;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code archive:} Camel component: {@code archive:<directory>?options} writes the events that a
 * {@code mesh:} consumer delivers to crash-safe rolling files below the directory, and lets the consumer
 * acknowledge each event only once its line is fsynced. Endpoints and options are described in
 * {@link ArchiveEndpoint}, the sending side in {@link ArchiveProducer}, the files in the package
 * documentation.
 *
 * <p>Thread-safe; endpoints may be created concurrently.
 */
@Component("archive")
public class ArchiveComponent extends DefaultComponent {

    /** A component to be added to a CamelContext (or found by Camel through its service file). */
    public ArchiveComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("archive: needs a directory, e.g. archive:/var/lib/mesh-bridge/archive");
        }
        ArchiveEndpoint endpoint = new ArchiveEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
