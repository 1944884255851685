package dev.grpo4j.examples.gigpo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EpisodeLogTest {

    @Test
    void drainReturnsThePeriodsCountsAndStartsOver() {
        EpisodeLog log = new EpisodeLog();
        log.episodeStarted();
        log.episodeStarted();
        log.turn(GridWorld.Outcome.MOVED);
        log.turn(GridWorld.Outcome.WALL);
        log.turn(GridWorld.Outcome.INVALID);
        log.turn(GridWorld.Outcome.GOAL);
        EpisodeLog.Counts c = log.drain();
        assertThat(c).isEqualTo(new EpisodeLog.Counts(2, 1, 1, 1, 4));
        assertThat(c.successRate()).isEqualTo(0.5);
        assertThat(c.wastedTurnRate()).isEqualTo(0.5);
        EpisodeLog.Counts empty = log.drain();
        assertThat(empty).isEqualTo(new EpisodeLog.Counts(0, 0, 0, 0, 0));
        assertThat(empty.successRate()).isNaN();
        assertThat(empty.wastedTurnRate()).isNaN();
    }
}
