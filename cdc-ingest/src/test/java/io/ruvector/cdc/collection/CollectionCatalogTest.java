package io.ruvector.cdc.collection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectionCatalogTest {

    private final CollectionCatalog catalog = new CollectionCatalog();
    private final List<CollectionSpec> heard = new ArrayList<>();

    CollectionCatalogTest() {
        catalog.onChange(heard::add);
    }

    @Test
    void shouldFindByNameAndTableWhenPut() {
        CollectionSpec items = spec("items", "public.items", 3);

        assertThat(catalog.put(items)).isTrue();

        assertThat(catalog.byName("items")).isEqualTo(items);
        assertThat(catalog.byTable("public.items")).isEqualTo(items);
        assertThat(catalog.byTable("items")).as("only schema-qualified").isNull();
        assertThat(catalog.tables()).containsExactly("public.items");
        assertThat(heard).containsExactly(items);
    }

    @Test
    void shouldNotNotifyWhenSameSpecIsPutAgain() {
        CollectionSpec items = spec("items", "public.items", 3);
        catalog.put(items);

        assertThat(catalog.put(spec("items", "public.items", 3))).isFalse();

        assertThat(heard).hasSize(1);
    }

    @Test
    void shouldReplaceAndNotifyOnceWhenSpecChanges() {
        catalog.put(spec("items", "public.items", 3));
        CollectionSpec wider = spec("items", "public.items", 768);

        assertThat(catalog.put(wider)).isTrue();
        assertThat(catalog.put(wider)).isFalse();

        assertThat(catalog.byName("items").getDimensions()).isEqualTo(768);
        assertThat(catalog.byTable("public.items")).isEqualTo(wider);
        assertThat(heard).hasSize(2).last().isEqualTo(wider);
    }

    @Test
    void shouldForgetOldTableWhenCollectionMovesToAnotherTable() {
        catalog.put(spec("items", "public.items", 3));
        CollectionSpec moved = spec("items", "shop.items", 3);

        catalog.put(moved);

        assertThat(catalog.byTable("public.items")).isNull();
        assertThat(catalog.byTable("shop.items")).isEqualTo(moved);
        assertThat(catalog.tables()).containsExactly("shop.items");
        assertThat(catalog.all()).containsExactly(moved);
        assertThat(heard).hasSize(2);
    }

    @Test
    void shouldReplaceOwnerWhenAnotherCollectionTakesTheTable() {
        catalog.put(spec("items", "public.items", 3));
        CollectionSpec other = spec("goods", "public.items", 3);

        catalog.put(other);

        assertThat(catalog.byTable("public.items")).isEqualTo(other);
        assertThat(catalog.byName("items")).isNull();
        assertThat(catalog.all()).containsExactly(other);
    }

    @Test
    void shouldListAllSortedByNameWhenSeveralArePut() {
        CollectionSpec b = spec("b", "public.b", 3);
        CollectionSpec a = spec("a", "public.a", 3);
        CollectionSpec c = spec("c", "x.c", 3);
        catalog.put(b);
        catalog.put(c);
        catalog.put(a);

        assertThat(catalog.all()).containsExactly(a, b, c);
        assertThat(catalog.tables()).containsExactly("public.a", "public.b", "x.c");
        assertThat(heard).containsExactly(b, c, a);
    }

    private static CollectionSpec spec(String name, String table, int dimensions) {
        return CollectionSpec.newBuilder().setName(name).setTable(table).setIdColumn("id").setVectorColumn("embedding")
                .setVectorType(VectorType.VECTOR).setDimensions(dimensions).setMetric(Metric.L2).setTenantColumn(null)
                .setMetadataColumns(List.of("category")).setHnswM(16).setHnswEfConstruction(64).setPartitions(4)
                .setCreatedAtMillis(0).build();
    }
}
