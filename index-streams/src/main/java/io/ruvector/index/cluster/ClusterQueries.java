package io.ruvector.index.cluster;

import io.ruvector.index.query.VectorIndexQuery;
import io.ruvector.index.query.WatermarkQuery;
import io.ruvector.index.topology.IndexTopology;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.LagInfo;
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
 * <p>Failover: when a partition's active instance is gone (it refused a connection, see
 * {@link PeerLiveness}) or the partition has no active instance while it moves, a standby copy
 * that has caught up answers instead ({@link QueryRoutes}, {@link LocalStandbys}) and the answer
 * says so ({@link Gathered#standbyServed()}). Every answer carries the watermark it was served at;
 * a caller with a read-your-writes bound checks it (docs/index.md, "Losing an instance").
 */
public final class ClusterQueries {

    private static final Duration WATERMARK_POLL = Duration.ofMillis(10);
    /** How long a query waits for moving partitions to settle before it fails. */
    public static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SETTLE_POLL = Duration.ofMillis(50);
    private static final Duration MEASURED_LAG_TTL = Duration.ofSeconds(1);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String vectorsTopic;
    private final int partitionCount;
    private final ExecutorService pool;
    private final LocalStandbys standbys;
    private final PeerLiveness liveness = new PeerLiveness(System::nanoTime);
    private final LongAdder standbyPartitions = new LongAdder();
    private final LongAdder failedOver = new LongAdder();
    private volatile MeasuredLags measured = new MeasuredLags(Map.of(), Long.MIN_VALUE);

    /** Standby lags read from Kafka Streams at {@code nanos} (for copies that reported no batch yet). */
    private record MeasuredLags(Map<Integer, Long> lags, long nanos) {
    }

    /**
     * @param streams        this instance's running index application
     * @param self           this instance's {@code application.server} ({@link HostInfo#unavailable()} when unset)
     * @param vectorsTopic   the topic whose partitions the index is partitioned by
     * @param partitionCount partitions of {@code vectorsTopic}: all of them must answer
     * @param pool           runs the calls to other instances (the caller owns and closes it)
     * @param standbys       this instance's standby copies and their lag
     */
    public ClusterQueries(KafkaStreams streams, HostInfo self, String vectorsTopic, int partitionCount, ExecutorService pool,
                          LocalStandbys standbys) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
        this.vectorsTopic = Objects.requireNonNull(vectorsTopic, "vectorsTopic");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.standbys = Objects.requireNonNull(standbys, "standbys");
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
            localPartitions(ThreadMetadata::activeTasks).forEach(p -> active.put(p, self));
            return new IndexPlacement(active, Map.of());
        }
        return IndexPlacement.of(streams.streamsMetadataForStore(IndexTopology.STORE_NAME), vectorsTopic);
    }

    /** This instance's {@code application.server}. */
    public HostInfo self() {
        return self;
    }

    /** Whether {@code host} refused a connection a moment ago (queries route past it). */
    public boolean unreachable(HostInfo host) {
        return liveness.down(host);
    }

    /** Partition answers served by standby copies since start (through this instance's gathers). */
    public long standbyPartitionsServed() {
        return standbyPartitions.sum();
    }

    /** Gathers at least one partition of which a standby answered, since start. */
    public long failedOverGathers() {
        return failedOver.sum();
    }

    /** {@link #gatherServed}'s answers only. */
    public <R> Map<Integer, R> gather(VectorIndexQuery<R> query, PeerCall<R> peers) throws InterruptedException {
        return gatherServed(query, peers).answers();
    }

    /**
     * {@code query} on every partition of the cluster. While partitions have no replica that can
     * answer (a rebalance is moving them, or their instance is gone without a caught-up standby)
     * it retries for up to {@link #SETTLE_TIMEOUT}, so that a routine rebalance delays an answer
     * instead of failing it.
     */
    public <R> Gathered<R> gatherServed(VectorIndexQuery<R> query, PeerCall<R> peers) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            try {
                Gathered<R> gathered = gatherOnce(query, peers);
                if (!gathered.standbyServed().isEmpty()) {
                    standbyPartitions.add(gathered.standbyServed().size());
                    failedOver.increment();
                }
                return gathered;
            } catch (PartitionsUnavailableException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(SETTLE_POLL);
            }
        }
    }

    private <R> Gathered<R> gatherOnce(VectorIndexQuery<R> query, PeerCall<R> peers) throws InterruptedException {
        IndexPlacement placement = placement();
        Map<Integer, R> answers = new TreeMap<>();
        Set<Integer> standbyServed = new TreeSet<>();
        Map<Integer, String> missing = new TreeMap<>();
        Set<Integer> left = new TreeSet<>();
        for (int p = 0; p < partitionCount; p++) {
            left.add(p);
        }
        // A second round for the partitions whose active replica failed in the first (its instance
        // refused the connection, or the task is restoring after a move): a standby answers them at once.
        Set<Integer> activeFailed = new TreeSet<>();
        for (int round = 0; round < 2 && !left.isEmpty(); round++) {
            QueryRoutes routes = QueryRoutes.plan(left, placement, self, liveness::down, this::localStandbyServable,
                    activeFailed);
            missing = new TreeMap<>(routes.missing());
            Set<Integer> failedNow = ask(query, peers, routes, answers, standbyServed, missing);
            left = new TreeSet<>(missing.keySet());
            if (failedNow.isEmpty()) {
                break;
            }
            activeFailed.addAll(failedNow);
        }
        for (int p = 0; p < partitionCount; p++) {
            if (!answers.containsKey(p)) { // never merge over a subset, whatever path left a partition out
                missing.putIfAbsent(p, "no replica answered for it");
            }
        }
        if (!missing.isEmpty()) {
            throw new PartitionsUnavailableException(missing);
        }
        return new Gathered<>(answers, standbyServed);
    }

    /** Asks every target of {@code routes}; returns the partitions an active replica was asked for and did not answer. */
    private <R> Set<Integer> ask(VectorIndexQuery<R> query, PeerCall<R> peers, QueryRoutes routes, Map<Integer, R> answers,
                                 Set<Integer> standbyServed, Map<Integer, String> missing) throws InterruptedException {
        Map<QueryRoutes.Target, Future<Map<Integer, R>>> remote = new LinkedHashMap<>();
        for (Map.Entry<QueryRoutes.Target, Set<Integer>> group : routes.targets().entrySet()) {
            QueryRoutes.Target target = group.getKey();
            if (!target.host().equals(self)) {
                remote.put(target, pool.submit(() -> callPeer(peers, target, group.getValue())));
            }
        }
        Set<Integer> mine = routes.targets().get(new QueryRoutes.Target(self, false));
        if (mine != null) {
            // In turn on the calling thread: handing a partition to another thread cost as much as
            // it saved on 2 cores, and cost throughput under concurrent searches (docs/benchmarks.md).
            collect(answers, missing, mine, () -> local(query, mine), "this instance");
        }
        Set<Integer> mineStandby = routes.targets().get(new QueryRoutes.Target(self, true));
        if (mineStandby != null) {
            collect(answers, missing, mineStandby, () -> localStandby(query, mineStandby), "this instance's standby");
            served(answers, mineStandby, standbyServed);
        }
        for (Map.Entry<QueryRoutes.Target, Future<Map<Integer, R>>> call : remote.entrySet()) {
            QueryRoutes.Target target = call.getKey();
            Set<Integer> asked = routes.targets().get(target);
            Future<Map<Integer, R>> future = call.getValue();
            collect(answers, missing, asked, () -> await(future), (target.standby() ? "standby " : "") + target.host());
            if (target.standby()) {
                served(answers, asked, standbyServed);
            }
        }
        Set<Integer> activeFailed = new TreeSet<>();
        routes.targets().forEach((target, asked) -> {
            if (!target.standby()) {
                asked.stream().filter(p -> !answers.containsKey(p)).forEach(activeFailed::add);
            }
        });
        return activeFailed;
    }

    private static <R> void served(Map<Integer, R> answers, Set<Integer> asked, Set<Integer> standbyServed) {
        for (int p : asked) {
            if (answers.containsKey(p)) {
                standbyServed.add(p);
            }
        }
    }

    /** One call to a peer; a refused connection marks it unreachable, an answer reachable again. */
    private <R> Map<Integer, R> callPeer(PeerCall<R> peers, QueryRoutes.Target target, Set<Integer> partitions)
            throws Exception {
        try {
            Map<Integer, R> answer = peers.call(target.host(), partitions, target.standby());
            liveness.answered(target.host());
            return answer;
        } catch (Exception e) {
            if (refusedConnection(e)) {
                liveness.refused(target.host());
            }
            throw e;
        }
    }

    /** A closed port or a connect timeout: nobody is there. A reset mid-answer is not (the peer may be busy). */
    static boolean refusedConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.http.HttpConnectTimeoutException
                    || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /** Whether this instance's standby copy of {@code partition} may answer now (standby reads on and caught up). */
    public boolean localStandbyServable(int partition) {
        if (!standbys.hosts(partition)) {
            return false;
        }
        OptionalLong lag = standbys.lag(partition);
        if (lag.isEmpty()) { // no batch reported since it started: it may be up to date, ask Kafka Streams
            Long measuredLag = measuredLags().get(partition);
            lag = measuredLag == null ? OptionalLong.empty() : OptionalLong.of(measuredLag);
        }
        return lag.isPresent() && standbys.servable(lag.getAsLong());
    }

    private Map<Integer, Long> measuredLags() {
        MeasuredLags last = measured;
        long now = System.nanoTime();
        if (now - last.nanos() < MEASURED_LAG_TTL.toNanos()) {
            return last.lags();
        }
        Map<Integer, Long> lags = new TreeMap<>();
        try {
            Map<Integer, LagInfo> store = streams.allLocalStorePartitionLags().get(IndexTopology.STORE_NAME);
            if (store != null) {
                store.forEach((p, info) -> lags.put(p, info.offsetLag()));
            }
        } catch (RuntimeException e) { // not running (rebalancing, closing): no standby is known to be current
            lags.clear();
        }
        measured = new MeasuredLags(lags, now);
        return lags;
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
                Map<Integer, Long> marks = gatherOnce(new WatermarkQuery(), peers).answers();
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
        return answers(streams.query(StateQueryRequest.inStore(IndexTopology.STORE_NAME)
                .withQuery(query).withPartitions(partitions).requireActive()), partitions);
    }

    /** Each partition's answer in {@code result}; any partition that failed or is absent fails the call. */
    private static <R> Map<Integer, R> answers(StateQueryResult<R> result, Set<Integer> partitions) {
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
     * {@code query} on this instance's standby copies of {@code partitions} (what a peer asks us
     * when their active instance is gone). A copy behind by more than the standby lag limit, or
     * not here, fails its partition.
     */
    public <R> Map<Integer, R> localStandby(VectorIndexQuery<R> query, Set<Integer> partitions) {
        Map<Integer, String> behind = new TreeMap<>();
        for (int p : partitions) {
            if (!localStandbyServable(p)) {
                behind.put(p, standbys.hosts(p) ? "the standby copy here is behind (lag "
                        + standbys.lag(p).stream().mapToObj(Long::toString).findFirst().orElse("unknown")
                        + " records, limit " + standbys.maxLagRecords() + ")" : "no standby copy here");
            }
        }
        if (!behind.isEmpty()) {
            throw new PartitionsUnavailableException(behind);
        }
        // Without requireActive IQv2 asks whichever copy this instance holds, and a standby being
        // promoted becomes an active task that restores before it runs, from a store that may be
        // partial: the answer counts only if the copy was a standby before and after it.
        Set<Integer> before = localStandbyPartitions();
        Map<Integer, R> answers = answers(streams.query(StateQueryRequest.inStore(IndexTopology.STORE_NAME).withQuery(query)
                .withPartitions(partitions)), partitions);
        Set<Integer> after = localStandbyPartitions();
        Map<Integer, String> moved = new TreeMap<>();
        for (int p : partitions) {
            if (!before.contains(p) || !after.contains(p)) {
                moved.put(p, "the copy here is no longer a standby (promoted or moved)");
            }
        }
        if (!moved.isEmpty()) {
            throw new PartitionsUnavailableException(moved);
        }
        return answers;
    }

    /** Partitions of the vectors topic this instance holds standby tasks of now. */
    private Set<Integer> localStandbyPartitions() {
        return localPartitions(ThreadMetadata::standbyTasks);
    }

    /** Partitions of the vectors topic among the {@code tasks} (active or standby) of this instance's threads. */
    private Set<Integer> localPartitions(java.util.function.Function<ThreadMetadata, Set<TaskMetadata>> tasks) {
        Set<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : tasks.apply(thread)) {
                task.topicPartitions().stream().filter(tp -> tp.topic().equals(vectorsTopic))
                        .forEach(tp -> partitions.add(tp.partition()));
            }
        }
        return partitions;
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
            // the call failed as a whole: the partitions it did answer are lost with it
            asked.forEach(p -> missing.put(p, where + ": " + (e.partitions().contains(p) ? e.getMessage()
                    : "answered only with others that failed: " + e.getMessage())));
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
