package io.ruvector.index.drain;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A stream thread's main consumer that can be asked to rebalance from another thread: Kafka
 * Streams exposes no way to start a rebalance, and {@code Consumer#enforceRebalance} may only be
 * called on the consumer's own thread, so the request ({@link TaskPins#requestRebalance()}) is
 * carried out at the thread's next {@link #poll}. Everything else goes to the real consumer
 * unchanged.
 */
final class RebalanceRequestingConsumer implements Consumer<byte[], byte[]> {

    private final Consumer<byte[], byte[]> delegate;
    private final TaskPins pins;
    private long seen;

    RebalanceRequestingConsumer(Consumer<byte[], byte[]> delegate, TaskPins pins) {
        this.delegate = delegate;
        this.pins = pins;
        this.seen = pins.rebalancesRequested();
    }

    /** Enforces a rebalance first when one was requested since this consumer last looked (on its own thread). */
    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration a) {
        long requested = pins.rebalancesRequested();
        if (requested > seen) {
            seen = requested;
            delegate.enforceRebalance("ruvector: a task pin changed");
        }
        return delegate.poll(a);
    }

    @Override
    public Set<TopicPartition> assignment() {
        return delegate.assignment();
    }

    @Override
    public Set<String> subscription() {
        return delegate.subscription();
    }

    @Override
    public void subscribe(Collection<String> a) {
        delegate.subscribe(a);
    }

    @Override
    public void subscribe(Collection<String> a, ConsumerRebalanceListener b) {
        delegate.subscribe(a, b);
    }

    @Override
    public void assign(Collection<TopicPartition> a) {
        delegate.assign(a);
    }

    @Override
    public void subscribe(Pattern a, ConsumerRebalanceListener b) {
        delegate.subscribe(a, b);
    }

    @Override
    public void subscribe(Pattern a) {
        delegate.subscribe(a);
    }

    @Override
    public void subscribe(SubscriptionPattern a, ConsumerRebalanceListener b) {
        delegate.subscribe(a, b);
    }

    @Override
    public void subscribe(SubscriptionPattern a) {
        delegate.subscribe(a);
    }

    @Override
    public void unsubscribe() {
        delegate.unsubscribe();
    }

    @Override
    public void commitSync() {
        delegate.commitSync();
    }

    @Override
    public void commitSync(Duration a) {
        delegate.commitSync(a);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> a) {
        delegate.commitSync(a);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> a, Duration b) {
        delegate.commitSync(a, b);
    }

    @Override
    public void commitAsync() {
        delegate.commitAsync();
    }

    @Override
    public void commitAsync(OffsetCommitCallback a) {
        delegate.commitAsync(a);
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> a, OffsetCommitCallback b) {
        delegate.commitAsync(a, b);
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric a) {
        delegate.registerMetricForSubscription(a);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric a) {
        delegate.unregisterMetricFromSubscription(a);
    }

    @Override
    public void seek(TopicPartition a, long b) {
        delegate.seek(a, b);
    }

    @Override
    public void seek(TopicPartition a, OffsetAndMetadata b) {
        delegate.seek(a, b);
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> a) {
        delegate.seekToBeginning(a);
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> a) {
        delegate.seekToEnd(a);
    }

    @Override
    public long position(TopicPartition a) {
        return delegate.position(a);
    }

    @Override
    public long position(TopicPartition a, Duration b) {
        return delegate.position(a, b);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> a) {
        return delegate.committed(a);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> a, Duration b) {
        return delegate.committed(a, b);
    }

    @Override
    public Uuid clientInstanceId(Duration a) {
        return delegate.clientInstanceId(a);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String a) {
        return delegate.partitionsFor(a);
    }

    @Override
    public List<PartitionInfo> partitionsFor(String a, Duration b) {
        return delegate.partitionsFor(a, b);
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics() {
        return delegate.listTopics();
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics(Duration a) {
        return delegate.listTopics(a);
    }

    @Override
    public Set<TopicPartition> paused() {
        return delegate.paused();
    }

    @Override
    public void pause(Collection<TopicPartition> a) {
        delegate.pause(a);
    }

    @Override
    public void resume(Collection<TopicPartition> a) {
        delegate.resume(a);
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> a) {
        return delegate.offsetsForTimes(a);
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> a, Duration b) {
        return delegate.offsetsForTimes(a, b);
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> a) {
        return delegate.beginningOffsets(a);
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> a, Duration b) {
        return delegate.beginningOffsets(a, b);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> a) {
        return delegate.endOffsets(a);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> a, Duration b) {
        return delegate.endOffsets(a, b);
    }

    @Override
    public OptionalLong currentLag(TopicPartition a) {
        return delegate.currentLag(a);
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
        return delegate.groupMetadata();
    }

    @Override
    public void enforceRebalance() {
        delegate.enforceRebalance();
    }

    @Override
    public void enforceRebalance(String a) {
        delegate.enforceRebalance(a);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @SuppressWarnings("deprecation")
    @Override
    public void close(Duration a) {
        delegate.close(a);
    }

    @Override
    public void close(CloseOptions a) {
        delegate.close(a);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }
}
