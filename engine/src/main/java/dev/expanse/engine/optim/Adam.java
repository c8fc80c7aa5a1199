package dev.expanse.engine.optim;

import dev.expanse.engine.Parameter;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Adam (Kingma and Ba 2015) with bias correction. One step count per optimizer: cells added by
 * growth start with zero moments, and the bias correction, near 1 by then, treats them as warm.
 */
public final class Adam extends Optimizer {
    private final float beta1, beta2, eps;
    private int t;

    /** Adam with the usual defaults beta1 = 0.9, beta2 = 0.999, eps = 1e-8 (Keras uses 1e-7). */
    public Adam(Supplier<List<Parameter>> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f);
    }

    /** @throws IllegalArgumentException unless lr and eps are finite and > 0 and beta1, beta2 in [0, 1) */
    public Adam(Supplier<List<Parameter>> params, float lr, float beta1, float beta2, float eps) {
        super(params, lr);
        // Written so that NaN fails every test: beta1 = NaN used to pass "beta1 < 0 || beta1 >= 1".
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0 && eps < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Adam: need 0 <= beta1, beta2 < 1 and eps > 0, got "
                    + beta1 + ", " + beta2 + ", " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** Steps taken so far. */
    public int steps() { return t; }

    @Override
    protected int slotsPerParameter() { return 2; }

    @Override
    protected String kind() { return "adam"; }

    @Override
    protected Map<String, Double> settings() {
        return Map.of("beta1", (double) beta1, "beta2", (double) beta2, "eps", (double) eps);
    }

    @Override
    protected long stepCount() { return t; }

    @Override
    protected void restoreStep(long step) {
        if (step < 0 || step > Integer.MAX_VALUE) throw new IllegalArgumentException("Adam: bad step count " + step);
        t = (int) step;
    }

    @Override
    protected void beforeStep() { t++; }

    @Override
    protected void update(Parameter p, int slot) {
        p.backend().adamStep(p.rows(), p.cols(), p.ld(), p.frozen(),
                p.data(), p.grad(), p.slot(slot), p.slot(slot + 1), learningRate(), beta1, beta2, eps, t);
    }
}
