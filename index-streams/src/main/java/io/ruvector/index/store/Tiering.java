package io.ruvector.index.store;

import java.time.Duration;

/**
 * A collection's tier policy (the migration guide's {@code ruvector_set_tiers}): rows neither
 * written nor returned for {@code hot} leave float32 for int8 codes, re-scored from the store; a
 * compressed row returned again goes back. {@code warm} and {@code cold} are the idle times from
 * which a row counts as cool and cold: reported, held as warm rows (no denser code is built).
 */
public record Tiering(Duration hot, Duration warm, Duration cold) {

    public Tiering {
        if (hot == null || warm == null || cold == null) {
            throw new IllegalArgumentException("hot, warm and cold idle times are required");
        }
        if (hot.toSeconds() < 1) {
            throw new IllegalArgumentException("hot idle time must be at least 1 s, got " + hot);
        }
        if (warm.compareTo(hot) < 0 || cold.compareTo(warm) < 0) {
            throw new IllegalArgumentException("tiers must satisfy hot <= warm <= cold, got " + hot + ", " + warm + ", " + cold);
        }
    }
}
