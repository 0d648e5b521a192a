package io.ruvector.cdc.normalise;

import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.VectorChange;

/** What the normaliser made of one Debezium record. Every outcome carries the record's LSN (or -1). */
public sealed interface Normalised {

    long lsn();

    /** A valid change of a registered collection. */
    record Accepted(VectorChange change) implements Normalised {
        @Override
        public long lsn() {
            return change.getLsn();
        }
    }

    /** An invalid change, set aside with its reason; the pipeline goes on. */
    record Rejected(DeadLetter letter, long lsn) implements Normalised {
    }

    /** A position marker (our logical decoding watermark message, a heartbeat): nothing to publish. */
    record Position(long lsn) implements Normalised {
    }

    /** A record that is not ours to publish (an unregistered table, a tombstone). */
    record Skipped(String why, long lsn) implements Normalised {
    }
}
