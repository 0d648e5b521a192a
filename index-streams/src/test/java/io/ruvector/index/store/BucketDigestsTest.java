package io.ruvector.index.store;

import static io.ruvector.index.store.Changes.delete;
import static io.ruvector.index.store.Changes.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.query.BucketDigests;
import io.ruvector.index.query.BucketRowsQuery.RowState;
import io.ruvector.index.query.RowDigest;
import io.ruvector.schemas.route.Buckets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The consistency check's view of a partition: bucket digests and the row states of chosen buckets. */
class BucketDigestsTest {

    @Test
    void shouldGiveEqualDigestsForTheSameRowsWhateverTheOrderOrHistory() {
        PartitionIndex a = new PartitionIndex();
        PartitionIndex b = new PartitionIndex();
        for (int i = 0; i < 200; i++) {
            a.apply(upsert("c", "r" + i, 10 + i, i, -i));
        }
        for (int i = 199; i >= 0; i--) { // reverse order, and an update on the way to the same final value
            b.apply(upsert("c", "r" + i, 5, 7f, 7f));
            b.apply(upsert("c", "r" + i, 10 + i, i, -i));
        }
        b.apply(upsert("c", "gone", 500, 1f, 1f));
        b.apply(delete("c", "gone", 501));
        assertThat(b.digests("c")).isEqualTo(a.digests("c"));
        assertThat(a.digests("c").totalRows()).isEqualTo(200);
    }

    @Test
    void shouldFlagOnlyTheBucketsWhoseRowsDifferAndListTheirStates() {
        PartitionIndex table = new PartitionIndex();
        PartitionIndex index = new PartitionIndex();
        for (int i = 0; i < 300; i++) {
            table.apply(upsert("c", "r" + i, 10, i, 1f));
            if (i != 17) { // missing row
                index.apply(upsert("c", "r" + i, 10, i == 42 ? 0.5f : i, 1f)); // one stale vector
            }
        }
        index.apply(upsert("c", "extra", 11, 3f, 3f));
        index.apply(delete("c", "extra", 12));
        BucketDigests expected = table.digests("c");
        BucketDigests actual = index.digests("c");
        List<Integer> differing = IntStream.range(0, Buckets.COUNT).filter(bucket -> !expected.sameBucket(actual, bucket))
                .boxed().toList();
        assertThat(differing).containsExactlyInAnyOrder(Buckets.of("r17"), Buckets.of("r42"));

        List<RowState> states = new ArrayList<>(index.rowStates("c", Set.copyOf(differing)));
        assertThat(states).extracting(RowState::id).doesNotContain("r17").contains("r42");
        RowState stale = states.stream().filter(s -> s.id().equals("r42")).findFirst().orElseThrow();
        assertThat(stale.digest()).isEqualTo(RowDigest.of("r42", new float[] {0.5f, 1f}))
                .isNotEqualTo(RowDigest.of("r42", new float[] {42f, 1f}));
        assertThat(index.rowStates("c", Set.of(Buckets.of("extra"))))
                .anySatisfy(s -> assertThat(s).isEqualTo(new RowState("extra", 12, false, true, 0)));
    }

    @Test
    void shouldHashNegativeAndPositiveZeroAlikeAndSeparateIdFromVector() {
        assertThat(RowDigest.of("1", new float[] {-0f, 2f})).isEqualTo(RowDigest.of("1", new float[] {0f, 2f}));
        assertThat(RowDigest.of("1", new float[] {2f})).isNotEqualTo(RowDigest.of("12", new float[] {2f}))
                .isNotEqualTo(RowDigest.of("1", new float[] {2f, 0f}));
    }
}
