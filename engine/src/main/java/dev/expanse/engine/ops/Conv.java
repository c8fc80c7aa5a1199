package dev.expanse.engine.ops;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.ConvShape;

/** 2-D convolution (cross-correlation) with bias, forward and backward side by side. */
public final class Conv {
    private Conv() {
    }

    /**
     * @param x [N, C, H, W]
     * @param w [F, C*KH*KW] weights (any leading dimension)
     * @param b [F, 1] bias or null; it must be frozen on the same rows as w
     * @return y [N, F, OH, OW]
     */
    public static Tensor forward(Tape tape, Tensor x, Parameter w, Parameter b, int kh, int kw, int stride, int pad) {
        if (x.rank() != 4) throw new IllegalArgumentException("'" + w.name() + "' needs [N, C, H, W] input, got " + x);
        ConvShape s = new ConvShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.rows(), kh, kw, stride, pad);
        if (s.patch() != w.cols()) {
            throw new IllegalArgumentException("'" + w.name() + "' takes " + w.cols() / (kh * kw)
                    + " input channels, got " + x);
        }
        Backend be = tape.backend();
        Tensor y = tape.alloc(true, s.n(), s.f(), s.oh(), s.ow());
        be.conv2dForward(s, x.data(), w.data(), w.ld(), b == null ? null : b.data(), y.data());

        tape.record(() -> {
            if (!y.hasGrad()) return;
            if (x.requiresGrad()) be.conv2dBackwardData(s, y.grad(), w.data(), w.ld(), x.grad());
            boolean biasTrainable = b != null && !b.fullyFrozen();
            if (!w.fullyFrozen() || biasTrainable) {
                // A fully frozen w still lets a trainable bias through: skip no rows then.
                int fr = w.fullyFrozen() ? 0 : w.frozenRows();
                int fc = w.fullyFrozen() ? 0 : w.frozenCols();
                be.conv2dBackwardWeights(s, x.data(), y.grad(), w.grad(), w.ld(),
                        biasTrainable ? b.grad() : null, fr, fc);
            }
        });
        return y;
    }
}
