package dev.grpo4j.examples.gigpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpo4j.core.env.Observation;
import dev.grpo4j.core.env.Transition;
import dev.grpo4j.core.rollout.Prompt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The grid world on a 3 x 3 map, worked by hand:
 *
 * <pre>
 *   . . #      (0,0) (0,1)  wall
 *   . . .      (1,0) (1,1) (1,2)
 *   # . .       wall (2,1) (2,2) = goal
 * </pre>
 */
class GridWorldTest {

    static final GridMap MAP = GridMap.parse(1, "..#", "...", "#..");
    static final Cell GOAL = new Cell(2, 2);
    static final int UP = Move.UP.token();
    static final int DOWN = Move.DOWN.token();
    static final int LEFT = Move.LEFT.token();
    static final int RIGHT = Move.RIGHT.token();

    static GridWorld started(Cell start, int turnLimit, double penalty, EpisodeLog log) {
        GridWorld w = new GridWorld(turnLimit, penalty, log);
        w.reset(new GridTask(MAP, start, GOAL).prompt());
        return w;
    }

    @Test
    void observationNamesMapCellGoalDirectionAndExits() {
        assertThat(MAP.observation(new Cell(0, 0), GOAL))
                .containsExactly(
                        GridVocabulary.map(1),
                        0,
                        0,
                        DOWN,
                        2,
                        RIGHT,
                        2,
                        GridVocabulary.WALL,
                        DOWN,
                        GridVocabulary.WALL,
                        RIGHT);
        assertThat(MAP.observation(new Cell(1, 2), GOAL))
                .containsExactly(
                        GridVocabulary.map(1),
                        1,
                        2,
                        DOWN,
                        1,
                        GridVocabulary.LEVEL,
                        0,
                        GridVocabulary.WALL,
                        DOWN,
                        LEFT,
                        GridVocabulary.WALL);
        assertThat(GridVocabulary.text(MAP.observation(new Cell(1, 1), GOAL)))
                .isEqualTo("B 1 1 down 1 right 1 up down left right");
    }

    @Test
    void breadthFirstDistancesMatchTheHandCount() {
        assertThat(MAP.distancesTo(GOAL))
                .isDeepEqualTo(new int[][] {{4, 3, -1}, {3, 2, 1}, {-1, 1, 0}});
    }

    @Test
    void aMoveToAnOpenCellMovesAndPaysNothing() {
        EpisodeLog log = new EpisodeLog();
        GridWorld w = started(new Cell(0, 0), 10, 0.1, log);
        Transition t = w.step(new int[] {DOWN});
        assertThat(w.agent()).isEqualTo(new Cell(1, 0));
        assertThat(t.done()).isFalse();
        assertThat(t.reward()).isZero();
        assertThat(t.next().tokenIds()).isEqualTo(MAP.observation(new Cell(1, 0), GOAL));
    }

    @Test
    void aMoveIntoAWallOrOffTheMapWastesTheTurnAndCostsThePenalty() {
        EpisodeLog log = new EpisodeLog();
        GridWorld w = started(new Cell(0, 1), 10, 0.1, log);
        Transition intoWall = w.step(new int[] {RIGHT});
        Transition offMap = w.step(new int[] {UP});
        assertThat(w.agent()).isEqualTo(new Cell(0, 1));
        assertThat(intoWall.reward()).isEqualTo(-0.1);
        assertThat(offMap.reward()).isEqualTo(-0.1);
        assertThat(offMap.done()).isFalse();
        assertThat(log.drain().wallBumps()).isEqualTo(2);
    }

    @Test
    void anythingButExactlyOneMoveTokenIsInvalid() {
        EpisodeLog log = new EpisodeLog();
        GridWorld w = started(new Cell(1, 1), 10, 0.25, log);
        int[][] invalid = {{}, {GridVocabulary.WALL}, {3}, {DOWN, DOWN}, {GridVocabulary.map(0)}};
        for (int[] action : invalid) {
            Transition t = w.step(action);
            assertThat(t.reward())
                    .as("reward of %s", java.util.Arrays.toString(action))
                    .isEqualTo(-0.25);
            assertThat(t.done()).isFalse();
        }
        assertThat(w.agent()).isEqualTo(new Cell(1, 1));
        EpisodeLog.Counts c = log.drain();
        assertThat(c.invalidActions()).isEqualTo(invalid.length);
        assertThat(c.wastedTurnRate()).isEqualTo(1.0);
    }

    @Test
    void reachingTheGoalEndsTheEpisodeWithReward1() {
        EpisodeLog log = new EpisodeLog();
        GridWorld w = started(new Cell(1, 1), 10, 0.1, log);
        assertThat(w.step(new int[] {RIGHT}).done()).isFalse();
        Transition t = w.step(new int[] {DOWN});
        assertThat(t.done()).isTrue();
        assertThat(t.reward()).isEqualTo(1.0);
        assertThat(w.isOver()).isTrue();
        EpisodeLog.Counts c = log.drain();
        assertThat(c.episodes()).isEqualTo(1);
        assertThat(c.successes()).isEqualTo(1);
        assertThat(c.turns()).isEqualTo(2);
        assertThat(c.successRate()).isEqualTo(1.0);
    }

    @Test
    void theTurnLimitEndsTheEpisodeWithoutReward() {
        EpisodeLog log = new EpisodeLog();
        GridWorld w = started(new Cell(0, 0), 2, 0.0, log);
        assertThat(w.step(new int[] {RIGHT}).done()).isFalse();
        Transition last = w.step(new int[] {DOWN});
        assertThat(last.done()).isTrue();
        assertThat(last.reward()).isZero();
        assertThat(log.drain().successRate()).isZero();
    }

    @Test
    void aMoveThatReachesTheGoalOnTheLastTurnStillSucceeds() {
        EpisodeLog log = new EpisodeLog();
        GridWorld w = started(new Cell(1, 2), 1, 0.0, log);
        Transition t = w.step(new int[] {DOWN});
        assertThat(t.done()).isTrue();
        assertThat(t.reward()).isEqualTo(1.0);
    }

    @Test
    void anchorStatesRepeatWhenTheAgentReturnsAndAcrossEpisodesOfOneTask() {
        EpisodeLog log = new EpisodeLog();
        Prompt task = new GridTask(MAP, new Cell(0, 0), GOAL).prompt();
        GridWorld a = new GridWorld(10, 0.0, log);
        GridWorld b = new GridWorld(10, 0.0, log);
        Observation startA = a.reset(task);
        Observation startB = b.reset(task);
        Observation awayA = a.step(new int[] {RIGHT}).next();
        Observation backA = a.step(new int[] {LEFT}).next();
        Observation bumpB = b.step(new int[] {UP}).next();
        assertThat(backA.anchorState()).isEqualTo(startA.anchorState());
        assertThat(startB.anchorState()).isEqualTo(startA.anchorState());
        assertThat(bumpB.anchorState()).isEqualTo(startA.anchorState());
        assertThat(awayA.anchorState()).isNotEqualTo(startA.anchorState());
        assertThat(startA.anchorState()).isEqualTo("B 0 0 down 2 right 2 # down # right");
    }

    @Test
    void stepsOutsideAnEpisodeAreRejected() {
        GridWorld w = new GridWorld(3, 0.0, new EpisodeLog());
        assertThatThrownBy(() -> w.step(new int[] {UP}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before reset");
        w.reset(new GridTask(MAP, new Cell(1, 2), GOAL).prompt());
        w.step(new int[] {DOWN});
        assertThatThrownBy(() -> w.step(new int[] {UP}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("B:1,2>2,2 is over");
    }

    @Test
    void aPromptWithoutATaskIsRejectedByName() {
        GridWorld w = new GridWorld(3, 0.0, new EpisodeLog());
        assertThatThrownBy(() -> w.reset(Prompt.of("plain", 1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'plain'")
                .hasMessageContaining(GridTask.METADATA);
        Prompt wrong = new Prompt("odd", new int[] {1}, "", Map.of(GridTask.METADATA, "x"));
        assertThatThrownBy(() -> w.reset(wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("String");
    }

    @Test
    void badSettingsAreRejectedWithTheirValue() {
        assertThatThrownBy(() -> new GridWorld(0, 0.0, new EpisodeLog()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> new GridWorld(3, -0.5, new EpisodeLog()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.5");
    }

    @Test
    void tasksAreValidatedAndEnumeratedByPathLength() {
        assertThatThrownBy(() -> new GridTask(MAP, GOAL, GOAL))
                .hasMessageContaining("same cell 2,2");
        assertThatThrownBy(() -> new GridTask(MAP, new Cell(0, 2), GOAL))
                .hasMessageContaining("start cell 0,2 is not an open cell of map B");
        GridMap split = GridMap.parse(0, ".#.");
        assertThatThrownBy(() -> new GridTask(split, new Cell(0, 0), new Cell(0, 2)))
                .hasMessageContaining("cannot be reached");
        List<GridTask> far = GridTask.all(List.of(MAP), 4, 4);
        assertThat(far).extracting(GridTask::key).containsExactly("B:2,2>0,0", "B:0,0>2,2");
        assertThat(far.get(1).shortestPath()).isEqualTo(4);
        assertThatThrownBy(() -> GridTask.all(List.of(MAP), 5, 9))
                .hasMessageContaining("no task has a shortest path of 5 to 9 moves");
        assertThatThrownBy(() -> GridTask.all(List.of(MAP), 3, 2))
                .hasMessageContaining("min 3, max 2");
    }

    @Test
    void aTaskPromptIsItsFirstObservationAndCarriesTheTask() {
        GridTask task = new GridTask(MAP, new Cell(0, 0), GOAL);
        Prompt p = task.prompt();
        assertThat(p.key()).isEqualTo("B:0,0>2,2");
        assertThat(p.ids()).isEqualTo(MAP.observation(new Cell(0, 0), GOAL));
        assertThat(p.text()).isEqualTo("B 0 0 down 2 right 2 # down # right");
        assertThat(p.get(GridTask.METADATA)).isEqualTo(task);
    }

    @Test
    void badMapsAreRejectedNamingTheProblem() {
        assertThatThrownBy(() -> GridMap.parse(0, "..", "."))
                .hasMessageContaining("row 1 has 1 cells but row 0 has 2");
        assertThatThrownBy(() -> GridMap.parse(0, ".x")).hasMessageContaining("cell 0,1 is 'x'");
        assertThatThrownBy(() -> GridMap.parse(0, "#")).hasMessageContaining("no open cell");
        assertThatThrownBy(() -> GridMap.parse(0, ".........")).hasMessageContaining("9");
        assertThatThrownBy(() -> GridMap.parse(4, "."))
                .hasMessageContaining("map index must lie in [0, 4) but was 4");
    }

    @Test
    void theStandardMapsAreConnectedAndFitTheVocabulary() {
        List<GridMap> maps = GridMaps.standard();
        assertThat(maps).hasSize(GridVocabulary.MAX_MAPS);
        for (int i = 0; i < maps.size(); i++) {
            GridMap m = maps.get(i);
            assertThat(m.index()).isEqualTo(i);
            List<Cell> open = m.openCells();
            int[][] d = m.distancesTo(open.get(0));
            for (Cell c : open) {
                assertThat(d[c.row()][c.col()]).as("map %s cell %s", m.name(), c).isNotNegative();
            }
        }
    }

    @Test
    void movesAndTokensMapOneToOne() {
        for (Move m : Move.values()) {
            assertThat(Move.ofToken(m.token())).contains(m);
            assertThat(GridVocabulary.text(m.token())).isEqualTo(m.word());
        }
        assertThat(Move.ofToken(GridVocabulary.WALL)).isEmpty();
        assertThat(Move.ofToken(GridVocabulary.SIZE)).isEmpty();
        assertThat(Move.LEFT.apply(new Cell(3, 3))).isEqualTo(new Cell(3, 2));
        assertThat(GridVocabulary.text(99)).isEqualTo("<99>");
    }
}
