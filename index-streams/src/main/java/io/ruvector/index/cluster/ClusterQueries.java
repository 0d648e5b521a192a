package io.ruvector.index.cluster;

import io.ruvector.index.query.VectorIndexQuery;
import io.ruvector.index.query.WatermarkQuery;
import io.ruvector.index.topology.IndexTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Scatter/gather of index queries over every instance of the index application: each partition
 * is asked on the instance whose active task owns it (this one through IQv2, the others through
 * a {@link PeerCall}), in parallel, and the answers come back keyed by partition. Every
 * partition of the vectors topic must answer, or the call fails with
 * {@link PartitionsUnavailableException} naming the missing ones: merging a top-k over a subset
 * would return a wrong answer that looks right.
 *
 * <p>Standby replicas keep a warm copy of each partition's changelog on another instance, so
 * after a failover the new active task restores only the tail; queries are answered by active
 * tasks only (see docs/index.md, "Several instances").
 */
public final class ClusterQueries {

    private static final Duration WATERMARK_POLL = Duration.ofMillis(10);
    /** How long a query waits for moving partitions to settle before it fails. */
    public static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SETTLE_POLL = Duration.ofMillis(50);
    private static final int LOCAL_PARALLELISM = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Gathers running on this instance now, this one included: how many cores are already searching. */
    private final AtomicInteger inFlight = new AtomicInteger();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String vectorsTopic;
    private final int partitionCount;
    private final ExecutorService pool;

    /**
     * @param streams        this instance's running index application
     * @param self           this instance's {@code application.server} ({@link HostInfo#unavailable()} when unset)
     * @param vectorsTopic   the topic whose partitions the index is partitioned by
     * @param partitionCount partitions of {@code vectorsTopic}: all of them must answer
     * @param pool           runs the calls to other instances (the caller owns and closes it)
     */
    public ClusterQueries(KafkaStreams streams, HostInfo self, String vectorsTopic, int partitionCount, ExecutorService pool) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
        this.vectorsTopic = Objects.requireNonNull(vectorsTopic, "vectorsTopic");
        this.pool = Objects.requireNonNull(pool, "pool");
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partition count must be >= 1, was " + partitionCount);
        }
        this.partitionCount = partitionCount;
    }

    /**
     * Where the partitions are now. Without {@code application.server} Kafka Streams publishes no
     * placement at all; such an instance cannot have peers, so its own active tasks are the placement.
     */
    public IndexPlacement placement() {
        if (self.equals(HostInfo.unavailable())) {
            Map<Integer, HostInfo> active = new TreeMap<>();
            for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                for (TaskMetadata task : thread.activeTasks()) {
                    task.topicPartitions().stream().filter(tp -> tp.topic().equals(vectorsTopic))
                            .forEach(tp -> active.put(tp.partition(), self));
                }
            }
            return new IndexPlacement(active, Map.of());
        }
        return IndexPlacement.of(streams.streamsMetadataForStore(IndexTopology.STORE_NAME), vectorsTopic);
    }

    /**
     * {@code query} on every partition of the cluster. While partitions have no active instance
     * (a rebalance is moving them) it retries for up to {@link #SETTLE_TIMEOUT}, so that a
     * routine rebalance delays an answer instead of failing it.
     */
    public <R> Map<Integer, R> gather(VectorIndexQuery<R> query, PeerCall<R> peers) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            try {
                return gatherOnce(query, peers);
            } catch (PartitionsUnavailableException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(SETTLE_POLL);
            }
        }
    }

    private <R> Map<Integer, R> gatherOnce(VectorIndexQuery<R> query, PeerCall<R> peers) throws InterruptedException {
        IndexPlacement placement = placement();
        Map<HostInfo, Set<Integer>> byHost = new LinkedHashMap<>();
        Map<Integer, String> missing = new TreeMap<>();
        for (int p = 0; p < partitionCount; p++) {
            HostInfo host = placement.activeHost(p);
            if (host == null) {
                missing.put(p, "no active instance (rebalancing)");
            } else {
                byHost.computeIfAbsent(host, h -> new TreeSet<>()).add(p);
            }
        }
        Map<HostInfo, Future<Map<Integer, R>>> remote = new LinkedHashMap<>();
        for (Map.Entry<HostInfo, Set<Integer>> group : byHost.entrySet()) {
            if (!group.getKey().equals(self)) {
                remote.put(group.getKey(), pool.submit(() -> peers.call(group.getKey(), group.getValue())));
            }
        }
        Map<Integer, R> answers = new TreeMap<>();
        Set<Integer> mine = byHost.get(self);
        if (mine != null) {
            // IQv2 answers partitions one after the other on the calling thread: split the local
            // ones over the idle cores, this thread taking the first slice.
            int busy = inFlight.incrementAndGet();
            try {
                List<Set<Integer>> slices = slices(mine, sliceCount(mine.size(), LOCAL_PARALLELISM, busy));
                List<Future<Map<Integer, R>>> others = new ArrayList<>();
                for (Set<Integer> slice : slices.subList(1, slices.size())) {
                    others.add(pool.submit(() -> local(query, slice)));
                }
                collect(answers, missing, slices.getFirst(), () -> local(query, slices.getFirst()), "this instance");
                for (int i = 0; i < others.size(); i++) {
                    Future<Map<Integer, R>> slice = others.get(i);
                    collect(answers, missing, slices.get(i + 1), () -> await(slice), "this instance");
                }
            } finally {
                inFlight.decrementAndGet();
            }
        }
        for (Map.Entry<HostInfo, Future<Map<Integer, R>>> call : remote.entrySet()) {
            Future<Map<Integer, R>> future = call.getValue();
            collect(answers, missing, byHost.get(call.getKey()), () -> await(future), call.getKey().toString());
        }
        if (!missing.isEmpty()) {
            throw new PartitionsUnavailableException(missing);
        }
        return answers;
    }

    /**
     * Waits until every partition's watermark is at least {@code lsn} (read-your-writes across
     * the cluster); partitions that cannot answer yet count as behind.
     *
     * @throws TimeoutException naming the slowest partition when {@code timeout} passes first
     */
    public void awaitWatermark(long lsn, Duration timeout, PeerCall<Long> peers) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (true) {
            try {
                Map<Integer, Long> marks = gatherOnce(new WatermarkQuery(), peers);
                Map.Entry<Integer, Long> slowest = marks.entrySet().stream()
                        .min(Map.Entry.comparingByValue()).orElseThrow();
                if (slowest.getValue() >= lsn) {
                    return;
                }
                last = "slowest partition " + slowest.getKey() + " is at " + (slowest.getValue() < 0 ? "no watermark yet"
                        : "LSN " + io.ruvector.schemas.LsnText.format(slowest.getValue()));
            } catch (PartitionsUnavailableException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("index watermark did not reach LSN " + lsn + " within " + timeout.toMillis()
                        + " ms; " + last);
            }
            Thread.sleep(WATERMARK_POLL);
        }
    }

    /** {@code query} on {@code partitions} of this instance's active tasks (what a peer asks us). */
    public <R> Map<Integer, R> local(VectorIndexQuery<R> query, Set<Integer> partitions) {
        StateQueryResult<R> result = streams.query(StateQueryRequest.inStore(IndexTopology.STORE_NAME)
                .withQuery(query).withPartitions(partitions).requireActive());
        Map<Integer, R> answers = new TreeMap<>();
        Map<Integer, String> failures = new TreeMap<>();
        for (int p : partitions) {
            QueryResult<R> answer = result.getPartitionResults().get(p);
            if (answer == null) {
                failures.put(p, "not hosted here");
            } else if (answer.isSuccess()) {
                answers.put(p, answer.getResult());
            } else if (answer.getFailureReason() == org.apache.kafka.streams.query.FailureReason.STORE_EXCEPTION) {
                // The store refused the query itself (e.g. a wrong dimension): a caller error, not an outage.
                throw new IllegalArgumentException(answer.getFailureMessage());
            } else {
                failures.put(p, answer.getFailureReason() + " " + answer.getFailureMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new PartitionsUnavailableException(failures);
        }
        return answers;
    }

    /**
     * Slices for {@code partitions} local partitions on {@code cores} while {@code busy} gathers
     * (this one included) run: one per idle core. Handing a slice to another thread costs about
     * what searching a partition does when every core is busy, so a loaded instance searches its
     * partitions in turn and an idle one in parallel (measured on 2 cores, Fashion-MNIST, 2
     * partitions, 2 clients: 3,805 QPS split against 4,907 in turn; docs/benchmarks.md).
     */
    static int sliceCount(int partitions, int cores, int busy) {
        return Math.max(1, Math.min(partitions, cores - busy + 1));
    }

    /** {@code partitions} dealt round-robin into at most {@code count} non-empty slices. */
    static List<Set<Integer>> slices(Set<Integer> partitions, int count) {
        List<Set<Integer>> slices = new ArrayList<>();
        int i = 0;
        for (int p : partitions) {
            if (slices.size() < count) {
                slices.add(new TreeSet<>());
            }
            slices.get(i++ % Math.min(count, slices.size())).add(p);
        }
        return slices;
    }

    private interface Answer<R> {
        Map<Integer, R> get() throws Exception;
    }

    private static <R> void collect(Map<Integer, R> answers, Map<Integer, String> missing, Set<Integer> asked,
                                    Answer<R> answer, String where) throws InterruptedException {
        try {
            Map<Integer, R> got = answer.get();
            for (int p : asked) {
                if (got.containsKey(p)) {
                    answers.put(p, got.get(p));
                } else {
                    missing.put(p, where + " did not answer for it");
                }
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (PartitionsUnavailableException e) {
            e.partitions().forEach(p -> missing.put(p, where + ": " + e.getMessage()));
        } catch (Exception e) {
            asked.forEach(p -> missing.put(p, where + ": " + e.getMessage()));
        }
    }

    private static <R> Map<Integer, R> await(Future<Map<Integer, R>> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
