package dev.grpo4j.advantage.internal;

import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native-memory scope of one estimator call, plus the copies between Java arrays and ND4J.
 *
 * <p>Every {@link INDArray} an estimator creates while a scope is open lives in this thread's ND4J
 * workspace {@value #WORKSPACE_ID}; closing the scope rewinds the workspace, so repeated calls
 * reuse the same native block instead of leaving garbage for the collector. The block grows to the
 * largest call seen on the thread and is kept for the next call (about 6 doubles per rollout for
 * GRPO); {@link #releaseThreadMemory()} frees it. Results must be copied to Java arrays before the
 * scope closes.
 *
 * <p>All arrays are {@link DataType#DOUBLE}, whatever ND4J's global default, so that results match
 * the double-precision references to 1e-9.
 */
public final class NdScope implements AutoCloseable {

    /** The workspace id, one workspace per thread. */
    public static final String WORKSPACE_ID = "grpo4j-advantage";

    private static final WorkspaceConfiguration CONFIG =
            WorkspaceConfiguration.builder()
                    .initialSize(0)
                    // The first call measures what it needs; later calls allocate from one block.
                    .policyLearning(LearningPolicy.FIRST_LOOP)
                    .policyAllocation(AllocationPolicy.OVERALLOCATE)
                    .overallocationLimit(0.2)
                    .policyReset(ResetPolicy.BLOCK_LEFT)
                    // A larger call than any before spills to ordinary memory and the block grows.
                    .policySpill(SpillPolicy.REALLOCATE)
                    .build();

    private final MemoryWorkspace workspace;

    private NdScope(MemoryWorkspace workspace) {
        this.workspace = workspace;
    }

    /**
     * Opens the calling thread's workspace.
     *
     * @return the scope; close it in a try-with-resources block
     */
    public static NdScope open() {
        return new NdScope(
                Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, WORKSPACE_ID));
    }

    /**
     * Frees the calling thread's workspace block. The next estimator call on this thread allocates
     * a new one.
     */
    public static void releaseThreadMemory() {
        if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(WORKSPACE_ID)) {
            Nd4j.getWorkspaceManager()
                    .getWorkspaceForCurrentThread(WORKSPACE_ID)
                    .destroyWorkspace();
        }
    }

    /**
     * The bytes currently reserved by the calling thread's workspace, for tests and diagnostics.
     *
     * @return the reserved size in bytes, 0 if none
     */
    public static long reservedBytes() {
        if (!Nd4j.getWorkspaceManager().checkIfWorkspaceExists(WORKSPACE_ID)) {
            return 0;
        }
        return Nd4j.getWorkspaceManager()
                .getWorkspaceForCurrentThread(WORKSPACE_ID)
                .getCurrentSize();
    }

    /**
     * Copies {@code rows * cols} values of {@code src} from {@code offset} into a new row-major
     * matrix.
     *
     * @param src the values
     * @param offset the first value to copy
     * @param rows the row count
     * @param cols the column count
     * @return a {@code [rows, cols]} DOUBLE matrix
     */
    public static INDArray matrix(double[] src, int offset, int rows, int cols) {
        INDArray m = Nd4j.createUninitialized(DataType.DOUBLE, rows, cols);
        DoubleBuffer target = m.data().asNioDouble();
        target.put(src, offset, rows * cols);
        return m;
    }

    /**
     * Copies a whole array into a new vector.
     *
     * @param src the values
     * @return a {@code [src.length]} DOUBLE vector
     */
    public static INDArray vector(double[] src) {
        INDArray v = Nd4j.createUninitialized(DataType.DOUBLE, src.length);
        v.data().asNioDouble().put(src, 0, src.length);
        return v;
    }

    /**
     * Copies the values of a contiguous row-major array into {@code dst} from {@code offset}.
     *
     * @param a the array
     * @param dst the destination
     * @param offset where in {@code dst} to start
     */
    public static void read(INDArray a, double[] dst, int offset) {
        INDArray dense = a;
        if (a.offset() != 0 || a.ordering() != 'c' || a.elementWiseStride() != 1) {
            dense = a.dup('c');
        }
        DoubleBuffer source = dense.data().asNioDouble();
        source.get(dst, offset, (int) dense.length());
    }

    /**
     * Copies the values of a contiguous row-major array into a new Java array.
     *
     * @param a the array
     * @return its values in row-major order
     */
    public static double[] read(INDArray a) {
        double[] dst = new double[(int) a.length()];
        read(a, dst, 0);
        return dst;
    }

    @Override
    public void close() {
        workspace.close();
    }
}
