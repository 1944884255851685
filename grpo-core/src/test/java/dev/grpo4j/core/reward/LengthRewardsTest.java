package dev.grpo4j.core.reward;

import static dev.grpo4j.core.reward.Fixtures.ofLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LengthRewardsTest {

    @Test
    void lengthPenaltyIsZeroUpToTargetThenLinear() {
        LengthPenaltyReward r = LengthPenaltyReward.of(100, 0.01);
        assertThat(r.score(ofLength(80))).isEqualTo(0.0);
        assertThat(r.score(ofLength(100))).isEqualTo(0.0);
        assertThat(r.score(ofLength(101))).isCloseTo(-0.01, within(1e-12));
        assertThat(r.score(ofLength(150))).isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void lengthPenaltyRejectsNegativeCoefficient() {
        assertThatThrownBy(() -> LengthPenaltyReward.of(10, -0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.5");
    }

    @Test
    void lengthPenaltyRejectsNegativeTarget() {
        assertThatThrownBy(() -> LengthPenaltyReward.of(-1, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target length must be >= 0 but was -1");
    }

    @Test
    void overlongPenaltyIsZeroUpToTheBuffer() {
        // L_max = 20, L_cache = 4: no penalty up to 20 - 4 = 16 tokens.
        OverlongPenaltyReward r = OverlongPenaltyReward.of(20, 4);
        assertThat(r.score(ofLength(0))).isEqualTo(0.0);
        assertThat(r.score(ofLength(16))).isEqualTo(0.0);
    }

    @Test
    void overlongPenaltyRampsLinearlyInsideTheBuffer() {
        // (16 - |y|) / 4.
        OverlongPenaltyReward r = OverlongPenaltyReward.of(20, 4);
        assertThat(r.score(ofLength(17))).isEqualTo(-0.25);
        assertThat(r.score(ofLength(18))).isEqualTo(-0.5);
        assertThat(r.score(ofLength(19))).isEqualTo(-0.75);
        assertThat(r.score(ofLength(20))).isEqualTo(-1.0);
    }

    @Test
    void overlongPenaltyIsMinusOneBeyondTheLimit() {
        OverlongPenaltyReward r = OverlongPenaltyReward.of(20, 4);
        assertThat(r.score(ofLength(21))).isEqualTo(-1.0);
        assertThat(r.score(ofLength(500))).isEqualTo(-1.0);
    }

    @Test
    void overlongPenaltyWithoutBufferJumpsPastTheLimit() {
        OverlongPenaltyReward r = OverlongPenaltyReward.of(20, 0);
        assertThat(r.score(ofLength(20))).isEqualTo(0.0);
        assertThat(r.score(ofLength(21))).isEqualTo(-1.0);
    }

    @Test
    void overlongPenaltyWithWholeBudgetAsBufferRampsFromZero() {
        OverlongPenaltyReward r = OverlongPenaltyReward.of(4, 4);
        assertThat(r.score(ofLength(0))).isEqualTo(0.0);
        assertThat(r.score(ofLength(1))).isEqualTo(-0.25);
        assertThat(r.score(ofLength(4))).isEqualTo(-1.0);
    }

    @Test
    void overlongPenaltyRejectsBufferLargerThanLimit() {
        assertThatThrownBy(() -> OverlongPenaltyReward.of(20, 21))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "L_cache (overlong buffer) must lie in [0, L_max = 20] but was 21");
    }

    @Test
    void overlongPenaltyRejectsNegativeBuffer() {
        assertThatThrownBy(() -> OverlongPenaltyReward.of(20, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was -1");
    }

    @Test
    void overlongPenaltyRejectsNonPositiveLimit() {
        assertThatThrownBy(() -> OverlongPenaltyReward.of(0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("L_max (max completion length) must be > 0 but was 0");
    }
}
