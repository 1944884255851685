package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class GrpoLossTest {

    @Test
    void evaluatesLikeTheWrappedLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(new double[] {-1.0, -2.0, -0.5, -0.7}, new Shape(2, 2));
            NDArray old = m.create(new double[] {-1.1, -1.9, -0.5, -0.9}, new Shape(2, 2));
            NDArray adv = m.create(new double[] {1.0, -1.0});
            NDArray mask = m.create(new double[] {1, 1, 1, 0}, new Shape(2, 2));
            PolicyGradientLoss pg = PolicyGradientLoss.builder().optLossType(LossType.BNPO).build();
            GrpoLoss djl = new GrpoLoss(pg);
            double viaDjl = djl.evaluate(new NDList(adv, mask, old), new NDList(lp)).getDouble();
            double direct = pg.compute(lp, old, null, adv, mask).loss().getDouble();
            assertThat(viaDjl).isCloseTo(direct, within(1e-15));
            assertThat(djl.lastOutput().metrics()).containsKey("clip_ratio/region_mean");
        }
    }

    @Test
    void rejectsTheWrongNumberOfLabels() {
        try (NDManager m = NDManager.newBaseManager()) {
            GrpoLoss djl = new GrpoLoss(PolicyGradientLoss.builder().build());
            NDArray x = m.zeros(new Shape(1, 1));
            assertThatThrownBy(() -> djl.evaluate(new NDList(x), new NDList(x)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got 1 arrays");
        }
    }
}
