package io.ruvector.compose.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.compose.pgvector.FilterSql;
import io.ruvector.compose.pgvector.PgTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Query vectors for a verification: a random sample of the table's own rows (so the check runs on
 * the user's data), or the vectors of a file, one JSON array per line.
 *
 * @param sourceId the table row a sampled query came from (null for a file's), left out of both
 *                 answers unless asked otherwise: the row itself is a trivial hit
 */
public record QueryVectors(List<float[]> vectors, List<String> sourceIds, String description) {

    /** Up to {@code n} rows drawn at random (repeatably for {@code seed}) from the rows {@code scope} selects. */
    public static QueryVectors sample(Connection pg, PgTarget target, FilterSql scope, int n, long seed) throws SQLException {
        long estimate;
        try (PreparedStatement s = pg.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            s.setString(1, target.table());
            try (ResultSet rs = s.executeQuery()) {
                estimate = rs.next() ? rs.getLong(1) : -1;
            }
        }
        // A large table is thinned by a Bernoulli sample first so that ORDER BY random() sorts a few rows, not all.
        String sample = estimate > 50_000 ? String.format(Locale.ROOT, " TABLESAMPLE BERNOULLI (%.6f) REPEATABLE (%d)",
                Math.min(100.0, 100.0 * n * 4 / estimate), seed & 0x7fffffff) : "";
        try (PreparedStatement setSeed = pg.prepareStatement("SELECT setseed(?)")) {
            setSeed.setDouble(1, ((seed & 0xffff) / 65535.0) * 2 - 1);
            setSeed.execute();
        }
        String sql = "SELECT " + PgTarget.quote(target.idColumn()) + "::text, " + target.floatsExpression() + " FROM "
                + target.quotedTable() + sample + " WHERE " + target.vectorExpression() + " IS NOT NULL AND " + scope.sql()
                + " ORDER BY random() LIMIT ?";
        List<float[]> vectors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = pg.prepareStatement(sql)) {
            int i = 1;
            for (Object p : scope.params()) {
                s.setObject(i++, p);
            }
            s.setInt(i, n);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    vectors.add(floats(rs.getArray(2)));
                }
            }
        }
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("the table " + target.table() + " has no rows to draw queries from"
                    + (scope.params().isEmpty() ? "" : " in this scope"));
        }
        return new QueryVectors(vectors, ids, "a sample of the table (seed " + seed + ")");
    }

    /** The vectors of {@code file}: one JSON array of numbers per line; blank lines and {@code #} comments skipped. */
    public static QueryVectors fromFile(Path file, int dimensions) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<float[]> vectors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            JsonNode node;
            try {
                node = json.readTree(t);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " line " + lineNo + ": not a JSON array of numbers");
            }
            if (!node.isArray() || node.size() != dimensions) {
                throw new IllegalArgumentException(file + " line " + lineNo + ": expected an array of " + dimensions
                        + " numbers, got " + (node.isArray() ? node.size() + " elements" : node.getNodeType()));
            }
            float[] v = new float[dimensions];
            for (int i = 0; i < dimensions; i++) {
                if (!node.get(i).isNumber()) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": element " + i + " is not a number");
                }
                v[i] = node.get(i).floatValue();
            }
            vectors.add(v);
            ids.add(null);
        }
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no query vectors");
        }
        return new QueryVectors(vectors, ids, file.toString());
    }

    static float[] floats(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) values[i]).floatValue();
        }
        return v;
    }
}
