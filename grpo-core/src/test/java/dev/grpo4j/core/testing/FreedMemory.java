package dev.grpo4j.core.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Provokes what a use-after-free of a Java direct buffer needs to show: a garbage collection that
 * frees unreachable direct buffers, then fresh small buffers filled with NaN that are likely to
 * take the freed memory. Tests call it between forward and backward.
 */
public final class FreedMemory {

    private FreedMemory() {}

    /**
     * Collects garbage, then allocates 20,000 NaN-filled direct buffers of 8 to 32 bytes.
     *
     * @throws InterruptedException if interrupted while waiting for the collector
     */
    public static void collectAndRefillWithNaN() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(5);
        }
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(8 + (i % 4) * 8);
            while (b.remaining() >= 4) {
                b.putFloat(Float.NaN);
            }
            junk.add(b);
        }
    }
}
