package dev.grpo4j.advantage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Canonical anchor keys: equal exactly when verl-agent's {@code to_hashable} forms are equal. */
class AnchorKeysTest {

    private static Object key(Object anchor) {
        return AnchorKeys.canonical(anchor);
    }

    @Test
    void stringsAreTheirOwnKey() {
        assertThat(key("room 1")).isEqualTo("room 1");
        assertThat(key('x')).isEqualTo(key("x"));
        assertThat(key("1")).isNotEqualTo(key(1));
    }

    @Test
    void numbersCompareByValueAcrossTypes() {
        Object one = key(1);
        assertThat(key(1L)).isEqualTo(one).hasSameHashCodeAs(one);
        assertThat(key(1.0)).isEqualTo(one).hasSameHashCodeAs(one);
        assertThat(key(1.0f)).isEqualTo(one);
        assertThat(key((short) 1)).isEqualTo(one);
        assertThat(key(new BigDecimal("1.00"))).isEqualTo(one);
        assertThat(key(BigInteger.ONE)).isEqualTo(one);
        assertThat(key(true)).isEqualTo(one);
        assertThat(key(false)).isEqualTo(key(0));
        assertThat(key(-0.0)).isEqualTo(key(0));
        assertThat(key(2.5)).isEqualTo(key(new BigDecimal("2.50")));
        assertThat(key(Double.POSITIVE_INFINITY)).isEqualTo(key(Float.POSITIVE_INFINITY));
    }

    /** 0.1f is 0.100000001490116..., not 0.1, in Python as in Java. */
    @Test
    void floatAndDoubleOfDifferentExactValuesDiffer() {
        assertThat(key(0.1f)).isNotEqualTo(key(0.1));
        assertThat(key(0.5f)).isEqualTo(key(0.5));
    }

    @Test
    void nanIsRejected() {
        assertThatThrownBy(() -> key(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> key(new double[] {1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void arraysAreFlattenedElementWise() {
        Object flat = key(new int[] {1, 2, 3});
        assertThat(key(new int[][] {{1, 2}, {3}})).isEqualTo(flat).hasSameHashCodeAs(flat);
        assertThat(key(new double[] {1.0, 2.0, 3.0})).isEqualTo(flat);
        assertThat(key(new Object[] {1, 2L, 3.0})).isEqualTo(flat);
        assertThat(key(List.of(1, 2, 3))).isEqualTo(flat);
        assertThat(key(new char[] {'a', 'b'})).isEqualTo(key(List.of("a", "b")));
        assertThat(key(new boolean[] {true, false})).isEqualTo(key(new long[] {1, 0}));
        assertThat(key(new int[] {1, 2})).isNotEqualTo(key(new int[] {2, 1}));
    }

    @Test
    void listsKeepTheirNesting() {
        assertThat(key(List.of(List.of(1, 2), 3))).isNotEqualTo(key(List.of(1, 2, 3)));
        assertThat(key(List.of(List.of(1, 2), 3))).isEqualTo(key(List.of(new int[] {1, 2}, 3.0)));
    }

    @Test
    void mapsIgnoreOrderButNotContent() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", List.of(2, 3));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", new int[] {2, 3});
        ba.put("a", 1.0);
        assertThat(key(ab)).isEqualTo(key(ba)).hasSameHashCodeAs(key(ba));
        assertThat(key(Map.of("a", 1))).isNotEqualTo(key(Map.of("a", 2)));
        assertThat(key(Map.of("a", 1))).isNotEqualTo(key(List.of(List.of("a", 1))));
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> key(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is null");
        assertThatThrownBy(() -> key(new Object[] {"a", null}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains null");
    }

    @Test
    void unsupportedTypesAreRejected() {
        assertThatThrownBy(() -> key(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported type java.lang.Object");
        assertThatThrownBy(() -> key(Set.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported type");
        assertThatThrownBy(() -> key(new java.util.concurrent.atomic.AtomicInteger(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported number type");
    }

    @Test
    void mapWithKeysEqualAsNumbersIsRejected() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(1, "x");
        m.put(1.0, "y");
        assertThatThrownBy(() -> key(m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two keys equal to 1.0");
    }
}
