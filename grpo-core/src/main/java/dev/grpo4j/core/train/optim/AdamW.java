package dev.grpo4j.core.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import dev.grpo4j.core.util.Checks;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongToDoubleFunction;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as {@code torch.optim.AdamW}: per
 * parameter at step t (1-based),
 *
 * <pre>
 * p &lt;- p - lr * wd * p
 * m &lt;- beta1 m + (1 - beta1) g;     v &lt;- beta2 v + (1 - beta2) g^2
 * p &lt;- p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 *
 * <p>Unlike DJL's built-in optimizers, its moments and step counts can be exported and restored
 * ({@link #save}, {@link #load}), keyed by the parameter's stable name, so a checkpoint resumes the
 * optimizer exactly. The learning rate comes from a function of the 0-based step (a {@link
 * LearningRateSchedule}). After each update the parameter's gradient is zeroed, as DJL's optimizers
 * do.
 *
 * <p>Moments live in the manager given at construction; {@link #close()} frees them. Not
 * thread-safe, like DJL's {@code Trainer}.
 */
public final class AdamW extends Optimizer implements AutoCloseable {

    private final NDManager manager;
    private final LongToDoubleFunction learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, String> namesById = new HashMap<>();
    private final Map<String, Moments> moments = new HashMap<>();
    private double lastRate;

    private AdamW(Builder b) {
        super(b);
        this.manager = b.manager.newSubManager();
        this.manager.setName("adamw-state");
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.weightDecay = b.weightDecay;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tells the optimizer each parameter's stable name (e.g. from {@code block.getParameters()}),
     * so that saved state can be restored into another instance of the same architecture.
     *
     * @param parameterId the parameter's id ({@code Parameter.getId()})
     * @param name its stable name
     */
    public void bindName(String parameterId, String name) {
        namesById.put(parameterId, name);
    }

    /**
     * The learning rate used by the most recent update.
     *
     * @return the rate
     */
    public double lastLearningRate() {
        return lastRate;
    }

    /**
     * The number of updates applied to the parameter with the given stable name (0 if none).
     *
     * @param name the stable name
     * @return the step count
     */
    public long stepCount(String name) {
        Moments m = moments.get(name);
        return m == null ? 0 : m.step;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        String name = namesById.getOrDefault(parameterId, parameterId);
        Moments state = moments.get(name);
        if (state == null) {
            state = new Moments(zeros(weight), zeros(weight), 0);
            moments.put(name, state);
        }
        state.step++;
        double rate = learningRate.applyAsDouble(state.step - 1);
        lastRate = rate;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray g = grad.toType(weight.getDataType(), false);
            if (weightDecay != 0) {
                weight.subi(weight.mul(rate * weightDecay));
            }
            state.mean.muli(beta1).addi(g.mul(1 - beta1));
            state.variance.muli(beta2).addi(g.square().mul(1 - beta2));
            double correction1 = 1.0 - Math.pow(beta1, state.step);
            double correction2 = 1.0 - Math.pow(beta2, state.step);
            NDArray denominator = state.variance.div(correction2).sqrt().add(epsilon);
            weight.subi(state.mean.div(correction1).div(denominator).mul(rate));
            NDArray weightGrad = weight.getGradient();
            weightGrad.subi(weightGrad);
        }
    }

    private NDArray zeros(NDArray like) {
        NDArray z = manager.zeros(like.getShape(), like.getDataType(), like.getDevice());
        NDScope.unregister(z);
        return z;
    }

    /**
     * Writes every parameter's step count and moments.
     *
     * @param out the stream
     * @throws IOException if writing fails
     */
    public void save(DataOutputStream out) throws IOException {
        Map<String, Moments> sorted = new TreeMap<>(moments);
        out.writeInt(sorted.size());
        for (Map.Entry<String, Moments> e : sorted.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().step);
            writeArray(out, e.getValue().mean.encode());
            writeArray(out, e.getValue().variance.encode());
        }
    }

    /**
     * Replaces the state with one written by {@link #save}.
     *
     * @param in the stream
     * @throws IOException if reading fails or the data is malformed
     */
    public void load(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("corrupt optimizer state: negative entry count " + count);
        }
        Map<String, Moments> loaded = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            long step = in.readLong();
            NDArray mean = manager.decode(readArray(in));
            NDArray variance = manager.decode(readArray(in));
            NDScope.unregister(mean, variance);
            loaded.put(name, new Moments(mean, variance, step));
        }
        for (Moments m : moments.values()) {
            m.close();
        }
        moments.clear();
        moments.putAll(loaded);
    }

    private static void writeArray(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readArray(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt optimizer state: negative array length " + n);
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    @Override
    public void close() {
        manager.close();
    }

    private static final class Moments {
        final NDArray mean;
        final NDArray variance;
        long step;

        Moments(NDArray mean, NDArray variance, long step) {
            this.mean = mean;
            this.variance = variance;
            this.step = step;
        }

        void close() {
            mean.close();
            variance.close();
        }
    }

    /** Builds an {@link AdamW}; defaults are torch's: betas (0.9, 0.999), eps 1e-8, decay 0.01. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private NDManager manager;
        private LongToDoubleFunction learningRate = step -> 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay = 0.01;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the manager that will own the moments (required).
         *
         * @param manager a long-lived manager, e.g. the trainer's
         * @return this builder
         */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Sets the learning rate as a function of the 0-based step (default constant 1e-3).
         *
         * @param learningRate the schedule
         * @return this builder
         */
        public Builder optLearningRate(LongToDoubleFunction learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the exponential decay rates of the moments.
         *
         * @param beta1 first-moment decay, in [0, 1)
         * @param beta2 second-moment decay, in [0, 1)
         * @return this builder
         */
        public Builder optBetas(double beta1, double beta2) {
            Checks.require(beta1 >= 0 && beta1 < 1, "beta1 must lie in [0, 1) but was %s", beta1);
            Checks.require(beta2 >= 0 && beta2 < 1, "beta2 must lie in [0, 1) but was %s", beta2);
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets the denominator's epsilon.
         *
         * @param epsilon {@code > 0}
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = Checks.positive("adam epsilon", epsilon);
            return this;
        }

        /**
         * Sets the decoupled weight decay.
         *
         * @param weightDecay {@code >= 0}
         * @return this builder
         */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = Checks.nonNegative("weight decay", weightDecay);
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public AdamW build() {
            Checks.require(manager != null, "AdamW needs a manager for its state");
            return new AdamW(this);
        }
    }
}
