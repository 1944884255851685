package dev.grpo4j.prefix.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransformerConfigTest {

    private static TransformerConfig.Builder valid() {
        return TransformerConfig.builder()
                .setVocabSize(100)
                .setWidth(32)
                .setLayers(2)
                .setHeads(4)
                .setMaxSequenceLength(64);
    }

    @Test
    void optionalValuesHaveTheirDocumentedDefaults() {
        TransformerConfig config = valid().build();
        assertThat(config.kvHeads()).isEqualTo(4);
        assertThat(config.headDim()).isEqualTo(8);
        assertThat(config.mlpWidth()).isEqualTo(128);
        assertThat(config.ropeTheta()).isEqualTo(10000.0);
        assertThat(config.normEpsilon()).isEqualTo(1e-5);
        assertThat(config).isEqualTo(valid().build()).hasSameHashCodeAs(valid().build());
    }

    @Test
    void rejectsAMissingRequiredValue() {
        assertThatThrownBy(
                        () ->
                                TransformerConfig.builder()
                                        .setVocabSize(10)
                                        .setWidth(8)
                                        .setHeads(2)
                                        .setMaxSequenceLength(8)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layers is required");
    }

    @Test
    void rejectsANonPositiveSizeAtTheSetter() {
        assertThatThrownBy(() -> TransformerConfig.builder().setWidth(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("width must be > 0 but was -3");
    }

    @Test
    void rejectsAWidthThatIsNotAMultipleOfTheHeads() {
        assertThatThrownBy(() -> valid().setHeads(5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("width 32 is not a multiple of heads 5");
    }

    @Test
    void rejectsAnOddHeadWidth() {
        assertThatThrownBy(() -> valid().setWidth(12).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head width 3");
    }

    @Test
    void rejectsHeadsThatAreNotAMultipleOfKeyValueHeads() {
        assertThatThrownBy(() -> valid().optKvHeads(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("heads 4 is not a multiple of kvHeads 3");
    }

    @Test
    void rejectsARotaryBaseOfOneOrLess() {
        assertThatThrownBy(() -> valid().optRopeTheta(1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ropeTheta must be a finite number > 1 but was 1.0");
    }
}
