package io.meshbridge.bridge.camel;

import io.meshbridge.bridge.KafkaConnection;
import io.meshbridge.bridge.KafkaSubscriber;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of {@code kafka-broker:}: one exchange per record of its settings' topics, in the consumer group
 * {@code groupId} (default the route id, which must then stay the same across restarts); a record's offset is
 * committed only once its exchange and those of every earlier record of its partition completed successfully.
 * A failed exchange makes its partition read the record again, after a pause ({@link KafkaSubscriber}).
 *
 * <p><b>Exchange.</b> Body: the record's value ({@code byte[]}, empty when it has none); headers {@value #TOPIC},
 * {@value #PARTITION}, {@value #OFFSET}, {@value #KEY} (the key's bytes, or none), {@value #TIMESTAMP} (epoch
 * milliseconds) and {@value #HEADERS} (the record's Kafka headers).
 *
 * <p><b>Flow.</b> Exchanges are started one after the other on the subscriber's poll thread, in offset order
 * per partition, and may complete asynchronously: at most {@code maxInFlight} are open at once. A new group
 * starts at {@code startFrom} ({@code latest} or {@code earliest}). Checks the cluster when the route starts
 * (it must be reachable then); at stop it waits up to {@value #QUIESCE_SECONDS} s for open exchanges, commits
 * and leaves the group. Thread-safe.
 */
public class KafkaBrokerConsumer extends DefaultConsumer {

    /** Header: the record's topic. */
    public static final String TOPIC = "MeshKafkaTopic";
    /** Header: the record's partition. */
    public static final String PARTITION = "MeshKafkaPartition";
    /** Header: the record's offset. */
    public static final String OFFSET = "MeshKafkaOffset";
    /** Header: the record's key ({@code byte[]}), absent when it has none. */
    public static final String KEY = "MeshKafkaKey";
    /** Header: the record's timestamp, epoch milliseconds. */
    public static final String TIMESTAMP = "MeshKafkaTimestamp";
    /** Header: the record's Kafka headers ({@code org.apache.kafka.common.header.Headers}). */
    public static final String HEADERS = "MeshKafkaHeaders";

    static final int QUIESCE_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerConsumer.class);
    private static final byte[] EMPTY = new byte[0];

    private final KafkaBrokerEndpoint endpoint;
    private final AtomicLong failures = new AtomicLong();
    private volatile long lastWarning;
    private KafkaSubscriber subscriber;

    KafkaBrokerConsumer(KafkaBrokerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        KafkaBridgeSettings settings = endpoint.getSettings();
        KafkaBridgeSettings.Inbound inbound = settings.inbound();
        String group = inbound.groupId() != null ? inbound.groupId() : getRouteId();
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("bridge parameter groupId is required when the route has no id");
        }
        KafkaConnection connection = settings.connection("mesh-bridge-" + group + "-"
                + UUID.randomUUID().toString().substring(0, 8));
        subscriber = new KafkaSubscriber(connection, group, inbound.topics(), inbound.earliest(),
                inbound.maxInFlight(), this::record);
        subscriber.start();
        LOG.info("Consuming Kafka topics {} on {} in group {} (new groups start at the {} records, {} in flight at"
                + " most)", inbound.topics(), connection, group, inbound.earliest() ? "earliest" : "latest",
                inbound.maxInFlight());
    }

    private void record(ConsumerRecord<byte[], byte[]> record, KafkaSubscriber.Completion completion) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(record.value() == null ? EMPTY : record.value());
        exchange.getIn().setHeader(TOPIC, record.topic());
        exchange.getIn().setHeader(PARTITION, record.partition());
        exchange.getIn().setHeader(OFFSET, record.offset());
        if (record.key() != null) {
            exchange.getIn().setHeader(KEY, record.key());
        }
        exchange.getIn().setHeader(TIMESTAMP, record.timestamp());
        exchange.getIn().setHeader(HEADERS, record.headers());
        getAsyncProcessor().process(exchange, doneSync -> {
            boolean ok = exchange.getException() == null && !exchange.isRollbackOnly();
            if (!ok) {
                failed(record, exchange.getException());
            }
            releaseExchange(exchange, false);
            completion.done(ok);
        });
    }

    private void failed(ConsumerRecord<byte[], byte[]> record, Exception e) {
        long n = failures.incrementAndGet();
        long now = System.nanoTime();
        if (lastWarning == 0 || now - lastWarning > 60_000_000_000L) {
            lastWarning = now;
            LOG.warn("The record {}-{}@{} was not taken in ({}); it is read again ({} failures so far)",
                    record.topic(), record.partition(), record.offset(), e == null ? "rolled back" : e.getMessage(),
                    n);
        }
    }

    /** The subscriber of the running route, or {@code null}. */
    public KafkaSubscriber subscriber() {
        return subscriber;
    }

    @Override
    protected void doStop() throws Exception {
        if (subscriber != null) {
            subscriber.close(Duration.ofSeconds(QUIESCE_SECONDS));
            LOG.info("Stopped consuming {}: {} records taken, {} of them again", endpoint.getSettings() == null
                    ? "?" : endpoint.getLabel(), subscriber.handedOutCount(), subscriber.redeliveredCount());
        }
        super.doStop();
    }
}
