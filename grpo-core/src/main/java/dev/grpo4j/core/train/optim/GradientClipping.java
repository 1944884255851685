package dev.grpo4j.core.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * Global L2 gradient-norm clipping, as {@code torch.nn.utils.clip_grad_norm_}: the norm is taken
 * over all gradients together, and if it exceeds {@code maxNorm} every gradient is scaled by {@code
 * maxNorm / (norm + 1e-6)}.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * The global L2 norm of the parameters' gradients.
     *
     * @param parameters parameters that require gradients
     * @return the norm (NaN or infinite if any gradient is)
     */
    public static double globalNorm(List<Parameter> parameters) {
        double sumSquares = 0;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Parameter p : parameters) {
                NDArray g = p.getArray().getGradient();
                sumSquares += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
            }
        }
        return Math.sqrt(sumSquares);
    }

    /**
     * Scales the gradients in place so their global norm is at most {@code maxNorm}.
     *
     * @param parameters parameters that require gradients
     * @param maxNorm the largest allowed norm; {@code <= 0} or infinite disables clipping
     * @return the norm before clipping
     */
    public static double clip(List<Parameter> parameters, double maxNorm) {
        double norm = globalNorm(parameters);
        if (maxNorm > 0 && Double.isFinite(maxNorm) && Double.isFinite(norm) && norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-6);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                for (Parameter p : parameters) {
                    p.getArray().getGradient().muli(scale);
                }
            }
        }
        return norm;
    }
}
