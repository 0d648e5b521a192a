package io.ruvector.cdc.doctor;

import java.sql.SQLException;
import java.util.List;

/**
 * One family of readiness checks. Each returns every finding it can make (OK ones too) and
 * never stops at the first problem; {@link PgDoctor} turns an {@link SQLException} into an
 * ERROR finding and goes on with the next check.
 *
 * <p>Check ids (the {@code check} of a {@link DoctorFinding}) are stable: scripts may match them.
 */
public sealed interface DoctorCheck
        permits ServerCheck, RoleCheck, ExtensionCheck, TableCheck, PublicationCheck, SlotCheck {

    String SERVER_VERSION = "server_version";
    String WAL_LEVEL = "wal_level";
    String MAX_REPLICATION_SLOTS = "max_replication_slots";
    String MAX_WAL_SENDERS = "max_wal_senders";
    String MAX_SLOT_WAL_KEEP_SIZE = "max_slot_wal_keep_size";
    String REPLICATION_ROLE = "replication_role";
    String PGVECTOR = "pgvector";
    String TABLE = "table";
    String TABLE_ACCESS = "table_access";
    String PRIMARY_KEY = "primary_key";
    String VECTOR_COLUMN = "vector_column";
    String TOAST = "toast";
    String PUBLICATION = "publication";
    String REPLICATION_SLOT = "replication_slot";

    /** Id used for a finding when the whole check failed to run. */
    String name();

    List<DoctorFinding> run(DoctorContext context) throws SQLException;
}
