package io.ruvector.index.store;

import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.VectorChange;
import java.util.Optional;
import org.apache.kafka.streams.processor.StateStore;

/**
 * One partition of the vector index as a Kafka Streams state store: the processor applies
 * {@code ruvector.vectors} records through it, and IQv2 answers {@code KnnQuery} /
 * {@code WatermarkQuery} from it (via {@link StateStore#query}).
 *
 * <p>Writes ({@link #apply}, {@link #advanceWatermark}) come from the stream thread only; reads may
 * come from any thread (IQv2) concurrently with them.
 */
public interface VectorIndexStore extends StateStore {

    /** Applies one change under {@link ApplyRules}; true when it changed the stored state. */
    boolean apply(VectorChange change);

    /** Raises the partition's watermark to {@code lsn} (lower or equal values are ignored). */
    void advanceWatermark(long lsn);

    /** The partition's watermark LSN, {@link PartitionIndex#NO_WATERMARK} before the first one. */
    long watermark();

    /** The live row {@code collection/id}, if any. */
    Optional<IndexedVector> get(String collection, String id);

    /** Live rows of {@code collection} in this partition. */
    int count(String collection);

    /** Exact top-k of this partition. */
    KnnResult search(KnnRequest request);

    /** Changes dropped for {@code reason} since this instance opened (not persisted). */
    long dropped(ApplyRules.DropReason reason);
}
