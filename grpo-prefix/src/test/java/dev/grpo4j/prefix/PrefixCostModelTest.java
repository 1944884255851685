package dev.grpo4j.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrefixCostModelTest {

    @Test
    void reproducesTheReportExampleWithALongPrompt() {
        // ALGORITHMS.md section 6: Lp = 4096, Lr = 512, G = 8.
        assertThat(PrefixCostModel.attentionRatio(4096, 512, 8)).isCloseTo(0.3086, within(1e-4));
        assertThat(PrefixCostModel.pointwiseRatio(4096, 512, 8)).isCloseTo(0.2222, within(1e-4));
    }

    @Test
    void reproducesTheReportExampleWithAShorterPrompt() {
        // ALGORITHMS.md section 6: Lp = 1000, Lr = 200, G = 4.
        assertThat(PrefixCostModel.attentionRatio(1000, 200, 4)).isCloseTo(0.4792, within(1e-4));
        assertThat(PrefixCostModel.pointwiseRatio(1000, 200, 4)).isCloseTo(0.3750, within(1e-4));
    }

    @Test
    void countsAttentionProjectionsMlpAndHeadForATinyModel() {
        // D = 4, H = 2, Hkv = 1, d = 2, M = 8, V = 10, one layer; Lp = 3, Ls = 1, G = 2.
        PrefixCostModel model = new PrefixCostModel(1, 4, 2, 1, 2, 8, 10);
        // C = 2 (4*4 + 2*4*2 + 4*4 + 3*4*8) = 2 (16 + 16 + 16 + 96) = 288.
        assertThat(model.pointwiseFlopsPerToken()).isEqualTo(288.0);
        // Plain: pairs 2 * 16 = 32, tokens 8: 4*2*2*32 + 288*8 + 2*4*10*8 = 512 + 2304 + 640.
        assertThat(model.plainFlops(3, 1, 2)).isEqualTo(3456.0);
        // Packed: pairs 9 + 2*1*7 = 23, tokens 5: 4*2*2*23 + 288*5 + 2*4*10*5 = 368 + 1440 + 400.
        assertThat(model.packedFlops(3, 1, 2)).isEqualTo(2208.0);
        assertThat(model.speedup(3, 1, 2)).isCloseTo(3456.0 / 2208.0, within(1e-12));
    }

    @Test
    void predictsNoSpeedupForASingleCompletion() {
        PrefixCostModel model = new PrefixCostModel(2, 64, 4, 2, 16, 256, 100);
        assertThat(model.speedup(100, 20, 1)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void rejectsAnEmptyGroup() {
        assertThatThrownBy(() -> PrefixCostModel.attentionRatio(10, 5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group size must be > 0 but was 0");
    }
}
