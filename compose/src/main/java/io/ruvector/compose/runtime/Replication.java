package io.ruvector.compose.runtime;

/**
 * How the topics this runtime creates are replicated. The embedded single broker needs 1/1; a
 * production cluster wants 3/2, so that one broker can be lost without losing an acknowledged
 * change or refusing writes (producers already send with {@code acks=all} and idempotence).
 *
 * @param factor     replicas of every topic created here (the RuVector topics, the schema log)
 * @param minInsync  replicas that must have a write before it is acknowledged ({@code min.insync.replicas})
 */
public record Replication(short factor, int minInsync) {

    public static final Replication SINGLE_BROKER = new Replication((short) 1, 1);

    public Replication {
        if (factor < 1) {
            throw new IllegalArgumentException("replication factor must be >= 1, got " + factor);
        }
        if (minInsync < 1 || minInsync > factor) {
            throw new IllegalArgumentException("min.insync.replicas must be in [1, replication factor " + factor + "], got "
                    + minInsync);
        }
    }
}
