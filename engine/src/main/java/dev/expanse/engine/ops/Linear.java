package dev.expanse.engine.ops;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.FrozenBlock;
import java.util.List;

/** The affine map of a dense layer, {@code y = x W^T + b}, forward and backward side by side. */
public final class Linear {
    private Linear() {
    }

    /**
     * @param x [N, in] activations
     * @param w [out, in] weights (any leading dimension)
     * @param b [out, 1] bias, or null
     * @return y [N, out]
     */
    public static Tensor forward(Tape tape, Tensor x, Parameter w, Parameter b) {
        int n = x.rows(), in = w.cols(), out = w.rows();
        if (x.cols() != in) {
            throw new IllegalArgumentException("'" + w.name() + "' takes " + in + " inputs, got " + x);
        }
        if (b != null && b.rows() != out) {
            throw new IllegalArgumentException("bias '" + b.name() + "' has " + b.rows() + " rows, weights " + out);
        }
        Backend be = tape.backend();
        Tensor y = tape.output(true, n, out);
        // y[N,out] = x[N,in] * W^T
        be.gemm(false, true, n, out, in, 1f, x.data(), 0, x.ld(), w.data(), 0, w.ld(), 0f, y.data(), 0, out);
        if (b != null) be.addRowVector(n, out, y.data(), out, b.data());

        tape.record(() -> {
            if (!y.hasGrad()) return;
            Buffer dy = y.grad();
            if (x.requiresGrad()) {
                // dx[N,in] += dy[N,out] * W[out,in]
                be.gemm(false, false, n, in, out, 1f, dy, 0, out, w.data(), 0, w.ld(), 1f, x.grad(), 0, x.ld());
            }
            weightGradient(be, n, dy, out, x, w);
            if (b != null && !b.fullyFrozen()) biasGradient(be, n, dy, out, b);
        });
        return y;
    }

    /** db[out] += column sums of dy, over the bias's trainable rows only. */
    private static void biasGradient(Backend be, int n, Buffer dy, int out, Parameter b) {
        int fr = b.frozen().firstTrainableRow(0, out);
        if (fr == 0) {
            be.sumOverRows(n, out, dy, out, 1f, b.grad());
            return;
        }
        // A column sum over a column range is a product with a ones vector: db[fr:] += dy[:, fr:]^T * 1
        try (Buffer ones = be.allocate(n)) {
            be.fill(ones, 0, n, 1f);
            be.gemm(true, false, out - fr, 1, n, 1f, dy, fr, out, ones, 0, 1, 1f, b.grad(), fr, 1);
        }
    }

    /**
     * dW += dy^T x over the trainable cells only: the two rectangles outside the frozen block
     * (the rows below it in full, then the new columns of its rows).
     */
    private static void weightGradient(Backend be, int n, Buffer dy, int out, Tensor x, Parameter w) {
        if (w.fullyFrozen()) return;
        int in = w.cols(), ld = w.ld();
        for (FrozenBlock.Rect r : List.of(w.frozen().below(out, in), w.frozen().right(out, in))) {
            if (r.isEmpty()) continue;
            // dW[r] += dy[:, rows of r]^T * x[:, columns of r]
            be.gemm(true, false, r.rows(), r.cols(), n, 1f, dy, r.row(), out, x.data(), r.col(), x.ld(),
                    1f, w.grad(), (long) r.row() * ld + r.col(), ld);
        }
    }
}
