package io.ruvector.integrity;

import io.ruvector.schemas.IntegrityState;
import java.util.Optional;

/** Where {@link IntegrityService} reads current state records from, by collection and scope key. */
@FunctionalInterface
public interface StateReader {

    /**
     * The state record of {@code scopeKey} ({@code collection} or {@code collection/tenant}), if this
     * reader has it. {@code collection} is the partitioning key of the scope.
     */
    Optional<IntegrityState> read(String collection, String scopeKey);
}
