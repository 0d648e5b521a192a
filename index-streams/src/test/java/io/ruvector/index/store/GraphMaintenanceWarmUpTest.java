package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * After a restart every partition's task asks for its index to be built ({@link
 * VectorIndexStore#warmSoon()}): the builds run side by side on the warm-up threads, not one after
 * the other, and never on the caller's thread.
 */
class GraphMaintenanceWarmUpTest {

    @Test
    void shouldWarmSeveralPartitionsAtTheSameTimeOffTheCallersThread() throws Exception {
        int partitions = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        // each warm-up waits at the barrier for the others: warm-ups run one after the other time out there
        CyclicBarrier together = new CyclicBarrier(partitions);
        CountDownLatch done = new CountDownLatch(partitions);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicBoolean allMet = new AtomicBoolean(true);
        try (GraphMaintenance maintenance = GraphMaintenance.scheduled(Duration.ofHours(1))) {
            for (int p = 0; p < partitions; p++) {
                maintenance.register(store(p, () -> {
                    threads.add(Thread.currentThread().getName());
                    try {
                        together.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        allMet.set(false);
                    }
                    done.countDown();
                }));
            }
            for (int p = 0; p < partitions; p++) {
                maintenance.warm(p);
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(allMet).as("every partition's warm-up ran while the others did").isTrue();
        assertThat(threads).hasSize(partitions).allMatch(name -> name.startsWith("ruvector-index-warmup-"))
                .doesNotContain(Thread.currentThread().getName());
    }

    /**
     * A partition asked for twice (its restore ended, then its task started) is built once: the
     * second request must not hold the other warm-up thread on the first build's lock while another
     * partition waits (seen after a restart: one partition's build began only when the other's ended).
     */
    @Test
    void shouldNotHoldAWarmUpThreadWithASecondRequestForAPartitionBeingBuilt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2,
                "two warm-up threads need two cores");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherBuilt = new CountDownLatch(1);
        AtomicInteger builds = new AtomicInteger();
        try (GraphMaintenance maintenance = GraphMaintenance.scheduled(Duration.ofHours(1))) {
            maintenance.register(store(0, () -> {
                builds.incrementAndGet();
                started.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            maintenance.register(store(1, otherBuilt::countDown));
            maintenance.warm(0);
            // a busy machine may start the first build late: ask again only once it runs (a CI run
            // asserted on a build that had not begun, and close() does not wait for warm-ups)
            assertThat(started.await(10, TimeUnit.SECONDS)).as("partition 0's build began").isTrue();
            maintenance.warm(0); // the same partition again while its build runs
            maintenance.warm(1);
            assertThat(otherBuilt.await(10, TimeUnit.SECONDS))
                    .as("partition 1 built while partition 0's build still runs").isTrue();
            release.countDown();
        }
        assertThat(builds).hasValue(1);
    }

    @Test
    void shouldWarmOnTheCallersThreadWhereNothingIsScheduled() {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (GraphMaintenance maintenance = GraphMaintenance.manual()) {
            maintenance.register(store(3, () -> threads.add(Thread.currentThread().getName())));
            maintenance.warm(2);
            assertThat(threads).as("another partition").isEmpty();
            maintenance.warm(3);
        }
        assertThat(threads).containsExactly(Thread.currentThread().getName());
    }

    /**
     * A store of {@code partition} whose {@code warm()} runs {@code onWarm} once; like the real store a
     * second {@code warm()} waits for a running one (the real one on the partition's write lock) and
     * then finds it built. Only what warm-ups call is answered.
     */
    private static VectorIndexStore store(int partition, Runnable onWarm) {
        Object lock = new Object();
        AtomicBoolean warmed = new AtomicBoolean();
        return (VectorIndexStore) Proxy.newProxyInstance(VectorIndexStore.class.getClassLoader(),
                new Class<?>[] {VectorIndexStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "partition" -> partition;
                    case "warmed" -> warmed.get();
                    case "warm" -> {
                        synchronized (lock) {
                            if (!warmed.get()) {
                                onWarm.run();
                                warmed.set(true);
                            }
                        }
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

}
