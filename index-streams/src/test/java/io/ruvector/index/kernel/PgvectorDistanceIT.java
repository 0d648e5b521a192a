package io.ruvector.index.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.schemas.Metric;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our distances against the real PostgreSQL + pgvector ({@code SELECT $1::vector <op> $2::vector}),
 * for both kernels. Vectors go over the wire as text built with {@link Float#toString}, the
 * shortest decimal that parses back (strtof) to the same float, so both sides see identical bits.
 *
 * <p>Connects to {@code jdbc:postgresql://127.0.0.1:5432/ruvector} as ruvector/ruvector, or to
 * {@code RUVECTOR_TEST_PG_URL} ({@code postgresql://user:pass@host:port/db}). No tables needed.
 */
class PgvectorDistanceIT {

    private static final double TOLERANCE = 1e-5;
    private static final VectorDistance[] KERNELS = {ScalarVectorDistance.INSTANCE, new PanamaVectorDistance()};

    private static Connection connection;

    @BeforeAll
    static void connect() throws SQLException {
        String url = System.getenv("RUVECTOR_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/ruvector", "ruvector", "ruvector");
            return;
        }
        URI uri = URI.create(url);
        String[] userInfo = uri.getUserInfo() == null ? new String[] {"", ""} : uri.getUserInfo().split(":", 2);
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        connection = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getPath(),
                userInfo[0], userInfo.length > 1 ? userInfo[1] : "");
    }

    @AfterAll
    static void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void shouldMatchPgvectorWithin1e5WhenVectorsAreRandom(Metric metric) throws SQLException {
        SplittableRandom random = new SplittableRandom(RandomVectors.seed("pgvector " + metric));
        double[] maxError = new double[KERNELS.length];
        double maxPureRelative = 0;
        int pairs = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT ?::vector " + operator(metric) + " ?::vector")) {
            for (int[] spec : new int[][] {{128, 200}, {3, 50}, {1031, 50}}) {
                for (int n = 0; n < spec[1]; n++, pairs++) {
                    float[] a = RandomVectors.uniform(random, spec[0]);
                    float[] b = RandomVectors.uniform(random, spec[0]);
                    double expected = pgvector(statement, a, b);
                    // See RandomVectors.ipFloor: a float sum's error scales with |a|·|b|, not |a·b|.
                    // Cosine distance is 1 − similarity: near 0 the subtraction cancels, so its error
                    // is the similarity's, a few float32 ulps of 1 (6e-8 each) absolute, not relative to
                    // the small distance: floor 0.05 allows 5e-7 (1e-2 allowed 1e-7, under two ulps; CI
                    // once met 1.01e-7 at a distance of 0.008 with 3 dimensions).
                    double floor = switch (metric) {
                        case IP -> RandomVectors.ipFloor(a, b);
                        case COSINE -> 5e-2;
                        default -> 0;
                    };
                    for (int k = 0; k < KERNELS.length; k++) {
                        double actual = DistanceFunction.of(metric, KERNELS[k]).distance(a, b);
                        double error = RandomVectors.relativeError(actual, expected, floor);
                        maxError[k] = Math.max(maxError[k], error);
                        maxPureRelative = Math.max(maxPureRelative, RandomVectors.relativeError(actual, expected, 0));
                        assertThat(error).as("%s %s dims=%d pair=%d ours=%s pgvector=%s", metric, KERNELS[k].name(),
                                spec[0], n, actual, expected).isLessThanOrEqualTo(TOLERANCE);
                    }
                }
            }
        }
        System.out.printf("pgvector %-6s pairs=%d max rel err scalar=%.3e panama=%.3e (pure relative, no floor: %.3e)%n",
                metric, pairs, maxError[0], maxError[1], maxPureRelative);
    }

    @Test
    void shouldReturnNaNLikePgvectorWhenCosineHasAZeroVector() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT ?::vector <=> ?::vector")) {
            float[] zero = {0, 0, 0};
            float[] v = {1, 2, 3};
            assertThat(pgvector(statement, zero, v)).isNaN();
            for (VectorDistance kernel : KERNELS) {
                assertThat(DistanceFunction.of(Metric.COSINE, kernel).distance(zero, v)).isNaN();
            }
        }
    }

    @Test
    void shouldBeBitIdenticalToPgvectorWhenSumsAreExact() throws SQLException {
        float[] a = {1, 2, 3};
        float[] b = {4, 5, 6};
        for (Metric metric : Metric.values()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT ?::vector " + operator(metric) + " ?::vector")) {
                double expected = pgvector(statement, a, b);
                for (VectorDistance kernel : KERNELS) {
                    assertThat(DistanceFunction.of(metric, kernel).distance(a, b)).as("%s", metric).isEqualTo(expected);
                }
            }
        }
    }

    private static String operator(Metric metric) {
        return switch (metric) {
            case L2 -> "<->";
            case COSINE -> "<=>";
            case IP -> "<#>";
            case L1 -> "<+>";
        };
    }

    private static double pgvector(PreparedStatement statement, float[] a, float[] b) throws SQLException {
        statement.setString(1, text(a));
        statement.setString(2, text(b));
        try (ResultSet rs = statement.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getDouble(1);
        }
    }

    private static String text(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 12).append('[');
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(Float.toString(v[i]));
        }
        return sb.append(']').toString();
    }
}
