package io.meshbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The topic of a request path. */
class IngestProcessorTest {

    @Test
    void oneDecodedSegmentAfterIngest() {
        assertThat(IngestProcessor.topic(null, "/ingest/build.done")).isEqualTo("build.done");
        assertThat(IngestProcessor.topic(null, "/ingest/build?x=1")).isEqualTo("build");
        assertThat(IngestProcessor.topic(null, "/ingest/a%20b")).isEqualTo("a b");
        assertThat(IngestProcessor.topic(null, "/ingest/a+b")).as("+ is a plain character in a path").isEqualTo("a+b");
        assertThat(IngestProcessor.topic(null, "/ingest/%3E")).isEqualTo(">");
        assertThat(IngestProcessor.topic(null, "/ingest/alertmanager")).isEqualTo("alertmanager");
        assertThat(IngestProcessor.topic("/ingest/x", null)).isEqualTo("x");
        assertThat(IngestProcessor.topic(null, "/ingest")).isNull();
        assertThat(IngestProcessor.topic(null, "/ingest/")).isNull();
        assertThat(IngestProcessor.topic(null, "/ingest/a/b")).isNull();
        assertThat(IngestProcessor.topic(null, "/ingestx/a")).isNull();
        assertThat(IngestProcessor.topic(null, "/ingest/%zz")).isNull();
    }
}
