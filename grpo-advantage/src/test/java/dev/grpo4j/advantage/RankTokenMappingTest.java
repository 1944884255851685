package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The token view of Rank-GRPO on a toy vocabulary: ids 0..9 are words, 10 is "\n", 11 is "\n\n", 12
 * is "x\ny" (a newline inside a word), 99 is EOS; N = 3 and rank advantages [1, 2, 3].
 */
class RankTokenMappingTest {

    private static final int NL = 10;
    private static final int NL2 = 11;
    private static final int MID = 12;
    private static final int EOS = 99;
    private static final IntUnaryOperator NEWLINES =
            id -> id == NL || id == MID ? 1 : id == NL2 ? 2 : 0;
    private static final double[] RANKS = {1, 2, 3};
    private static final double TOLERANCE = 1e-5;

    private static RankGrpoAdvantage.Builder base() {
        return RankGrpoAdvantage.builder()
                .optRankCount(3)
                .optNewlineCount(NEWLINES)
                .optEosTokenIds(EOS);
    }

    private static RankTokenAdvantages map(RankGrpoAdvantage rank, int... ids) {
        return rank.tokenAdvantages(ids, false, RANKS);
    }

    @Test
    void exactlyNItemsEndingWithEosRewardTheEos() {
        RankTokenAdvantages t = map(base().build(), 1, NL, 2, NL, 3, EOS);

        assertThat(t.values()).containsExactly(1, 1, 2, 2, 3, 0.1);
        assertThat(t.bins()).containsExactly(0, 0, 1, 1, 2, 4);
        assertThat(t.mask()).containsExactly(true, true, true, true, true, true);
        assertThat(t.itemCount()).isEqualTo(3);
        assertThat(t.overflow()).isFalse();
        assertThat(t.endsWithEos()).isTrue();
    }

    @Test
    void aNewlineEndsItsOwnItemSoATrailingNewlineAddsNoItem() {
        RankTokenAdvantages t = map(base().build(), 1, NL, 2, NL, 3, NL, EOS);

        assertThat(t.values()).containsExactly(1, 1, 2, 2, 3, 3, 0.1);
        assertThat(t.itemCount()).isEqualTo(3);
    }

    @Test
    void aTokenWithTwoNewlinesAdvancesTheIndexByTwo() {
        RankTokenAdvantages t = map(base().build(), 1, NL2, 2, EOS);

        assertThat(t.values()).containsExactly(1, 1, 3, 0.1);
        assertThat(t.bins()).containsExactly(0, 0, 2, 4);
    }

    @Test
    void aNewlineInsideATokenMovesOnlyLaterTokensToTheNextItem() {
        RankTokenAdvantages t = map(base().build(), 1, MID, 2, EOS);

        assertThat(t.values()).containsExactly(1, 1, 2, -0.1);
        assertThat(t.itemCount()).isEqualTo(2);
    }

    @Test
    void overflowTokensArePenalisedAndShareOneBin() {
        RankTokenAdvantages t = map(base().build(), 1, NL, 2, NL, 3, NL, 4, 5, EOS);

        assertThat(t.values()).containsExactly(1, 1, 2, 2, 3, 3, -0.1, -0.1, 0);
        assertThat(t.bins()).containsExactly(0, 0, 1, 1, 2, 2, 3, 3, 4);
        assertThat(t.mask()).containsOnly(true);
        assertThat(t.itemCount()).isEqualTo(4);
        assertThat(t.overflow()).isTrue();
    }

    @Test
    void withoutShapingOverflowGetsZeroAndEosLeavesTheLoss() {
        RankGrpoAdvantage rank = base().optLengthShaping(false).build();

        RankTokenAdvantages over = map(rank, 1, NL, 2, NL, 3, NL, 4, EOS);
        RankTokenAdvantages exact = map(rank, 1, NL, 2, NL, 3, EOS);

        assertThat(over.values()).containsExactly(1, 1, 2, 2, 3, 3, 0, 0);
        assertThat(over.mask()).containsExactly(true, true, true, true, true, true, true, false);
        assertThat(exact.values()).containsExactly(1, 1, 2, 2, 3, 0);
        assertThat(exact.mask()).containsExactly(true, true, true, true, true, false);
    }

    @Test
    void stoppingEarlyPenalisesTheEos() {
        RankTokenAdvantages t = map(base().build(), 1, NL, 2, EOS);

        assertThat(t.values()).containsExactly(1, 1, 2, -0.1);
        assertThat(t.itemCount()).isEqualTo(2);
    }

    @Test
    void shapingValuesAreConfigurable() {
        RankGrpoAdvantage rank =
                base().optOverflowPenalty(-0.5)
                        .optEndOfListReward(0.7)
                        .optEarlyStopPenalty(-0.3)
                        .build();

        assertThat(map(rank, 1, NL, 2, NL, 3, EOS).values()[5]).isEqualTo(0.7);
        assertThat(map(rank, 1, EOS).values()[1]).isEqualTo(-0.3);
        assertThat(map(rank, 1, NL, 2, NL, 3, NL, 4, EOS).values()[6]).isEqualTo(-0.5);
    }

    @Test
    void tokensAfterTheFirstEosAreOutsideTheLoss() {
        RankTokenAdvantages t = map(base().build(), 1, EOS, 5, EOS);

        assertThat(t.values()).containsExactly(1, -0.1, 0, 0);
        assertThat(t.mask()).containsExactly(true, true, false, false);
        assertThat(t.bins()).containsExactly(0, 4, 4, 4);
    }

    @Test
    void truncatedCompletionHasNoEosShaping() {
        RankGrpoAdvantage rank = base().build();

        RankTokenAdvantages t = rank.tokenAdvantages(new int[] {1, NL, 2}, true, RANKS);

        assertThat(t.values()).containsExactly(1, 1, 2);
        assertThat(t.endsWithEos()).isFalse();
    }

    @Test
    void withoutEosIdsTheLastTokenOfAnUntruncatedRolloutIsEos() {
        RankGrpoAdvantage rank =
                RankGrpoAdvantage.builder().optRankCount(3).optSeparatorTokens(NL).build();

        RankTokenAdvantages finished = rank.tokenAdvantages(new int[] {1, NL, 2, 7}, false, RANKS);
        RankTokenAdvantages cut = rank.tokenAdvantages(new int[] {1, NL, 2, 7}, true, RANKS);

        assertThat(finished.values()).containsExactly(1, 1, 2, -0.1);
        assertThat(finished.bins()[3]).isEqualTo(4);
        assertThat(cut.values()).containsExactly(1, 1, 2, 2);
    }

    @Test
    void onlyEosIsAnEmptyListThatStoppedEarly() {
        RankTokenAdvantages t = map(base().build(), EOS);

        assertThat(t.values()).containsExactly(-0.1);
        assertThat(t.itemCount()).isZero();
    }

    @Test
    void emptyCompletionMapsToEmptyArrays() {
        RankTokenAdvantages t = map(base().build());

        assertThat(t.values()).isEmpty();
        assertThat(t.itemCount()).isZero();
    }

    @Test
    void rejectsNegativeNewlineCount() {
        RankGrpoAdvantage rank = base().optNewlineCount(id -> -1).build();

        assertThatThrownBy(() -> map(rank, 4, EOS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("newline count of token 4 at position 0 is -1");
    }

    @Test
    void rejectsRankAdvantagesOfTheWrongLength() {
        assertThatThrownBy(
                        () -> base().build().tokenAdvantages(new int[] {1}, false, new double[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 3 rank advantages");
    }

    @Test
    void tokenViewNeedsASeparatorConfiguration() {
        RankGrpoAdvantage rank = RankGrpoAdvantage.builder().optRankCount(3).build();

        assertThatThrownBy(() -> rank.tokenAdvantages(new int[] {1}, false, RANKS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("optNewlineCount");
    }

    @Test
    void estimateGivesRankValuesTokenValuesBinsAndMask() {
        RankGrpoAdvantage rank = base().build();
        double[][] hits = {{1, 0, 1}, {0, 1, 0}, {0, 0, 0}, {1, 1, 0}};
        int[][] ids = {{1, NL, 2, NL, 3, EOS}, {1, EOS}, {1, NL, 2, NL, 3, NL, 4}, {5, NL, 6, EOS}};
        AdvantageInput input =
                AdvantageInput.ofRollouts(
                        List.of(
                                RolloutGroup.of(
                                        "p",
                                        List.of(
                                                rollout(ids[0], hits[0]),
                                                rollout(ids[1], hits[1]))),
                                RolloutGroup.of(
                                        "q",
                                        List.of(
                                                rollout(ids[2], hits[2]),
                                                rollout(ids[3], hits[3])))));

        Advantages a = rank.estimate(input);

        double[][][] expected =
                rank.compute(new double[][][] {{hits[0], hits[1]}, {hits[2], hits[3]}});
        assertThat(a.level()).isEqualTo(Advantages.Level.RANK);
        double[][] rankValues = a.rankValues();
        for (int r = 0; r < 4; r++) {
            double[] want = expected[r / 2][r % 2];
            assertThat(rankValues[r]).containsExactly(want, within(1e-12));
            RankTokenAdvantages t = rank.tokenAdvantages(ids[r], false, want);
            assertThat(a.tokenRow(r, ids[r].length)).containsExactly(t.values(), within(1e-12));
            assertThat(a.itemBins().orElseThrow()[r]).containsExactly(t.bins());
            assertThat(a.tokenMask().orElseThrow()[r]).containsExactly(t.mask());
        }
        // Spot-check one row by hand: rollout 0 of group p hits ranks 1 and 3, rollout 1 none.
        assertThat(a.tokenRow(0, 6)[0]).isCloseTo(0.707007, within(TOLERANCE));
        assertThat(a.tokenRow(0, 6)[5]).isEqualTo(0.1);
    }

    @Test
    void estimateCountsANaNItemRewardAsZero() {
        // NaN is how the reward evaluator marks a rank no item function applies to.
        RankGrpoAdvantage rank = base().build();
        int[] ids = {1, EOS};
        AdvantageInput withNaN =
                AdvantageInput.ofRollouts(
                        List.of(
                                RolloutGroup.of(
                                        "p",
                                        List.of(
                                                rollout(ids, new double[] {1, Double.NaN, 0}),
                                                rollout(ids, new double[] {0, 1, Double.NaN})))));
        AdvantageInput withZero =
                AdvantageInput.ofRollouts(
                        List.of(
                                RolloutGroup.of(
                                        "p",
                                        List.of(
                                                rollout(ids, new double[] {1, 0, 0}),
                                                rollout(ids, new double[] {0, 1, 0})))));

        double[][] a = rank.estimate(withNaN).rankValues();
        double[][] b = rank.estimate(withZero).rankValues();

        assertThat(a[0]).containsExactly(b[0]);
        assertThat(a[1]).containsExactly(b[1]);
    }

    @Test
    void estimateRejectsRolloutsWithoutItemRewards() {
        AdvantageInput input =
                AdvantageInput.ofRollouts(
                        List.of(
                                RolloutGroup.of(
                                        "p",
                                        List.of(
                                                rollout(new int[] {1, EOS}, new double[] {1, 0, 0}),
                                                Rollout.builder()
                                                        .setPromptIds(7)
                                                        .setCompletionIds(1, EOS)
                                                        .optRewards(1.0)
                                                        .build()))));

        assertThatThrownBy(() -> base().build().estimate(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rollout 1 of group 'p' has no item rewards");
    }

    @Test
    void estimateRejectsItemRewardsOfTheWrongLength() {
        AdvantageInput input =
                AdvantageInput.ofRollouts(
                        List.of(
                                RolloutGroup.of(
                                        "p",
                                        List.of(
                                                rollout(new int[] {1, EOS}, new double[] {1, 0, 0}),
                                                rollout(
                                                        new int[] {1, EOS},
                                                        new double[] {1, 0})))));

        assertThatThrownBy(() -> base().build().estimate(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 2 item rewards but the rank count N is 3");
    }

    private static Rollout rollout(int[] completion, double[] itemRewards) {
        return Rollout.builder()
                .setPromptIds(7)
                .setCompletionIds(completion)
                .optItemRewards(itemRewards)
                .build();
    }
}
