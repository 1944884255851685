package dev.grpo4j.examples.gigpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.grpo4j.advantage.EpisodeStatistics;
import dev.grpo4j.advantage.GigpoAdvantage;
import dev.grpo4j.advantage.GigpoMode;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.env.Observation;
import dev.grpo4j.core.env.Transition;
import dev.grpo4j.core.rollout.Step;
import dev.grpo4j.core.rollout.Trajectory;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GiGPO's advantages on scripted grid-world episodes, worked by hand: checks what the environment
 * emits as anchor states and rewards and how the estimator groups and discounts them, the way the
 * trainer wires them (one row per turn, the anchor is the observation the move was made in).
 */
class GigpoOnGridWorldTest {

    /** A corridor of five cells; the task walks from the left end to the fourth cell. */
    private static final GridMap CORRIDOR = GridMap.parse(0, ".....");

    private static final GridTask TASK = new GridTask(CORRIDOR, new Cell(0, 0), new Cell(0, 3));

    /** Plays the moves as the trainer would record them, with a turn limit of 4. */
    private static Trajectory play(Move... moves) {
        GridWorld world = new GridWorld(4, 0.0, new EpisodeLog());
        Observation current = world.reset(TASK.prompt());
        List<Step> steps = new ArrayList<>();
        for (Move m : moves) {
            Transition t = world.step(new int[] {m.token()});
            steps.add(
                    Step.builder()
                            .setAnchorState(current.anchorState())
                            .setObservationIds(current.tokenIds())
                            .setActionIds(new int[] {m.token()})
                            .optReward(t.reward())
                            .build());
            if (t.done()) {
                break;
            }
            current = t.next();
        }
        return Trajectory.of(steps);
    }

    private static double[] advantages(double stepWeight) {
        // t1 goes straight to the goal; t2 first bumps into the left edge; t3 bumps twice, steps
        // right and back left, and runs out of turns.
        Trajectory t1 = play(Move.RIGHT, Move.RIGHT, Move.RIGHT);
        Trajectory t2 = play(Move.LEFT, Move.RIGHT, Move.RIGHT, Move.RIGHT);
        Trajectory t3 = play(Move.LEFT, Move.LEFT, Move.RIGHT, Move.LEFT);
        assertThat(t1.stepRewards()).containsExactly(0, 0, 1);
        assertThat(t2.stepRewards()).containsExactly(0, 0, 0, 1);
        assertThat(t3.stepRewards()).containsExactly(0, 0, 0, 0);
        GigpoAdvantage gigpo =
                GigpoAdvantage.builder()
                        .optGamma(0.95)
                        .optStepWeight(stepWeight)
                        .optMode(GigpoMode.MEAN_NORM)
                        .optEpisodeStatistics(EpisodeStatistics.PER_STEP)
                        .build();
        return gigpo.estimate(
                        AdvantageInput.ofTrajectories(
                                List.of(TrajectoryGroup.of(TASK.key(), List.of(t1, t2, t3)))))
                .values();
    }

    @Test
    void aReturnToTheSameCellIsTheSameAnchorState() {
        Trajectory t = play(Move.LEFT, Move.RIGHT);
        assertThat(t.anchorStates()[0]).isEqualTo(t.anchorStates()[1]);
        Trajectory u = play(Move.RIGHT, Move.LEFT);
        assertThat(u.anchorStates()[0]).isNotEqualTo(u.anchorStates()[1]);
    }

    @Test
    void withOmegaZeroEveryTurnCarriesItsEpisodesAdvantage() {
        // Episode list per step row: 3 + 4 ones and 4 zeros, mean 7/11.
        double win = 1 - 7.0 / 11;
        double loss = -7.0 / 11;
        assertThat(advantages(0.0))
                .containsExactly(
                        new double[] {win, win, win, win, win, win, win, loss, loss, loss, loss},
                        within(1e-6));
    }

    @Test
    void theStepAdvantageComparesDiscountedReturnsFromTheSameCell() {
        // Returns (gamma 0.95): t1 [.9025 .95 1], t2 [.857375 .9025 .95 1], t3 [0 0 0 0].
        // Cell 0: t1s0 .9025, t2s0 .857375, t2s1 .9025, t3s0-2 0 -> mean 2.662375 / 6 = .44372917.
        // Cell 1: t1s1 .95, t2s2 .95, t3s3 0 -> mean .63333333. Cell 2: t1s2 1, t2s3 1 -> mean 1.
        double c0 = 2.662375 / 6;
        double c1 = 1.9 / 3;
        double win = 4.0 / 11;
        double loss = -7.0 / 11;
        assertThat(advantages(1.0))
                .containsExactly(
                        new double[] {
                            win + 0.9025 - c0,
                            win + 0.95 - c1,
                            win,
                            win + 0.857375 - c0,
                            win + 0.9025 - c0,
                            win + 0.95 - c1,
                            win,
                            loss - c0,
                            loss - c0,
                            loss - c0,
                            loss - c1
                        },
                        within(1e-6));
    }
}
