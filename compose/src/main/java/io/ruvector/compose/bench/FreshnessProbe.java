package io.ruvector.compose.bench;

import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.index.IndexService;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Freshness under load: two writers together commit {@code rate} rows/s (transactions of 20
 * rows) for a while; a prober takes the last row of each transaction and asks the index for it by
 * id every 200 µs until it is there, timing commit (when COMMIT returned) → searchable.
 */
final class FreshnessProbe {

    private static final int ROWS_PER_TX = 20;
    private static final int WRITERS = 2;
    private static final long PROBE_PAUSE_NANOS = 200_000;

    private record Pending(String id, long committedNanos) {
    }

    private final PgConnectionSettings pg;
    private final String table;
    private final String collection;
    private final IndexService index;
    private final int dimensions;

    FreshnessProbe(PgConnectionSettings pg, String table, String collection, IndexService index, int dimensions) {
        this.pg = pg;
        this.table = table;
        this.collection = collection;
        this.index = index;
        this.dimensions = dimensions;
    }

    void run(PrintStream out, int rate, int seconds, long firstId) throws Exception {
        BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
        long[] latencies = new long[rate * seconds / ROWS_PER_TX + WRITERS + 1];
        long[] committedAt = new long[latencies.length]; // of each measured transaction, for the windows below
        int[] measured = {0}; // written by the prober only
        Thread prober = Thread.ofPlatform().name("freshness-prober").start(() -> {
            try {
                while (true) {
                    Pending p = pending.take();
                    if (p.id() == null) {
                        return;
                    }
                    while (!visible(p.id())) {
                        // parked, not spinning: a spinning prober takes a core from the pipeline it measures
                        java.util.concurrent.locks.LockSupport.parkNanos(PROBE_PAUSE_NANOS);
                    }
                    committedAt[measured[0]] = p.committedNanos();
                    latencies[measured[0]++] = System.nanoTime() - p.committedNanos();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // Several writers, each committing ROWS_PER_TX rows on its own schedule: one connection
        // cannot commit fast enough (each COMMIT waits for its WAL flush), several share flushes.
        long txsPerWriter = (long) rate * seconds / ROWS_PER_TX / WRITERS;
        long intervalNanos = 1_000_000_000L * ROWS_PER_TX * WRITERS / rate;
        java.util.concurrent.atomic.AtomicLong nextId = new java.util.concurrent.atomic.AtomicLong(firstId);
        long start = System.nanoTime();
        List<Thread> writers = new java.util.ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            long offset = intervalNanos * w / WRITERS;
            SplittableRandom random = new SplittableRandom(5 + w);
            writers.add(Thread.ofPlatform().name("freshness-writer-" + w).start(() -> {
                try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                     PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                             + " (id, embedding, label) VALUES (?, ?::vector, 'fresh')")) {
                    c.setAutoCommit(false);
                    for (long tx = 0; tx < txsPerWriter; tx++) {
                        long wait = start + offset + tx * intervalNanos - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        long last = 0;
                        for (int r = 0; r < ROWS_PER_TX; r++) {
                            last = nextId.getAndIncrement();
                            insert.setLong(1, last);
                            insert.setString(2, TableLoader.literal(randomVector(random)));
                            insert.addBatch();
                        }
                        insert.executeBatch();
                        c.commit();
                        pending.add(new Pending(Long.toString(last), System.nanoTime()));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("freshness writer failed: " + e.getMessage(), e);
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        long written = nextId.get() - firstId;
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        pending.add(new Pending(null, 0));
        prober.join(60_000);
        Latencies l = Latencies.of(java.util.Arrays.copyOf(latencies, measured[0]));
        out.printf("%nfreshness: %d rows in %.1f s (%.0f rows/s, %d rows per transaction); commit -> searchable over %d "
                        + "transactions: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", written, writeSeconds,
                written / writeSeconds, ROWS_PER_TX, l.count(), l.percentileMs(50), l.percentileMs(95), l.percentileMs(99),
                l.percentileMs(100));
        printWindows(out, start, committedAt, latencies, measured[0]);
    }

    /** Percentiles per 5 s of commits: a tail that grows through the run is a backlog, one window's is a stall. */
    private static void printWindows(PrintStream out, long start, long[] committedAt, long[] latencies, int count) {
        long window = TimeUnit.SECONDS.toNanos(5);
        java.util.Map<Long, List<Long>> byWindow = new java.util.TreeMap<>();
        for (int i = 0; i < count; i++) {
            byWindow.computeIfAbsent((committedAt[i] - start) / window, w -> new java.util.ArrayList<>()).add(latencies[i]);
        }
        byWindow.forEach((w, values) -> {
            Latencies l = Latencies.of(values.stream().mapToLong(Long::longValue).toArray());
            out.printf("  commits %2d-%2d s: %4d transactions, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", w * 5, w * 5 + 5,
                    l.count(), l.percentileMs(50), l.percentileMs(99), l.percentileMs(100));
        });
    }

    private boolean visible(String id) {
        return BenchRequests.contains(index, collection, id);
    }

    private float[] randomVector(SplittableRandom random) { // per-writer random: not shared across threads
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            v[d] = (float) random.nextDouble();
        }
        return v;
    }
}
