package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Activation;
import dev.grpo4j.core.util.Scalars;
import java.util.Map;

/**
 * The per-token policy term of a loss type and the clip diagnostics that belong to it. Three
 * families cover TRL's loss types: the PPO clipped surrogate, CISPO's clipped stop-gradient weight,
 * and SAPO's soft gate.
 */
enum Surrogate {
    /** {@code -min(w' A, clamp(w, 1 - low, 1 + high) A)}, {@code w' = min(w, delta)}; dual clip. */
    CLIPPED {
        @Override
        NDArray tokenLoss(NDArray w, NDArray adv, NDArray logProbs, PolicyGradientLoss config) {
            ClipRange clip = config.clipRange();
            NDArray clipped = w.clip(clip.lowerBound(), clip.upperBound());
            NDArray unclipped =
                    clip.delta().isPresent() ? Scalars.minimum(w, clip.delta().getAsDouble()) : w;
            NDArray loss = unclipped.mul(adv).minimum(clipped.mul(adv)).neg();
            if (clip.dualClip().isPresent()) {
                // verl: for A < 0 the loss may not exceed -A * c.
                NDArray capped = loss.minimum(Scalars.mul(adv, -clip.dualClip().getAsDouble()));
                loss = NDArrays.where(adv.lt(0), capped, loss);
            }
            return loss;
        }

        @Override
        void addMetrics(
                Map<String, Double> out, HostBatch host, double[] w, PolicyGradientLoss config) {
            ClipRange clip = config.clipRange();
            double lowEdge = clip.lowerBound();
            double highEdge = clip.upperBound();
            double delta = clip.delta().orElse(Double.POSITIVE_INFINITY);
            double c = clip.dualClip().orElse(Double.NaN);
            int n = w.length;
            double[] low = new double[n];
            double[] high = new double[n];
            double[] region = new double[n];
            double[] pgClip = new double[n];
            double[] dual = new double[n];
            for (int k = 0; k < n; k++) {
                double a = host.advantages[k];
                low[k] = w[k] < lowEdge && a < 0 ? 1 : 0;
                high[k] = w[k] > highEdge && a > 0 ? 1 : 0;
                region[k] = Math.max(low[k], high[k]);
                double l1 = -a * Math.min(w[k], delta);
                double l2 = -a * Math.min(Math.max(w[k], lowEdge), highEdge);
                pgClip[k] = l2 > l1 ? 1 : 0;
                dual[k] = a < 0 && Math.max(l1, l2) > -a * c ? 1 : 0;
            }
            out.put("clip_ratio/low_mean", host.maskedMean(low));
            out.put("clip_ratio/low_min", host.rowFractionExtreme(low, false));
            out.put("clip_ratio/high_mean", host.maskedMean(high));
            out.put("clip_ratio/high_max", host.rowFractionExtreme(high, true));
            out.put("clip_ratio/region_mean", host.maskedMean(region));
            out.put("pg_clipfrac", host.maskedMean(pgClip));
            if (clip.dualClip().isPresent()) {
                out.put("pg_clipfrac_lower", host.maskedMean(dual));
            }
        }
    },
    /** {@code -sg(min(w, high)) * A * lp}: every token keeps a gradient, its weight is capped. */
    CISPO {
        @Override
        NDArray tokenLoss(NDArray w, NDArray adv, NDArray logProbs, PolicyGradientLoss config) {
            NDArray weight = Scalars.minimum(w, config.clipRange().high()).stopGradient();
            return weight.mul(adv).mul(logProbs).neg();
        }

        @Override
        void addMetrics(
                Map<String, Double> out, HostBatch host, double[] w, PolicyGradientLoss config) {
            double cap = config.clipRange().high();
            double[] capped = new double[w.length];
            for (int k = 0; k < w.length; k++) {
                capped[k] = w[k] > cap && host.advantages[k] > 0 ? 1 : 0;
            }
            out.put("cispo_clip_ratio", host.maskedMean(capped));
        }
    },
    /** {@code -A (4 / tau) sigmoid(tau (w - 1))}, tau by the advantage's sign. */
    SAPO {
        @Override
        NDArray tokenLoss(NDArray w, NDArray adv, NDArray logProbs, PolicyGradientLoss config) {
            double pos = config.sapoTemperaturePositive();
            double neg = config.sapoTemperatureNegative();
            NDArray tau = Scalars.mul(adv.gt(0).toType(w.getDataType(), false), pos - neg).add(neg);
            NDArray gate = Scalars.mul(Activation.sigmoid(w.sub(1).mul(tau)), 4).div(tau);
            return gate.mul(adv).neg();
        }

        @Override
        void addMetrics(
                Map<String, Double> out, HostBatch host, double[] w, PolicyGradientLoss config) {
            // SAPO has no hard clip, so TRL logs no clip ratio for it.
        }
    };

    /**
     * The per-token policy loss.
     *
     * @param w {@code [B, T]} importance weights (differentiable)
     * @param adv {@code [B, T]} advantages
     * @param logProbs {@code [B, T]} current log-probs (differentiable)
     * @param config the loss configuration
     * @return {@code [B, T]} in the manager of {@code w}
     */
    abstract NDArray tokenLoss(NDArray w, NDArray adv, NDArray logProbs, PolicyGradientLoss config);

    /**
     * Adds this family's clip diagnostics.
     *
     * @param out the metric map to add to
     * @param host the batch's host copy
     * @param w {@code [B * T]} importance weights
     * @param config the loss configuration
     */
    abstract void addMetrics(
            Map<String, Double> out, HostBatch host, double[] w, PolicyGradientLoss config);
}
