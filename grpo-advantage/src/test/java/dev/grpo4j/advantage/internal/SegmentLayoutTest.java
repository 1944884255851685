package dev.grpo4j.advantage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bucketing segments by size, and packing rows to and from the bucket matrices. */
class SegmentLayoutTest {

    @Test
    void equalContiguousSegmentsPackWithoutCopying() {
        SegmentLayout layout = SegmentLayout.contiguous(new int[] {3, 3, 3});
        assertThat(layout.identity()).isTrue();
        assertThat(layout.buckets()).isEqualTo(1);
        assertThat(layout.width(0)).isEqualTo(3);
        assertThat(layout.segments(0)).isEqualTo(3);
        double[] rows = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(layout.pack(rows)).isSameAs(rows);
    }

    @Test
    void scatteredSegmentsAreGroupedBySizeThenIdKeepingRowOrder() {
        // Rows:     0  1  2  3  4  5  6
        // Segment:  2  0  1  0  2  2  1   -> sizes 2, 2, 3
        SegmentLayout layout = SegmentLayout.of(new int[] {2, 0, 1, 0, 2, 2, 1}, 3);
        assertThat(layout.buckets()).isEqualTo(2);
        assertThat(layout.width(0)).isEqualTo(2);
        assertThat(layout.segments(0)).isEqualTo(2);
        assertThat(layout.width(1)).isEqualTo(3);
        assertThat(layout.offset(1)).isEqualTo(4);
        double[] packed = layout.pack(new double[] {10, 11, 12, 13, 14, 15, 16});
        assertThat(packed).containsExactly(11, 13, 12, 16, 10, 14, 15);
    }

    @Test
    void addToScattersBackWithWeight() {
        SegmentLayout layout = SegmentLayout.of(new int[] {1, 0, 1, 0, 1}, 2);
        double[] dest = {100, 100, 100, 100, 100};
        layout.addTo(0, new double[] {1, 2}, 10, dest);
        layout.addTo(1, new double[] {3, 4, 5}, 1, dest);
        assertThat(dest).containsExactly(103, 110, 104, 120, 105);
    }

    @Test
    void raggedContiguousSegments() {
        SegmentLayout layout = SegmentLayout.contiguous(new int[] {2, 1, 2});
        assertThat(layout.buckets()).isEqualTo(2);
        assertThat(layout.pack(new double[] {1, 2, 3, 4, 5})).containsExactly(3, 1, 2, 4, 5);
    }

    @Test
    void emptySegmentIsRejected() {
        assertThatThrownBy(() -> SegmentLayout.of(new int[] {0, 0, 2}, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment 1 is empty");
        assertThatThrownBy(() -> SegmentLayout.contiguous(new int[] {2, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment 1 is empty");
    }
}
