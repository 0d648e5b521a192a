package io.ruvector.compose.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.RowVersion;
import io.ruvector.index.query.SearchStrategy;
import io.ruvector.index.query.TransitMark;
import io.ruvector.index.query.VectorRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What one instance sends another during a bucket hand-off survives the JSON between them: the
 * transit marks of a partition's hits and the row versions (tombstones included) the merge settles
 * them with. Without them a search on an instance that does not host both sides would merge a
 * stale copy.
 */
class PeerJsonTest {

    @Test
    void shouldCarryTransitMarksAndRowVersionsBetweenInstances() throws Exception {
        KnnResult partial = new KnnResult(List.of(new KnnHit("7", 0.5, Map.of("tag", "a"))), 1234L, SearchStrategy.EXACT)
                .withTransit(Map.of("7", new TransitMark(3, 99L, true)));
        Map<Integer, KnnResult> sent = Map.of(2, partial);

        Map<Integer, KnnResult> received = PeerClient.JSON.readValue(PeerClient.JSON.writeValueAsBytes(sent), PeerClient.KNN);

        assertThat(received.get(2).transit()).containsEntry("7", new TransitMark(3, 99L, true));
        assertThat(received.get(2).hits()).isEqualTo(partial.hits());

        Map<Integer, Map<String, RowVersion>> versions = Map.of(3, Map.of(
                "7", new RowVersion(120L, false, true, null),
                "8", new RowVersion(5L, true, false, new VectorRecord("docs", "8", null, new float[] {1f, 2f}, Map.of(), 5L))));

        Map<Integer, Map<String, RowVersion>> back = PeerClient.JSON.readValue(PeerClient.JSON.writeValueAsBytes(versions),
                PeerClient.VERSIONS);

        assertThat(back.get(3).get("7")).isEqualTo(new RowVersion(120L, false, true, null));
        assertThat(back.get(3).get("8").row().vector()).containsExactly(1f, 2f);
        assertThat(back.get(3).get("8").supersedes(new TransitMark(3, 4L, true).version())).isTrue();
    }
}
