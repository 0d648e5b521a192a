package io.ruvector.cdc.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.PartitionMap;
import io.ruvector.schemas.VectorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PartitionRouterTest {

    private static long seed() {
        String fixed = System.getProperty("test.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
        System.out.println("PartitionRouterTest seed=" + seed + " (rerun with -Dtest.seed=" + seed + ")");
        return seed;
    }

    @Test
    void shouldGiveStableBucketInRangeWhenIdIsHashed() {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 50_000; i++) {
            String id = randomId(random);
            int bucket = PartitionRouter.bucketOf(id);
            assertThat(bucket).as("seed %d id %s", seed, id).isBetween(0, PartitionRouter.BUCKETS - 1);
            assertThat(PartitionRouter.bucketOf(new String(id))).isEqualTo(bucket);
        }
    }

    @Test
    void shouldMatchPinnedMurmur2BucketsWhenIdsAreFixed() {
        // pinned: changing the hash would silently move every stored id to another partition
        assertThat(PartitionRouter.bucketOf("1")).isEqualTo(3983);
        assertThat(PartitionRouter.bucketOf("42")).isEqualTo(3180);
        assertThat(PartitionRouter.bucketOf("item-0001")).isEqualTo(3201);
        assertThat(PartitionRouter.bucketOf("")).isEqualTo(2265);
    }

    @Test
    void shouldSpreadOverCollectionPartitionsWhenTopicHasMore() {
        PartitionRouter router = new PartitionRouter(8);
        PartitionMap map = router.initialMap(spec("items", 4));

        assertThat(map.getEpoch()).isZero();
        assertThat(map.getCollection()).isEqualTo("items");
        assertThat(map.getBuckets()).hasSize(PartitionRouter.BUCKETS);
        assertThat(map.getBuckets().stream().distinct().sorted().toList()).containsExactly(0, 1, 2, 3);
        for (int p = 0; p < 4; p++) {
            assertThat(Collections.frequency(map.getBuckets(), p)).isEqualTo(1024);
        }
    }

    @Test
    void shouldSpreadOverTopicPartitionsWhenCollectionAsksForMore() {
        PartitionRouter router = new PartitionRouter(6);
        PartitionMap map = router.initialMap(spec("items", 16));

        assertThat(map.getBuckets().stream().distinct().sorted().toList()).containsExactly(0, 1, 2, 3, 4, 5);
        for (int p = 0; p < 6; p++) {
            assertThat(Collections.frequency(map.getBuckets(), p)).isBetween(682, 683);
        }
    }

    @Test
    void shouldRouteRoughlyUniformlyWhenManyRandomIdsAreRouted() {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int partitions : new int[] {4, 6, 7}) {
            PartitionRouter router = new PartitionRouter(partitions);
            CollectionSpec spec = spec("items", partitions);
            int ids = 100_000;
            int[] counts = new int[partitions];
            for (int i = 0; i < ids; i++) {
                int p = router.partitionOf(spec, randomId(random));
                assertThat(p).isBetween(0, partitions - 1);
                counts[p]++;
            }
            double mean = (double) ids / partitions;
            for (int p = 0; p < partitions; p++) {
                assertThat((double) counts[p]).as("seed %d, %d partitions, partition %d", seed, partitions, p)
                        .isBetween(mean * 0.95, mean * 1.05);
            }
        }
    }

    @Test
    void shouldRouteByInitialMapWhenNothingIsInstalled() {
        PartitionRouter router = new PartitionRouter(8);
        CollectionSpec spec = spec("items", 4);
        PartitionMap initial = router.initialMap(spec);

        for (String id : List.of("a", "b", "42", "x-9")) {
            assertThat(router.partitionOf(spec, id)).isEqualTo(initial.getBuckets().get(PartitionRouter.bucketOf(id)));
        }
        assertThat(router.epochOf(spec)).isZero();
    }

    @Test
    void shouldChangeRoutingWhenHigherEpochIsInstalledAndIgnoreLowerEpoch() {
        PartitionRouter router = new PartitionRouter(8);
        CollectionSpec spec = spec("items", 4);
        String id = "item-17";
        int before = router.partitionOf(spec, id);
        int target = (before + 5) % 8;

        assertThat(router.install(uniform("items", 3, target))).isTrue();
        assertThat(router.partitionOf(spec, id)).isEqualTo(target);
        assertThat(router.epochOf(spec)).isEqualTo(3);

        assertThat(router.install(uniform("items", 2, before))).isFalse();
        assertThat(router.install(uniform("items", 3, before))).as("same epoch does not replace").isFalse();
        assertThat(router.partitionOf(spec, id)).isEqualTo(target);
        assertThat(router.epochOf(spec)).isEqualTo(3);

        assertThat(router.install(uniform("items", 4, before))).isTrue();
        assertThat(router.partitionOf(spec, id)).isEqualTo(before);
    }

    @Test
    void shouldKeepCollectionsApartWhenMapsAreInstalled() {
        PartitionRouter router = new PartitionRouter(8);
        router.install(uniform("a", 1, 7));
        router.install(uniform("b", 1, 2));

        assertThat(router.partitionOf(spec("a", 8), "x")).isEqualTo(7);
        assertThat(router.partitionOf(spec("b", 8), "x")).isEqualTo(2);
    }

    @Test
    void shouldRejectWithMessageWhenMapRoutesBeyondTopicPartitions() {
        PartitionRouter router = new PartitionRouter(4);
        List<Integer> buckets = new ArrayList<>(Collections.nCopies(PartitionRouter.BUCKETS, 0));
        buckets.set(100, 4);

        assertThatThrownBy(() -> router.install(map("items", 1, buckets)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("items").hasMessageContaining("bucket 100").hasMessageContaining("partition 4");
        assertThat(router.epochOf(spec("items", 4))).as("nothing installed").isZero();
    }

    @Test
    void shouldRejectWithMessageWhenMapRoutesToNegativePartition() {
        PartitionRouter router = new PartitionRouter(4);
        List<Integer> buckets = new ArrayList<>(Collections.nCopies(PartitionRouter.BUCKETS, 0));
        buckets.set(0, -1);

        assertThatThrownBy(() -> router.install(map("items", 1, buckets)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void shouldRejectWithMessageWhenMapHasWrongBucketCount() {
        PartitionRouter router = new PartitionRouter(4);

        assertThatThrownBy(() -> router.install(map("items", 1, Collections.nCopies(1024, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024").hasMessageContaining("4096");
    }

    @Test
    void shouldRejectWhenTopicHasNoPartitions() {
        assertThatThrownBy(() -> new PartitionRouter(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    private static String randomId(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> Long.toString(random.nextLong(1, Long.MAX_VALUE));
            case 1 -> new UUID(random.nextLong(), random.nextLong()).toString();
            default -> "item-" + random.nextInt(1_000_000_000);
        };
    }

    private static PartitionMap uniform(String collection, long epoch, int partition) {
        return map(collection, epoch, Collections.nCopies(PartitionRouter.BUCKETS, partition));
    }

    private static PartitionMap map(String collection, long epoch, List<Integer> buckets) {
        return PartitionMap.newBuilder().setCollection(collection).setEpoch(epoch).setBuckets(buckets).build();
    }

    private static CollectionSpec spec(String name, int partitions) {
        return CollectionSpec.newBuilder().setName(name).setTable("public." + name).setIdColumn("id")
                .setVectorColumn("embedding").setVectorType(VectorType.VECTOR).setDimensions(3).setMetric(Metric.L2)
                .setTenantColumn(null).setMetadataColumns(List.of()).setHnswM(16).setHnswEfConstruction(64)
                .setPartitions(partitions).setCreatedAtMillis(0).build();
    }
}
