package dev.expanse.engine.ops;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Backend;

/** y = max(x, 0), forward and backward side by side. */
public final class Relu {
    private Relu() {
    }

    public static Tensor forward(Tape tape, Tensor x) {
        Backend be = tape.backend();
        Tensor y = tape.alloc(true, x.shape());
        be.reluForward(x.size(), x.data(), y.data());
        tape.record(() -> {
            if (y.hasGrad() && x.requiresGrad()) be.reluBackward(x.size(), x.data(), y.grad(), x.grad());
        });
        return y;
    }
}
