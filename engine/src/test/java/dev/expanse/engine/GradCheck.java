package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.fail;

import dev.expanse.kernels.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Central finite differences, accumulated in double, against the analytic backward pass.
 *
 * <p>The scalar checked is {@code L = sum_i r_i * y_i} for a fixed random r, so one backward pass
 * gives the whole gradient. Forwards run in float32; the difference quotient and L are computed in
 * double. Each check states its step h and tolerance {@code |num - ana| <= atol + rtol*|num|}.
 */
final class GradCheck {
    private final Backend backend;
    private final double h, atol, rtol;
    private final List<float[]> inputs = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private double kinkLimit = -1;
    private int checked, skipped;

    GradCheck(Backend backend, double h, double atol, double rtol) {
        this.backend = backend;
        this.h = h;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** Adds an input tensor (a gradient-collecting leaf); returns its index for the function. */
    GradCheck input(float[] values, int... shape) {
        inputs.add(values.clone());
        shapes.add(shape.clone());
        return this;
    }

    /**
     * For compositions of piecewise-linear ops (ReLU, max-pool) whose kinks cannot all be kept away
     * from the inputs: a coordinate whose step crosses a kink shows a second difference
     * |L(+h) + L(-h) - 2 L(0)| above {@code limit} (without a kink it is float rounding, about 1e-6)
     * and is skipped; at most 5% of the coordinates may be skipped.
     */
    GradCheck skipKinks(double limit) {
        this.kinkLimit = limit;
        return this;
    }

    /** Adds a parameter whose gradient is checked (cells in its frozen block must get exactly 0). */
    GradCheck param(Parameter p) {
        params.add(p);
        return this;
    }

    /**
     * Checks {@code f(tape, inputTensors)}: every input element and every parameter cell.
     * Frozen parameter cells must have an analytic gradient of exactly zero.
     */
    void check(BiFunction<Tape, Tensor[], Tensor> f, long seed) {
        Rng rng = new Rng(seed);
        // Analytic pass
        float[] r;
        List<float[]> inputGrads = new ArrayList<>();
        List<float[]> paramGrads = new ArrayList<>();
        params.forEach(Parameter::zeroGrad);
        try (Tape tape = new Tape(backend, true)) {
            Tensor[] xs = leaves(tape, true);
            Tensor y = f.apply(tape, xs);
            r = new float[y.size()];
            for (int i = 0; i < r.length; i++) r[i] = (float) (rng.nextDouble() * 2 - 1);
            tape.backward(y, r);
            for (Tensor x : xs) inputGrads.add(x.gradToArray());
            for (Parameter p : params) paramGrads.add(p.gradToArray());
        }
        double l0 = loss(f, r);
        // Numeric pass over inputs
        for (int k = 0; k < inputs.size(); k++) {
            float[] x = inputs.get(k);
            for (int i = 0; i < x.length; i++) {
                float keep = x[i];
                x[i] = (float) (keep + h);
                double lp = loss(f, r);
                x[i] = (float) (keep - h);
                double lm = loss(f, r);
                x[i] = keep;
                compare("input " + k + "[" + i + "]", lp, lm, l0, inputGrads.get(k)[i]);
            }
        }
        // Numeric pass over parameter cells
        for (int k = 0; k < params.size(); k++) {
            Parameter p = params.get(k);
            float[] w = p.toArray();
            for (int i = 0; i < w.length; i++) {
                int row = i / p.cols(), col = i % p.cols();
                float ana = paramGrads.get(k)[i];
                if (p.frozen().contains(row, col)) {
                    if (ana != 0f) fail(p.name() + "[" + row + "," + col + "] is frozen but got gradient " + ana);
                    continue;
                }
                float keep = w[i];
                w[i] = (float) (keep + h);
                p.set(w);
                double lp = loss(f, r);
                w[i] = (float) (keep - h);
                p.set(w);
                double lm = loss(f, r);
                w[i] = keep;
                p.set(w);
                compare(p.name() + "[" + row + "," + col + "]", lp, lm, l0, ana);
            }
        }
        if (skipped > 0.05 * (checked + skipped)) {
            fail("kinks crossed at " + skipped + " of " + (checked + skipped) + " coordinates; choose other inputs");
        }
    }

    private Tensor[] leaves(Tape tape, boolean grad) {
        Tensor[] xs = new Tensor[inputs.size()];
        for (int k = 0; k < xs.length; k++) {
            xs[k] = grad ? tape.variable(inputs.get(k), shapes.get(k)) : tape.constant(inputs.get(k), shapes.get(k));
        }
        return xs;
    }

    private double loss(BiFunction<Tape, Tensor[], Tensor> f, float[] r) {
        try (Tape tape = new Tape(backend, false)) {
            float[] y = f.apply(tape, leaves(tape, false)).toArray();
            double l = 0;
            for (int i = 0; i < y.length; i++) l += (double) r[i] * y[i];
            return l;
        }
    }

    private void compare(String where, double lp, double lm, double l0, double ana) {
        if (kinkLimit >= 0 && Math.abs(lp + lm - 2 * l0) > kinkLimit) {
            skipped++;
            return;
        }
        checked++;
        double num = (lp - lm) / (2 * h);
        if (!(Math.abs(num - ana) <= atol + rtol * Math.abs(num))) {
            fail(String.format("gradient of %s: numeric %.6g, analytic %.6g (h=%g, atol=%g, rtol=%g)",
                    where, num, ana, h, atol, rtol));
        }
    }

    /** Uniform values in [-1, 1) with |v| >= margin, so ReLU kinks are never crossed by a step h < margin. */
    static float[] awayFromZero(Rng rng, int n, double margin) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = margin + rng.nextDouble() * (1 - margin);
            v[i] = (float) (rng.nextDouble() < 0.5 ? -u : u);
        }
        return v;
    }

    static float[] uniform(Rng rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return v;
    }

    /** A random permutation of n values spaced {@code gap} apart: no two values within gap, so max-pool argmaxes are stable. */
    static float[] distinct(Rng rng, int n, double gap) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        rng.shuffle(perm);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((perm[i] - n / 2.0) * gap);
        return v;
    }
}
