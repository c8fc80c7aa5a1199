package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.CpuBuffer.of;

import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import dev.expanse.kernels.PoolShape;
import java.util.Arrays;

/**
 * The CPU backend: every kernel exists twice, as a plain scalar loop (the reference, and the
 * oracle of the equivalence tests) and as a Vector API version split over all cores.
 *
 * <p>System properties, read by {@link #fromProperties()}:
 * <ul>
 *   <li>{@code expanse.scalar=true} forces the scalar kernels (single-threaded);</li>
 *   <li>{@code expanse.threads=N} sets the worker count (default: available processors).</li>
 * </ul>
 * Results are bit-for-bit reproducible for a fixed path and thread count.
 */
public final class CpuBackend implements Backend {

    private final boolean vector;
    private final Parallel par;

    /**
     * @param vector  true for the Vector API kernels, false for the scalar reference kernels
     * @param threads worker threads for the vector kernels, >= 1
     */
    public CpuBackend(boolean vector, int threads) {
        this.vector = vector;
        this.par = new Parallel(vector ? threads : 1);
    }

    /** The scalar reference kernels, single-threaded: the oracle of the equivalence tests. */
    public static CpuBackend scalar() {
        return new CpuBackend(false, 1);
    }

    /** The Vector API kernels on {@code threads} worker threads. */
    public static CpuBackend vector(int threads) {
        return new CpuBackend(true, threads);
    }

    /** A CPU backend configured from the {@code expanse.scalar} and {@code expanse.threads} properties. */
    public static CpuBackend fromProperties() {
        boolean scalar = Boolean.getBoolean("expanse.scalar");
        int threads = Integer.getInteger("expanse.threads", Runtime.getRuntime().availableProcessors());
        return new CpuBackend(!scalar, Math.max(1, threads));
    }

    /** True when this backend runs the Vector API kernels. */
    public boolean isVector() {
        return vector;
    }

    public int threads() {
        return par.threads();
    }

    @Override
    public String name() {
        return vector ? "cpu-vector x" + par.threads() : "cpu-scalar";
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Buffer allocate(long n) {
        return new CpuBuffer(this, n);
    }

    @Override
    public void upload(float[] src, int srcOff, Buffer dst, long dstOff, int n) {
        System.arraycopy(src, srcOff, of(dst), (int) dstOff, n);
    }

    @Override
    public void download(Buffer src, long srcOff, float[] dst, int dstOff, int n) {
        System.arraycopy(of(src), (int) srcOff, dst, dstOff, n);
    }

    @Override
    public void copy2d(int rows, int cols, Buffer src, long srcOff, int lds, Buffer dst, long dstOff, int ldd) {
        float[] s = of(src), d = of(dst);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(s, (int) srcOff + r * lds, d, (int) dstOff + r * ldd, cols);
        }
    }

    @Override
    public void fill(Buffer x, long off, long n, float value) {
        Arrays.fill(of(x), (int) off, (int) (off + n), value);
    }

    // ---------------------------------------------------------------- BLAS-like

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Buffer a, long offA, int lda, Buffer b, long offB, int ldb,
                     float beta, Buffer c, long offC, int ldc) {
        if (vector) {
            CpuGemm.vector(par, transA, transB, m, n, k, alpha, of(a), (int) offA, lda, of(b), (int) offB, ldb,
                    beta, of(c), (int) offC, ldc);
        } else {
            CpuGemm.scalar(transA, transB, m, n, k, alpha, of(a), (int) offA, lda, of(b), (int) offB, ldb,
                    beta, of(c), (int) offC, ldc);
        }
    }

    @Override
    public void axpy(int n, float alpha, Buffer x, Buffer y) {
        if (vector) CpuElementwise.axpyVector(par, n, alpha, of(x), of(y));
        else CpuElementwise.axpyScalar(n, alpha, of(x), of(y));
    }

    @Override
    public void scale(int n, float alpha, Buffer x) {
        if (vector) CpuElementwise.scaleVector(par, n, alpha, of(x));
        else CpuElementwise.scaleScalar(n, alpha, of(x));
    }

    @Override
    public void add(int n, Buffer x, Buffer y, Buffer z) {
        if (vector) CpuElementwise.addVector(par, n, of(x), of(y), of(z));
        else CpuElementwise.addScalar(n, of(x), of(y), of(z));
    }

    @Override
    public void mul(int n, Buffer x, Buffer y, Buffer z) {
        if (vector) CpuElementwise.mulVector(par, n, of(x), of(y), of(z));
        else CpuElementwise.mulScalar(n, of(x), of(y), of(z));
    }

    @Override
    public void addRowVector(int rows, int cols, Buffer y, int ldy, Buffer v) {
        if (vector) CpuElementwise.addRowVectorVector(par, rows, cols, of(y), ldy, of(v));
        else CpuElementwise.addRowVectorScalar(rows, cols, of(y), ldy, of(v));
    }

    @Override
    public void sumOverRows(int rows, int cols, Buffer x, int ldx, float beta, Buffer out) {
        if (vector) CpuReduce.sumOverRowsVector(par, rows, cols, of(x), ldx, beta, of(out));
        else CpuReduce.sumOverRowsScalar(rows, cols, of(x), ldx, beta, of(out));
    }

    @Override
    public void sumOverColumns(int rows, int cols, Buffer x, int ldx, float beta, Buffer out) {
        if (vector) CpuReduce.sumOverColumnsVector(par, rows, cols, of(x), ldx, beta, of(out));
        else CpuReduce.sumOverColumnsScalar(rows, cols, of(x), ldx, beta, of(out));
    }

    @Override
    public void argmaxRows(int rows, int cols, Buffer x, Buffer out) {
        if (vector) CpuReduce.argmaxRowsVector(par, rows, cols, of(x), of(out));
        else CpuReduce.argmaxRowsScalar(rows, cols, of(x), of(out));
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activationForward(Activation f, int n, Buffer x, Buffer y) {
        if (vector && f == Activation.RELU) {
            CpuActivation.forwardVector(par, n, of(x), of(y));
            return;
        }
        float[] xs = of(x), ys = of(y);
        for (int i = 0; i < n; i++) ys[i] = f.forward(xs[i]);
    }

    @Override
    public void activationBackward(Activation f, int n, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        if (vector && f == Activation.RELU) {
            CpuActivation.backwardVector(par, n, of(x), of(dy), of(dx));
            return;
        }
        float[] xs = of(x), ys = of(y), dys = of(dy), dxs = of(dx);
        for (int i = 0; i < n; i++) dxs[i] = f.backward(xs[i], ys[i], dys[i], dxs[i]);
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2dForward(ConvShape s, Buffer x, Buffer w, int ldw, Buffer bias, Buffer y) {
        if (vector) CpuConv.forwardVector(par, s, of(x), of(w), ldw, of(bias), of(y));
        else CpuConv.forwardScalar(s, of(x), of(w), ldw, of(bias), of(y));
    }

    @Override
    public void conv2dBackwardData(ConvShape s, Buffer dy, Buffer w, int ldw, Buffer dx) {
        if (vector) CpuConv.backwardDataVector(par, s, of(dy), of(w), ldw, of(dx));
        else CpuConv.backwardDataScalar(s, of(dy), of(w), ldw, of(dx));
    }

    @Override
    public void conv2dBackwardWeights(ConvShape s, Buffer x, Buffer dy, Buffer dw, int lddw, FrozenBlock dwFrozen,
                                      Buffer db, FrozenBlock dbFrozen) {
        int frozenRows = dwFrozen.clampTo(s.f(), s.patch()).rows(), frozenCols = dwFrozen.clampTo(s.f(), s.patch()).cols();
        if (vector) CpuConv.backwardWeightsVector(par, s, of(x), of(dy), of(dw), lddw, of(db), frozenRows, frozenCols);
        else CpuConv.backwardWeightsScalar(s, of(x), of(dy), of(dw), lddw, of(db), frozenRows, frozenCols);
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public void maxPoolForward(PoolShape s, Buffer x, Buffer y) {
        if (vector) CpuMaxPool.forwardVector(par, s, of(x), of(y));
        else CpuMaxPool.forwardScalar(s, of(x), of(y));
    }

    @Override
    public void maxPoolBackward(PoolShape s, Buffer x, Buffer dy, Buffer dx) {
        if (vector) CpuMaxPool.backwardVector(par, s, of(x), of(dy), of(dx));
        else CpuMaxPool.backwardScalar(s, of(x), of(dy), of(dx));
    }

    // ---------------------------------------------------------------- loss

    @Override
    public void softmaxCrossEntropyForward(int rows, int cols, Buffer logits, Buffer labels,
                                           Buffer probs, Buffer losses) {
        if (vector) CpuSoftmaxCrossEntropy.forwardVector(par, rows, cols, of(logits), of(labels), of(probs), of(losses));
        else CpuSoftmaxCrossEntropy.forwardScalar(rows, cols, of(logits), of(labels), of(probs), of(losses));
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, float scale,
                                            Buffer dlogits) {
        if (vector) CpuSoftmaxCrossEntropy.backwardVector(par, rows, cols, of(probs), of(labels), scale, of(dlogits));
        else CpuSoftmaxCrossEntropy.backwardScalar(rows, cols, of(probs), of(labels), scale, of(dlogits));
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(int rows, int cols, int ld, FrozenBlock frozen,
                        Buffer w, Buffer g, Buffer v, float lr, float momentum, float weightDecay) {
        int frozenRows = frozen.clampTo(rows, cols).rows(), frozenCols = frozen.clampTo(rows, cols).cols();
        if (vector) CpuOptimizers.sgdVector(par, rows, cols, ld, frozenRows, frozenCols, of(w), of(g), of(v), lr, momentum, weightDecay);
        else CpuOptimizers.sgdScalar(rows, cols, ld, frozenRows, frozenCols, of(w), of(g), of(v), lr, momentum, weightDecay);
    }

    @Override
    public void adamStep(int rows, int cols, int ld, FrozenBlock frozen,
                         Buffer w, Buffer g, Buffer m, Buffer v,
                         float lr, float beta1, float beta2, float eps, int t) {
        int frozenRows = frozen.clampTo(rows, cols).rows(), frozenCols = frozen.clampTo(rows, cols).cols();
        if (vector) CpuOptimizers.adamVector(par, rows, cols, ld, frozenRows, frozenCols, of(w), of(g), of(m), of(v), lr, beta1, beta2, eps, t);
        else CpuOptimizers.adamScalar(rows, cols, ld, frozenRows, frozenCols, of(w), of(g), of(m), of(v), lr, beta1, beta2, eps, t);
    }

    @Override
    public void close() {
        par.close();
    }
}
