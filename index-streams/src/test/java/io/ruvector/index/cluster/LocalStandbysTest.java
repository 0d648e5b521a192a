package io.ruvector.index.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A standby copy answers only once it reported a lag within the limit, and never after it stopped. */
class LocalStandbysTest {

    @Test
    void aStandbyIsServableOnlyWithinTheLagLimitAndWhileItIsHere() {
        LocalStandbys standbys = new LocalStandbys(100);
        assertThat(standbys.hosts(1)).isFalse();
        standbys.started(1);
        assertThat(standbys.hosts(1)).isTrue();
        assertThat(standbys.lag(1)).as("unknown before its first batch").isEmpty();
        standbys.loaded(1, 5_000);
        assertThat(standbys.servable(standbys.lag(1).getAsLong())).isFalse();
        standbys.loaded(1, 100);
        assertThat(standbys.servable(standbys.lag(1).getAsLong())).isTrue();
        standbys.stopped(1);
        assertThat(standbys.hosts(1)).isFalse();
        assertThat(standbys.lag(1)).isEmpty();
    }

    @Test
    void noStandbyAnswersWhenStandbyReadsAreOff() {
        LocalStandbys off = new LocalStandbys(-1);
        off.started(0);
        off.loaded(0, 0);
        assertThat(off.servable(0)).isFalse();
    }
}
