package io.ruvector.compose.pgvector;

import io.ruvector.cdc.engine.PgConnectionSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * k-nearest-neighbour queries to pgvector on one connection of its own: {@link Mode#EXACT} with
 * index scans off (a sequential scan: pgvector's exact answer), or {@link Mode#INDEXED} with
 * sequential scans off (the table's HNSW or IVFFlat index, as the user's reads use it), with its
 * search settings. Not thread-safe: one per thread.
 */
public final class PgKnn implements AutoCloseable {

    /** Which answer of pgvector to ask for. */
    public enum Mode { EXACT, INDEXED }

    /**
     * pgvector's index search settings; null leaves the server's.
     *
     * @param efSearch      {@code hnsw.ef_search}
     * @param probes        {@code ivfflat.probes}
     * @param iterativeScan {@code hnsw.iterative_scan} and {@code ivfflat.iterative_scan} (pgvector 0.8:
     *                      {@code off}, {@code strict_order}, {@code relaxed_order})
     */
    public record IndexSettings(Integer efSearch, Integer probes, String iterativeScan) {
        public static final IndexSettings SERVER = new IndexSettings(null, null, null);
    }

    /** One row of an answer: its id as text and pgvector's distance. */
    public record Neighbour(String id, double distance) {
    }

    private final Connection connection;
    private final PgTarget target;
    private final String operator;

    private PgKnn(Connection connection, PgTarget target, String metric) {
        this.connection = connection;
        this.target = target;
        this.operator = PgTarget.operator(metric);
    }

    /** Opens a connection set up for {@code mode}; {@code settings} apply to {@link Mode#INDEXED}. */
    public static PgKnn open(PgConnectionSettings pg, PgTarget target, String metric, Mode mode, IndexSettings settings)
            throws SQLException {
        return open(pg, target, metric, mode, settings, false);
    }

    /**
     * As {@link #open(PgConnectionSettings, PgTarget, String, Mode, IndexSettings)}; {@code serial}
     * turns parallel query off for this connection, so that a query keeps one PostgreSQL core busy
     * (background work whose cost is budgeted by its elapsed time).
     */
    public static PgKnn open(PgConnectionSettings pg, PgTarget target, String metric, Mode mode, IndexSettings settings,
                             boolean serial) throws SQLException {
        Objects.requireNonNull(mode, "mode");
        Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.jdbcProperties());
        try {
            PgKnn knn = new PgKnn(connection, target, metric);
            try (Statement s = connection.createStatement()) {
                s.execute("SET application_name = 'ruvector " + (mode == Mode.EXACT ? "exact" : "indexed") + " knn'");
                if (serial) {
                    s.execute("SET max_parallel_workers_per_gather = 0");
                }
                if (mode == Mode.EXACT) {
                    s.execute("SET enable_indexscan = off");
                    s.execute("SET enable_bitmapscan = off");
                } else {
                    s.execute("SET enable_seqscan = off");
                    IndexSettings given = settings == null ? IndexSettings.SERVER : settings;
                    if (given.efSearch() != null) {
                        s.execute("SET hnsw.ef_search = " + given.efSearch());
                    }
                    if (given.probes() != null) {
                        s.execute("SET ivfflat.probes = " + given.probes());
                    }
                    if (given.iterativeScan() != null) {
                        String scan = given.iterativeScan();
                        if (!scan.matches("off|strict_order|relaxed_order")) {
                            throw new IllegalArgumentException("iterative scan must be off, strict_order or relaxed_order, was "
                                    + scan);
                        }
                        s.execute("SET hnsw.iterative_scan = " + scan);
                        if (!scan.equals("strict_order")) { // IVFFlat has no strict order
                            s.execute("SET ivfflat.iterative_scan = " + scan);
                        }
                    }
                }
            }
            return knn;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The {@code k} nearest rows to {@code query} among those {@code where} selects, nearest first. */
    public List<Neighbour> search(float[] query, int k, FilterSql where) throws SQLException {
        String distance = target.vectorExpression() + " " + operator + " ?" + target.queryCast();
        String sql = "SELECT " + PgTarget.quote(target.idColumn()) + "::text, " + distance + " FROM " + target.quotedTable()
                + " WHERE " + where.sql() + " ORDER BY " + distance + " LIMIT ?";
        String literal = target.literal(query);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            statement.setString(i++, literal);
            for (Object param : where.params()) {
                statement.setObject(i++, param);
            }
            statement.setString(i++, literal);
            statement.setInt(i, k);
            List<Neighbour> out = new ArrayList<>(k);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    out.add(new Neighbour(rs.getString(1), rs.getDouble(2)));
                }
            }
            return out;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
