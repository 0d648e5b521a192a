package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/** {@link StoreMemory}: what the config setter gives a store, and the settings' validation. */
class StoreMemoryTest {

    @Test
    void shouldGiveEveryStoreTheSharedBudgetAndSmallMemtablesWhenTheApplicationCarriesOne() {
        StoreMemorySettings settings = new StoreMemorySettings(2L << 20, 8L << 20, 1L << 20);
        try (StoreMemory memory = StoreMemory.allocate(settings);
             Options first = new Options().setTableFormatConfig(new BlockBasedTableConfig());
             Options second = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            StoreMemory.ConfigSetter setter = new StoreMemory.ConfigSetter();
            setter.setConfig("vector-index", first, Map.of(StoreMemory.CONFIG_KEY, memory));
            setter.setConfig("vector-index", second, Map.of(StoreMemory.CONFIG_KEY, memory));

            assertThat(first.writeBufferSize()).isEqualTo(1L << 20);
            assertThat(first.maxWriteBufferNumber()).isEqualTo(2);
            assertThat(second.writeBufferSize()).isEqualTo(1L << 20);
            setter.close("vector-index", first);
            setter.close("vector-index", second); // the shared memory stays usable: closed once, by its owner
        }
    }

    @Test
    void shouldLeaveKafkaStreamsDefaultsWhenNoBudgetIsCarried() {
        try (Options options = new Options()) {
            long before = options.writeBufferSize();
            new StoreMemory.ConfigSetter().setConfig("vector-index", options, Map.of());
            assertThat(options.writeBufferSize()).isEqualTo(before);
        }
    }

    @Test
    void shouldRefuseABudgetThatCannotHoldOneWriteBuffer() {
        assertThatThrownBy(() -> new StoreMemorySettings(0, 1L << 20, 2L << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one write buffer");
        assertThatThrownBy(() -> new StoreMemorySettings(0, 1L << 20, 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("write buffer must be >=");
        assertThatThrownBy(() -> new StoreMemorySettings(-1, 8L << 20, 1L << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block cache");
        assertThat(StoreMemorySettings.DEFAULT.memtableBytes()).isEqualTo(16L << 20);
    }
}
