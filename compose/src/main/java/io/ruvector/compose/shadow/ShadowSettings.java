package io.ruvector.compose.shadow;

/**
 * Bounds of shadow reads on one instance: the PostgreSQL work they may cause, whatever share of
 * searches a collection's policy asks for.
 *
 * @param threads  PostgreSQL connections (and threads) running shadow queries
 * @param queue    shadow queries waiting for one; more are dropped and counted, never waited for
 * @param kept     mismatches kept per collection for {@code GET …/shadow} (the newest)
 * @param postgresShare the share of its time a shadow thread may keep PostgreSQL busy, (0, 1]:
 *                 after a query that took {@code t} it rests {@code t·(1/share − 1)}, so that
 *                 shadow reads cost PostgreSQL at most this share of one core per thread (and,
 *                 where PostgreSQL shares the machine, leave the searches their cores)
 */
public record ShadowSettings(int threads, int queue, int kept, double postgresShare) {

    public static final ShadowSettings DEFAULT = new ShadowSettings(1, 64, 20, 0.10);

    public ShadowSettings {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("shadow threads (--shadow-threads) must be in 1..64, was " + threads);
        }
        if (queue < 1) {
            throw new IllegalArgumentException("shadow queue must be >= 1, was " + queue);
        }
        if (!(postgresShare > 0 && postgresShare <= 1)) {
            throw new IllegalArgumentException("shadow postgres share (--shadow-postgres-share) must be in (0, 1], was " + postgresShare);
        }
        if (kept < 0) {
            throw new IllegalArgumentException("shadow mismatches kept must be >= 0, was " + kept);
        }
    }
}
