package dev.expanse.engine.ops;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;

/** 2-D convolution (cross-correlation) with bias, forward and backward side by side. */
public final class Conv {
    private Conv() {
    }

    /**
     * @param x [N, C, H, W]
     * @param w [F, C*KH*KW] weights (any leading dimension)
     * @param b [F, 1] bias or null; its frozen block is its own, independent of w's
     * @return y [N, F, OH, OW]
     */
    public static Tensor forward(Tape tape, Tensor x, Parameter w, Parameter b, int kh, int kw, int stride, int pad) {
        if (x.rank() != 4) throw new IllegalArgumentException("'" + w.name() + "' needs [N, C, H, W] input, got " + x);
        ConvShape s = new ConvShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.rows(), kh, kw, stride, pad);
        if (s.patch() != w.cols()) {
            throw new IllegalArgumentException("'" + w.name() + "' takes " + w.cols() / (kh * kw)
                    + " input channels, got " + x);
        }
        if (b != null && b.rows() != w.rows()) {
            throw new IllegalArgumentException("bias '" + b.name() + "' has " + b.rows() + " rows, weights " + w.rows());
        }
        Backend be = tape.backend();
        Tensor y = tape.output(true, s.n(), s.f(), s.oh(), s.ow());
        be.conv2dForward(s, x.data(), w.data(), w.ld(), b == null ? null : b.data(), y.data());

        tape.record(() -> {
            if (!y.hasGrad()) return;
            if (x.requiresGrad()) be.conv2dBackwardData(s, y.grad(), w.data(), w.ld(), x.grad());
            boolean biasTrainable = b != null && !b.fullyFrozen();
            if (!w.fullyFrozen() || biasTrainable) {
                be.conv2dBackwardWeights(s, x.data(), y.grad(), w.grad(), w.ld(), w.frozen(),
                        biasTrainable ? b.grad() : null, biasTrainable ? b.frozen() : FrozenBlock.NONE);
            }
        });
        return y;
    }
}
