package io.ruvector.index.topology;

import io.ruvector.index.cluster.LocalStandbys;
import java.time.Duration;
import java.util.Objects;

/**
 * How fast the index application notices a lost instance and what answers for its partitions
 * meanwhile (docs/index.md, "Losing an instance").
 *
 * @param sessionTimeout       the group session of an index instance: a member that sent no
 *                             heartbeat for this long is gone and its partitions move (Kafka's
 *                             {@code session.timeout.ms}; brokers accept 6 s to 30 min by
 *                             default). Default {@link #DEFAULT_SESSION_TIMEOUT}.
 * @param heartbeatInterval    how often a member says it is alive ({@code heartbeat.interval.ms}),
 *                             at most a third of the session. Default {@link #DEFAULT_HEARTBEAT_INTERVAL}.
 * @param standbyMaxLagRecords how far behind its changelog's end a standby copy may be and still
 *                             answer for a partition whose active instance cannot. Default
 *                             {@link LocalStandbys#DEFAULT_MAX_LAG_RECORDS}.
 * @param standbyReads         whether standbys answer at all (off: a lost instance's partitions
 *                             answer 503 until they move, and standbys hold no search structures)
 */
public record FailoverSettings(Duration sessionTimeout, Duration heartbeatInterval, long standbyMaxLagRecords,
                               boolean standbyReads) {

    /** The broker's default minimum: as fast as a default Kafka cluster lets a member be declared gone. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(1_500);
    public static final FailoverSettings DEFAULT = new FailoverSettings(null, null, -1, true);

    public FailoverSettings {
        sessionTimeout = sessionTimeout == null ? DEFAULT_SESSION_TIMEOUT : sessionTimeout;
        heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT_INTERVAL : heartbeatInterval;
        standbyMaxLagRecords = standbyMaxLagRecords < 0 ? LocalStandbys.DEFAULT_MAX_LAG_RECORDS : standbyMaxLagRecords;
        if (sessionTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("index session timeout must be >= 1 s, was " + sessionTimeout.toMillis() + " ms");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || heartbeatInterval.multipliedBy(3).compareTo(sessionTimeout) > 0) {
            throw new IllegalArgumentException("index heartbeat interval must be > 0 and at most a third of the session ("
                    + sessionTimeout.toMillis() + " ms), was " + heartbeatInterval.toMillis() + " ms");
        }
    }

    /** These settings with another session timeout (the heartbeat a third of it when it no longer fits). */
    public FailoverSettings withSessionTimeout(Duration session) {
        Objects.requireNonNull(session, "session");
        Duration beat = heartbeatInterval.multipliedBy(3).compareTo(session) > 0 ? session.dividedBy(3) : heartbeatInterval;
        return new FailoverSettings(session, beat, standbyMaxLagRecords, standbyReads);
    }

    /** These settings with standby reads on or off. */
    public FailoverSettings withStandbyReads(boolean on) {
        return new FailoverSettings(sessionTimeout, heartbeatInterval, standbyMaxLagRecords, on);
    }
}
