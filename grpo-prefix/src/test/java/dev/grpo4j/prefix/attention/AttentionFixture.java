package dev.grpo4j.prefix.attention;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.grpo4j.prefix.layout.PrefixLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Random packed q/k/v for a layout, a loss weight per output, and an independent slow reference:
 * every completion run on its own {@code [prompt; completion]} sequence, one query at a time, with
 * a softmax over the keys up to that query.
 */
final class AttentionFixture {

    final PrefixLayout layout;
    final int heads;
    final int kvHeads;
    final int dim;
    final DataType type;
    final double[] q;
    final double[] k;
    final double[] v;
    final double[] w;

    AttentionFixture(
            PrefixLayout layout, int heads, int kvHeads, int dim, DataType type, long seed) {
        this.layout = layout;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.dim = dim;
        this.type = type;
        SplittableRandom random = new SplittableRandom(seed);
        int rows = layout.groupCount() * layout.packedLength();
        this.q = gaussian(random, rows * heads * dim);
        this.k = gaussian(random, rows * kvHeads * dim);
        this.v = gaussian(random, rows * kvHeads * dim);
        this.w = gaussian(random, rows * heads * dim);
    }

    private static double[] gaussian(SplittableRandom random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller; scaled so that scores spread over a few units, as in a trained model.
            double u = 1.0 - random.nextDouble();
            x[i] = 1.5 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return x;
    }

    Shape qShape() {
        return new Shape(layout.groupCount(), layout.packedLength(), heads, dim);
    }

    Shape kvShape() {
        return new Shape(layout.groupCount(), layout.packedLength(), kvHeads, dim);
    }

    NDArray array(NDManager m, double[] values, Shape shape) {
        return m.create(values, shape).toType(type, false);
    }

    /** Outputs and input gradients of one attention implementation. */
    record Result(double[] out, double[] dq, double[] dk, double[] dv) {}

    /**
     * Runs an attention op on fresh copies of q/k/v and back-propagates {@code sum(out * w)}.
     *
     * @param m the manager
     * @param op from (q, k, v) to the packed output {@code [B, L, H, d]}
     */
    Result run(NDManager m, Function<NDList, NDArray> op) {
        NDArray qa = array(m, q, qShape());
        NDArray ka = array(m, k, kvShape());
        NDArray va = array(m, v, kvShape());
        qa.setRequiresGradient(true);
        ka.setRequiresGradient(true);
        va.setRequiresGradient(true);
        NDArray out;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            out = op.apply(new NDList(qa, ka, va));
            NDArray loss = out.mul(array(m, w, qShape())).sum();
            gc.backward(loss);
        }
        return new Result(
                out.toType(DataType.FLOAT64, false).toDoubleArray(), grad(qa), grad(ka), grad(va));
    }

    private static double[] grad(NDArray x) {
        return x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /**
     * The slow reference: for every completion i, its sequence {@code [prompt; completion]} is
     * attended to causally on its own, query by query and head by head; the prompt's outputs are
     * taken from the group's first completion. Returns the outputs placed at their packed
     * positions.
     */
    NDArray naive(NDList qkv) {
        NDArray qa = qkv.get(0);
        NDArray ka = qkv.get(1);
        NDArray va = qkv.get(2);
        NDManager m = qa.getManager();
        int l = layout.packedLength();
        int rep = heads / kvHeads;
        double scale = 1.0 / Math.sqrt(dim);
        // One [H, d] output per packed position; padding positions stay zero.
        List<NDArray> rows = new ArrayList<>();
        NDArray zero = m.zeros(new Shape(heads, dim), qa.getDataType());
        for (int p = 0; p < layout.groupCount() * l; p++) {
            rows.add(zero);
        }
        for (int i = 0; i < layout.completionCount(); i++) {
            int j = layout.groupOf(i);
            int lp = layout.prefixLength(j);
            int ls = layout.suffixLength(i);
            boolean first = i == layout.groupStart(j);
            long[] columns = new long[lp + ls];
            for (int t = 0; t < lp + ls; t++) {
                columns[t] = t < lp ? t : layout.suffixStart(i) + t - lp;
            }
            NDArray index = m.create(columns);
            NDArray qi = qa.get(j).get("{}", index);
            NDArray ki = ka.get(j).get("{}", index);
            NDArray vi = va.get(j).get("{}", index);
            for (int t = first ? 0 : lp; t < lp + ls; t++) {
                NDList perHead = new NDList();
                for (int h = 0; h < heads; h++) {
                    int kv = h / rep;
                    NDArray query = qi.get("{}, {}, :", t, h).mul(scale);
                    NDArray keys = ki.get(":{}, {}, :", t + 1, kv);
                    NDArray values = vi.get(":{}, {}, :", t + 1, kv);
                    NDArray scores = keys.matMul(query.reshape(dim, 1)).reshape(t + 1);
                    NDArray weights = scores.sub(scores.max()).exp();
                    weights = weights.div(weights.sum());
                    perHead.add(weights.reshape(1, t + 1).matMul(values).reshape(dim));
                }
                rows.set(j * l + (int) columns[t], NDArrays.stack(perHead));
            }
        }
        return NDArrays.stack(new NDList(rows)).reshape(qShape());
    }
}
