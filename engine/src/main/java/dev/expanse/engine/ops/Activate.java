package dev.expanse.engine.ops;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;

/** {@code y = f(x)} elementwise for an {@link Activation} f, forward and backward side by side. */
public final class Activate {
    private Activate() {
    }

    /** y = f(x), same shape as the dense tensor x; the backward adds f'(x) * dy to dx. */
    public static Tensor forward(Tape tape, Tensor x, Activation f) {
        if (x.ld() != x.cols()) throw new IllegalArgumentException(f.id() + " needs a dense tensor, got " + x);
        Backend be = tape.backend();
        Tensor y = tape.output(true, x.shape());
        be.activationForward(f, x.size(), x.data(), y.data());
        tape.record(() -> {
            if (y.hasGrad() && x.requiresGrad()) {
                // the first gradient to reach x writes it whole: no zero-filling pass before it
                boolean accumulate = x.hasGrad();
                be.activationBackward(f, x.size(), x.data(), y.data(), y.grad(),
                        accumulate ? x.grad() : x.gradToOverwrite(), accumulate);
            }
        });
        return y;
    }
}
