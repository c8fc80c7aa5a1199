package dev.expanse.engine.ops;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.PoolShape;

/** 2-D max-pooling, forward and backward side by side. */
public final class MaxPool {
    private MaxPool() {
    }

    /** x [N, C, H, W] to y [N, C, OH, OW] with k x k windows moved by stride. */
    public static Tensor forward(Tape tape, Tensor x, int k, int stride) {
        if (x.rank() != 4) throw new IllegalArgumentException("max-pool needs [N, C, H, W] input, got " + x);
        PoolShape s = new PoolShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), k, stride);
        Backend be = tape.backend();
        Tensor y = tape.output(true, s.n(), s.c(), s.oh(), s.ow());
        be.maxPoolForward(s, x.data(), y.data());
        tape.record(() -> {
            if (y.hasGrad() && x.requiresGrad()) {
                // the first gradient to reach x: the kernel zero-fills dx plane by plane, in cache
                boolean accumulate = x.hasGrad();
                be.maxPoolBackward(s, x.data(), y.grad(), accumulate ? x.grad() : x.gradToOverwrite(), accumulate);
            }
        });
        return y;
    }
}
