package io.meshbridge.camel;

import io.nats.client.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Camel contexts of one test, each with a {@code mesh} component on a given connection and stream, all
 * stopped after the test. Register on an instance field with {@code @RegisterExtension}.
 */
final class MeshContexts implements AfterEachCallback {

    private final List<CamelContext> contexts = new ArrayList<>();

    /** A context with {@code beans} bound and the YAML routes loaded, not started yet. */
    CamelContext create(Connection nc, String stream, String yaml, Map<String, Object> beans) throws Exception {
        CamelContext ctx = MeshTests.context(nc, stream);
        beans.forEach((name, bean) -> ctx.getRegistry().bind(name, bean));
        MeshTests.loadYaml(ctx, yaml);
        synchronized (contexts) {
            contexts.add(ctx);
        }
        return ctx;
    }

    /** A started context; see {@link #create}. */
    CamelContext start(Connection nc, String stream, String yaml, Map<String, Object> beans) throws Exception {
        CamelContext ctx = create(nc, stream, yaml, beans);
        ctx.start();
        return ctx;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        synchronized (contexts) {
            contexts.forEach(CamelContext::stop);
            contexts.clear();
        }
    }
}
