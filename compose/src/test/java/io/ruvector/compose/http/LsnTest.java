package io.ruvector.compose.http;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsnTest {

    @Test
    void shouldParseHighAndLowHexWhenTextIsPostgresLsn() {
        assertThat(Lsn.parse("0/16B3748", "min_lsn")).isEqualTo(0x16B3748L);
        assertThat(Lsn.parse("16/b374d848", "min_lsn")).isEqualTo((0x16L << 32) | 0xB374D848L);
    }

    @Test
    void shouldRoundTripWhenFormattingRandomLsns() {
        long seed = System.nanoTime();
        System.out.println("LsnTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 1000; i++) {
            long lsn = random.nextLong(Long.MAX_VALUE);
            assertThat(Lsn.parse(Lsn.format(lsn), "min_lsn")).isEqualTo(lsn);
        }
    }

    @Test
    void shouldClampWhenLsnIsBeyondSignedRange() {
        assertThat(Lsn.parse("FFFFFFFF/0", "min_lsn")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldFormatNullWhenNoWatermarkYet() {
        assertThat(Lsn.format(-1)).isNull();
    }

    @Test
    void shouldRejectNamingTheFieldWhenTextIsNotAnLsn() {
        for (String bad : new String[] {"", "16B3748", "0/", "/1", "0/1/2", "G/1", "123456789/0", "0x1/2"}) {
            assertThatThrownBy(() -> Lsn.parse(bad, "min_lsn")).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("invalid_lsn");
                assertThat(e.detail()).contains("min_lsn");
            });
        }
    }
}
