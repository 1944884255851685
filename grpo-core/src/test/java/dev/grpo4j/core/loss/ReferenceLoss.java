package dev.grpo4j.core.loss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A slow, independent reference for {@link PolicyGradientLoss}: plain double loops written from the
 * formulas of ALGORITHMS.md section 2, one token at a time, with the loss type, level, estimator
 * and aggregation switched on explicitly. It reads only the configuration getters of the loss under
 * test.
 */
final class ReferenceLoss {

    private ReferenceLoss() {}

    /** The loss value. */
    static double loss(PolicyGradientLoss cfg, LossBatch b) {
        int rows = b.rows();
        int cols = b.cols();
        double[][] mask = effectiveMask(cfg, b);
        double[][] w = weights(cfg.importanceSampling(), b, mask);
        double[][] keep = entropyKeep(cfg, b, mask);
        double[][] total = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < cols; t++) {
                double a = b.advantages()[i][t];
                double policy = policyTerm(cfg, w[i][t], a, b.logProbs()[i][t]) * keep[i][t];
                double kl = 0;
                if (cfg.beta() > 0) {
                    kl = kl(cfg.klEstimator(), b.logProbs()[i][t], b.refLogProbs()[i][t]);
                    if (cfg.klBiasCorrection()) {
                        kl *= w[i][t];
                    }
                }
                total[i][t] = policy + cfg.beta() * kl;
            }
        }
        double value = aggregate(cfg, total, mask, b.tokenNormalizer());
        boolean divides =
                switch (cfg.lossType()) {
                    case GRPO, BNPO, DR_GRPO, LUSPO, SAPO -> true;
                    case DAPO, CISPO -> false;
                };
        return divides ? value / cfg.gradientAccumulationSteps() : value;
    }

    static double[][] effectiveMask(PolicyGradientLoss cfg, LossBatch b) {
        double[][] mask = LossBatch.copy(b.mask());
        if (cfg.maskTruncatedCompletions()) {
            for (int i = 0; i < mask.length; i++) {
                if (b.truncated()[i] == 1) {
                    java.util.Arrays.fill(mask[i], 0);
                }
            }
        }
        return mask;
    }

    /** Importance weights per token, at the configured level. */
    static double[][] weights(ImportanceSampling level, LossBatch b, double[][] mask) {
        int rows = b.rows();
        int cols = b.cols();
        double[][] r = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < cols; t++) {
                double old = b.oldLogProbs() == null ? b.logProbs()[i][t] : b.oldLogProbs()[i][t];
                r[i][t] = b.logProbs()[i][t] - old;
            }
        }
        double[][] w = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            switch (level) {
                case TOKEN -> {
                    for (int t = 0; t < cols; t++) {
                        // Padding uses ratio 1, like the implementation; it is masked out anyway.
                        w[i][t] = Math.exp(r[i][t] * mask[i][t]);
                    }
                }
                case SEQUENCE -> {
                    double sum = 0;
                    double n = 0;
                    for (int t = 0; t < cols; t++) {
                        sum += mask[i][t] * r[i][t];
                        n += mask[i][t];
                    }
                    double seq = Math.exp(sum / Math.max(1, n));
                    java.util.Arrays.fill(w[i], seq);
                }
                case ITEM -> {
                    for (int t = 0; t < cols; t++) {
                        double sum = 0;
                        double n = 0;
                        for (int u = 0; u < cols; u++) {
                            if (b.bins()[i][u] == b.bins()[i][t]) {
                                sum += mask[i][u] * r[i][u];
                                n += mask[i][u];
                            }
                        }
                        w[i][t] = Math.exp(sum / Math.max(1, n));
                    }
                }
            }
        }
        return w;
    }

    static double policyTerm(PolicyGradientLoss cfg, double w, double a, double lp) {
        ClipRange clip = cfg.clipRange();
        switch (cfg.lossType()) {
            case CISPO:
                return -Math.min(w, clip.high()) * a * lp;
            case SAPO:
                double tau = a > 0 ? cfg.sapoTemperaturePositive() : cfg.sapoTemperatureNegative();
                return -a * (4 / tau) / (1 + Math.exp(-tau * (w - 1)));
            default:
                double clipped = Math.min(Math.max(w, 1 - clip.low()), 1 + clip.high());
                double unclipped =
                        clip.delta().isPresent() ? Math.min(w, clip.delta().getAsDouble()) : w;
                double l = -Math.min(unclipped * a, clipped * a);
                if (clip.dualClip().isPresent() && a < 0) {
                    l = Math.min(l, -a * clip.dualClip().getAsDouble());
                }
                return l;
        }
    }

    static double kl(KlEstimator estimator, double lp, double ref) {
        double x = lp - ref;
        return switch (estimator) {
            case K1 -> x;
            case ABS -> Math.abs(x);
            case K2 -> 0.5 * x * x;
            case K3, K3_PLUS -> Math.exp(-x) + x - 1;
            case LOW_VAR_KL -> {
                double d = Math.max(-20, Math.min(20, -x));
                yield Math.max(-10, Math.min(10, Math.exp(d) - d - 1));
            }
        };
    }

    static double[][] entropyKeep(PolicyGradientLoss cfg, LossBatch b, double[][] mask) {
        int rows = b.rows();
        int cols = b.cols();
        double[][] keep = new double[rows][cols];
        if (cfg.topEntropyQuantile() >= 1) {
            for (double[] row : keep) {
                java.util.Arrays.fill(row, 1);
            }
            return keep;
        }
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < cols; t++) {
                if (mask[i][t] == 1) {
                    values.add(b.entropies()[i][t]);
                }
            }
        }
        if (values.isEmpty()) {
            return keep;
        }
        Collections.sort(values);
        double q = 1 - cfg.topEntropyQuantile();
        double pos = q * (values.size() - 1);
        int lo = (int) pos;
        int hi = Math.min(lo + 1, values.size() - 1);
        double threshold = values.get(lo) + (pos - lo) * (values.get(hi) - values.get(lo));
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < cols; t++) {
                keep[i][t] = mask[i][t] == 1 && b.entropies()[i][t] >= threshold ? 1 : 0;
            }
        }
        return keep;
    }

    static double aggregate(
            PolicyGradientLoss cfg, double[][] l, double[][] mask, Double tokenNormalizer) {
        int rows = l.length;
        double total = 0;
        double tokens = 0;
        double[] rowSum = new double[rows];
        double[] rowTokens = new double[rows];
        int nonEmpty = 0;
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < l[i].length; t++) {
                rowSum[i] += l[i][t] * mask[i][t];
                rowTokens[i] += mask[i][t];
            }
            total += rowSum[i];
            tokens += rowTokens[i];
            if (rowTokens[i] > 0) {
                nonEmpty++;
            }
        }
        double length = cfg.maxCompletionLength();
        switch (cfg.aggregation()) {
            case TOKEN_MEAN:
                return total / (tokenNormalizer != null ? tokenNormalizer : Math.max(1, tokens));
            case SEQ_MEAN_TOKEN_MEAN:
                {
                    double s = 0;
                    for (int i = 0; i < rows; i++) {
                        if (rowTokens[i] > 0) {
                            s += rowSum[i] / rowTokens[i];
                        }
                    }
                    return nonEmpty == 0 ? 0 : s / nonEmpty;
                }
            case SEQ_MEAN_TOKEN_SUM:
                return nonEmpty == 0 ? 0 : total / nonEmpty;
            case SEQ_MEAN_TOKEN_SUM_NORM:
                return total / length;
            case ROW_MEAN_TOKEN_MEAN:
                {
                    double s = 0;
                    for (int i = 0; i < rows; i++) {
                        s += rowSum[i] / Math.max(1, rowTokens[i]);
                    }
                    return s / rows;
                }
            case ROW_MEAN_TOKEN_SUM:
                return total / rows;
            case ROW_MEAN_TOKEN_SUM_NORM:
                return total / (rows * length);
            default:
                throw new AssertionError(cfg.aggregation());
        }
    }
}
