package io.ruvector.index;

import io.ruvector.index.cluster.LocalStandbys;
import io.ruvector.index.store.GraphMaintenance;
import io.ruvector.index.topology.IndexTopology;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StandbyUpdateListener;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Follows the restores of the index's stores. Restoration writes changelog records below the
 * in-memory index, which replays them itself ({@code RestoreObservingStore}); this listener keeps
 * what the rest of the instance needs to know: which active partitions are restoring now
 * (readiness), how far each standby copy is behind ({@link LocalStandbys}, for standby reads),
 * and when a standby has caught up, so that its in-memory index is warmed before it is needed.
 */
final class RestoredPartitions implements StandbyUpdateListener, StateRestoreListener {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RestoredPartitions.class);

    private final GraphMaintenance stores;
    private final LocalStandbys standbys;
    private final java.util.Map<TopicPartition, Long> restoreStarts = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<Integer> restoring = java.util.concurrent.ConcurrentHashMap.newKeySet();

    RestoredPartitions(GraphMaintenance stores, LocalStandbys standbys) {
        this.stores = stores;
        this.standbys = standbys;
    }

    @Override
    public void onUpdateStart(TopicPartition changelog, String storeName, long startingOffset) {
        if (IndexTopology.STORE_NAME.equals(storeName)) {
            standbys.started(changelog.partition());
        }
    }

    @Override
    public void onBatchLoaded(TopicPartition changelog, String storeName, TaskId taskId, long batchEndOffset,
                              long batchSize, long currentEndOffset) {
        if (IndexTopology.STORE_NAME.equals(storeName)) {
            int partition = changelog.partition();
            boolean wasServable = standbys.lag(partition).stream().anyMatch(standbys::servable);
            long lag = currentEndOffset - batchEndOffset - 1; // batchEndOffset is the batch's last offset
            standbys.loaded(partition, lag);
            if (!wasServable && standbys.servable(lag)) {
                stores.warm(partition); // caught up: build its search structures before a failover needs them
            }
        }
    }

    @Override
    public void onUpdateSuspended(TopicPartition changelog, String storeName, long storeOffset, long currentEndOffset,
                                  SuspendReason reason) {
        if (IndexTopology.STORE_NAME.equals(storeName)) {
            standbys.stopped(changelog.partition());
            LOG.debug("standby of partition {} stopped ({}) at offset {} of {}", changelog.partition(), reason,
                    storeOffset, currentEndOffset);
        }
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String storeName, long startingOffset, long endingOffset) {
        restoreStarts.put(changelog, System.nanoTime());
        if (IndexTopology.STORE_NAME.equals(storeName)) {
            restoring.add(changelog.partition());
        }
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String storeName, long batchEndOffset, long numRestored) {
        // the store's own index replays the batch if it is built; nothing to track per batch
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String storeName, long totalRestored) {
        if (IndexTopology.STORE_NAME.equals(storeName)) {
            restoring.remove(changelog.partition());
            // build it now, not when the stream thread gets to start its task: that thread may be
            // waiting meanwhile for another partition's build (its first change needs the index)
            stores.warmIfParamsKnown(changelog.partition());
        }
        Long started = restoreStarts.remove(changelog);
        if (started != null && totalRestored > 0) {
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
    }

    /** Index partitions whose active store is being restored from its changelog now. */
    java.util.Set<Integer> restoring() {
        return java.util.Set.copyOf(restoring);
    }
}
