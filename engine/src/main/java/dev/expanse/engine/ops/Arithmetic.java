package dev.expanse.engine.ops;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Backend;
import java.util.Arrays;

/** Elementwise sum and product of two dense tensors of one shape, forward and backward side by side. */
public final class Arithmetic {
    private Arithmetic() {
    }

    /** z = x + y. */
    public static Tensor add(Tape tape, Tensor x, Tensor y) {
        sameShape("add", x, y);
        Backend be = tape.backend();
        Tensor z = tape.output(true, x.shape());
        be.add(x.size(), x.data(), y.data(), z.data());
        tape.record(() -> {
            if (!z.hasGrad()) return;
            if (x.requiresGrad()) be.axpy(x.size(), 1f, z.grad(), x.grad());
            if (y.requiresGrad()) be.axpy(y.size(), 1f, z.grad(), y.grad());
        });
        return z;
    }

    /** z = x * y (elementwise). */
    public static Tensor mul(Tape tape, Tensor x, Tensor y) {
        sameShape("mul", x, y);
        Backend be = tape.backend();
        Tensor z = tape.output(true, x.shape());
        be.mul(x.size(), x.data(), y.data(), z.data());
        tape.record(() -> {
            if (!z.hasGrad()) return;
            int n = x.size();
            // dx += dz * y ; dy += dz * x, through a scratch product
            try (var scratch = be.allocate(n)) {
                if (x.requiresGrad()) {
                    be.mul(n, z.grad(), y.data(), scratch);
                    be.axpy(n, 1f, scratch, x.grad());
                }
                if (y.requiresGrad()) {
                    be.mul(n, z.grad(), x.data(), scratch);
                    be.axpy(n, 1f, scratch, y.grad());
                }
            }
        });
        return z;
    }

    private static void sameShape(String op, Tensor x, Tensor y) {
        if (!Arrays.equals(x.shape(), y.shape()) || x.ld() != x.cols() || y.ld() != y.cols()) {
            throw new IllegalArgumentException(op + ": shapes differ or are not dense: " + x + " and " + y);
        }
    }
}
