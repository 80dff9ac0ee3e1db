package dev.clgrad.optim;

import dev.clgrad.Tensor;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * What {@link Adam} and {@link AdamW} share: the moment estimates, bias corrections, AMSGrad
 * and the checks of their hyperparameters. They differ only in how weight decay enters
 * ({@link #applyWeightDecay}). The setters are declared again on each subclass so that they
 * return it.
 */
abstract class AdamBase extends Optimizer {
    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";
    static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay;
    boolean amsgrad;
    boolean maximize;

    AdamBase(List<Tensor> params, double lr, double weightDecay) {
        super(params, lr);
        if (!(0.0 <= lr)) {
            throw new IllegalArgumentException("Invalid learning rate: " + repr(lr));
        }
        this.weightDecay = weightDecay;
    }

    final void setBetas(double beta1, double beta2) {
        if (!(0.0 <= beta1 && beta1 < 1.0)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 0: " + repr(beta1));
        }
        if (!(0.0 <= beta2 && beta2 < 1.0)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 1: " + repr(beta2));
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    final void setEps(double eps) {
        if (!(0.0 <= eps)) {
            throw new IllegalArgumentException("Invalid epsilon value: " + repr(eps));
        }
        this.eps = eps;
    }

    final void setWeightDecay(double weightDecay) {
        if (!(0.0 <= weightDecay)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + repr(weightDecay));
        }
        this.weightDecay = weightDecay;
    }

    /** Adam adds {@code weightDecay * param} to the gradient; AdamW shrinks the parameter. Returns the gradient to use. */
    abstract Tensor applyWeightDecay(Tensor param, Tensor grad);

    @Override
    final void update(Tensor param, Tensor grad, ParamState s) {
        if (s.isEmpty()) {
            s.hasStep = true;
            s.step = 0f;
            s.put(EXP_AVG, param.newZeros(param.shape()));
            s.put(EXP_AVG_SQ, param.newZeros(param.shape()));
            if (amsgrad) {
                s.put(MAX_EXP_AVG_SQ, param.newZeros(param.shape()));
            }
        }
        Tensor g = maximize ? grad.neg() : grad;
        s.step += 1f;
        g = applyWeightDecay(param, g);
        Tensor expAvg = s.buffer(EXP_AVG);
        Tensor expAvgSq = s.buffer(EXP_AVG_SQ);
        decayAverage(expAvg, g, beta1);
        decaySquareAverage(expAvgSq, g, beta2);

        double step = s.step;
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr() / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);

        Tensor second = expAvgSq;
        if (amsgrad) {
            // amsgrad turned on after the state was made: start the maximum from zero
            Tensor max = s.buffer(MAX_EXP_AVG_SQ, () -> param.newZeros(param.shape()));
            maximumInPlace(max, expAvgSq);
            second = max;
        }
        Tensor denom = second.sqrt().div(biasCorrection2Sqrt).add_(eps);
        addQuotient(param, expAvg, denom, -stepSize);
    }

    /** {@code avg.mul_(beta).add_(g, alpha=1 - beta)}. */
    private static void decayAverage(Tensor avg, Tensor g, double beta) {
        avg.mul_(beta).add_(g.mul(1 - beta));
    }

    /** {@code avgSq.mul_(beta).addcmul_(g, g, value=1 - beta)}: addcmul computes {@code (value * g) * g}. */
    private static void decaySquareAverage(Tensor avgSq, Tensor g, double beta) {
        avgSq.mul_(beta).addcmul_(g, g, 1 - beta);
    }

    /** {@code torch.maximum(max, other, out=max)}. */
    private static void maximumInPlace(Tensor max, Tensor other) {
        max.copy_(max.maximum(other));
    }

    /** {@code param.addcdiv_(num, denom, value=value)}: addcdiv computes {@code (value * num) / denom}. */
    private static void addQuotient(Tensor param, Tensor num, Tensor denom, double value) {
        param.addcdiv_(num, denom, value);
    }

    @Override
    final LinkedHashMap<String, Double> hyperparameters() {
        LinkedHashMap<String, Double> h = new LinkedHashMap<>();
        h.put("betas.0", beta1);
        h.put("betas.1", beta2);
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        h.put("amsgrad", amsgrad ? 1.0 : 0.0);
        h.put("maximize", maximize ? 1.0 : 0.0);
        return h;
    }

    @Override
    final void restoreHyperparameter(String name, double value) {
        switch (name) {
            case "betas.0" -> beta1 = value;
            case "betas.1" -> beta2 = value;
            case "eps" -> eps = value;
            case "weight_decay" -> weightDecay = value;
            case "amsgrad" -> amsgrad = value != 0;
            case "maximize" -> maximize = value != 0;
            default -> throw new IllegalArgumentException(getClass().getSimpleName() + " has no hyperparameter " + name);
        }
    }

    @Override
    final List<String> bufferNames() {
        return List.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ);
    }
}
