package io.ruvector.index;

import io.ruvector.index.store.GraphMaintenance;
import io.ruvector.index.topology.IndexTopology;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StandbyUpdateListener;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Restoration writes changelog records straight into a vector index store's key-value layer,
 * past the in-memory index built over it. That happens to every standby copy, and a copy that
 * was active before (a task moved away and back) still holds its old in-memory index; promoted
 * again, it would answer without the rows restored meanwhile. So every restored batch and every
 * promotion drops the partition's in-memory index, which the next use rebuilds from the store.
 */
final class RestoredPartitions implements StandbyUpdateListener, StateRestoreListener {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RestoredPartitions.class);

    private final GraphMaintenance stores;
    private final java.util.Map<TopicPartition, Long> restoreStarts = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<Integer> restoring = java.util.concurrent.ConcurrentHashMap.newKeySet();

    RestoredPartitions(GraphMaintenance stores) {
        this.stores = stores;
    }

    @Override
    public void onUpdateStart(TopicPartition changelog, String storeName, long startingOffset) {
        invalidate(storeName, changelog);
    }

    @Override
    public void onBatchLoaded(TopicPartition changelog, String storeName, TaskId taskId, long batchEndOffset,
                              long batchSize, long currentEndOffset) {
        invalidate(storeName, changelog);
    }

    @Override
    public void onUpdateSuspended(TopicPartition changelog, String storeName, long storeOffset, long currentEndOffset,
                                  SuspendReason reason) {
        invalidate(storeName, changelog);
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String storeName, long startingOffset, long endingOffset) {
        restoreStarts.put(changelog, System.nanoTime());
        if (IndexTopology.STORE_NAME.equals(storeName)) {
            restoring.add(changelog.partition());
        }
        invalidate(storeName, changelog);
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String storeName, long batchEndOffset, long numRestored) {
        invalidate(storeName, changelog);
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String storeName, long totalRestored) {
        invalidate(storeName, changelog);
        if (IndexTopology.STORE_NAME.equals(storeName)) {
            restoring.remove(changelog.partition());
        }
        Long started = restoreStarts.remove(changelog);
        if (started != null && totalRestored > 0) {
            // the in-memory index (and its graphs) is rebuilt from the restored store on first use
            LOG.info("restored {} changelog records of {} partition {} in {} ms", totalRestored, storeName,
                    changelog.partition(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String storeName, long totalRestored) {
        // the task moved away mid-restore: it is no longer restoring here
        restoreStarts.remove(changelog);
        if (IndexTopology.STORE_NAME.equals(storeName)) {
            restoring.remove(changelog.partition());
        }
        invalidate(storeName, changelog);
    }

    /** Index partitions whose active store is being restored from its changelog now. */
    java.util.Set<Integer> restoring() {
        return java.util.Set.copyOf(restoring);
    }

    private void invalidate(String storeName, TopicPartition changelog) {
        if (IndexTopology.STORE_NAME.equals(storeName)) {
            // the changelog has one partition per task partition of the vectors topic
            stores.invalidate(changelog.partition());
        }
    }
}
