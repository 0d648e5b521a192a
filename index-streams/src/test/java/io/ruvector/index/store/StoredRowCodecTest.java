package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredRowCodecTest {

    @Test
    void shouldRoundTripWhenTheRowIsLiveWithEveryMetadataType() {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("s", "tëxt");
        metadata.put("l", 42L);
        metadata.put("d", 0.5);
        metadata.put("b", true);
        metadata.put("n", null);
        IndexedVector row = new IndexedVector("docs", "ïd/1", "acme", new float[] {1.5f, -0f, Float.MIN_VALUE},
                metadata, 123456789L, true);
        assertThat(StoredRowCodec.decode(StoredRowCodec.encode(row))).isEqualTo(row);
    }

    @Test
    void shouldRoundTripWhenTheRowHasNoTenantNorMetadata() {
        IndexedVector row = new IndexedVector("docs", "1", null, new float[] {1f}, Map.of(), 7, false);
        assertThat(StoredRowCodec.decode(StoredRowCodec.encode(row))).isEqualTo(row);
    }

    @Test
    void shouldRoundTripWhenTheRowIsATombstone() {
        Tombstone dead = new Tombstone("docs", "1", 99, false);
        assertThat(StoredRowCodec.decode(StoredRowCodec.encode(dead))).isEqualTo(dead);
    }

    @Test
    void shouldRoundTripTheCommitTimeWhenTheTombstoneHasOne() {
        Tombstone dead = new Tombstone("docs", "1", 99, false, 1_700_000_000_000L);
        assertThat(StoredRowCodec.decode(StoredRowCodec.encode(dead))).isEqualTo(dead);
    }

    @Test
    void shouldDecodeAnUnknownCommitTimeWhenTheTombstoneWasWrittenWithoutOne() {
        byte[] current = StoredRowCodec.encode(new Tombstone("docs", "1", 99, false, 5));
        byte[] legacy = java.util.Arrays.copyOf(current, current.length - Long.BYTES);
        assertThat(StoredRowCodec.decode(legacy)).isEqualTo(new Tombstone("docs", "1", 99, false));
    }
}
