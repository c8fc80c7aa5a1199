package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.CpuBuffer.of;

import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import dev.expanse.kernels.PoolShape;
import java.util.Arrays;

/**
 * The CPU backend on the Vector API kernels (the nested {@code Vector} classes of each family),
 * split over a private pool of worker threads. Made only by {@link CpuBackend#vector(int)} once it
 * has found the module {@code jdk.incubator.vector}; memory handling is the scalar backend's.
 *
 * <p>This class names no {@code jdk.incubator.vector} type either: the JVM loads and initialises a
 * family's {@code Vector} class (and its species) when one of its kernels first runs.
 */
final class VectorCpuBackend extends CpuBackend {

    private final Parallel par;

    VectorCpuBackend(int threads) {
        super("cpu-vector x" + threads);
        this.par = new Parallel(threads);
    }

    @Override
    public boolean isVector() {
        return true;
    }

    @Override
    public int threads() {
        return par.threads();
    }

    // ---------------------------------------------------------------- memory

    /** Zero-fills a reused array, split over the threads: a training step allocates tens of megabytes. */
    @Override
    void clear(float[] a) {
        par.forRange(a.length, 4 * CpuElementwise.GRAIN, (lo, hi) -> Arrays.fill(a, lo, hi, 0f));
    }

    /** The fill of a range, split over the threads when it is large (zeroing gradients every step). */
    @Override
    public void fill(Buffer x, long off, long n, float value) {
        float[] a = of(x);
        int o = (int) off;
        par.forRange((int) n, 4 * CpuElementwise.GRAIN, (lo, hi) -> Arrays.fill(a, o + lo, o + hi, value));
    }

    // ---------------------------------------------------------------- BLAS-like

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Buffer a, long offA, int lda, Buffer b, long offB, int ldb,
                     float beta, Buffer c, long offC, int ldc) {
        CpuGemm.Vector.gemm(par, transA, transB, m, n, k, alpha, of(a), (int) offA, lda, of(b), (int) offB, ldb,
                beta, of(c), (int) offC, ldc);
    }

    @Override
    public void axpy(int n, float alpha, Buffer x, Buffer y) {
        CpuElementwise.Vector.axpy(par, n, alpha, of(x), of(y));
    }

    @Override
    public void scale(int n, float alpha, Buffer x) {
        CpuElementwise.Vector.scale(par, n, alpha, of(x));
    }

    @Override
    public void add(int n, Buffer x, Buffer y, Buffer z) {
        CpuElementwise.Vector.add(par, n, of(x), of(y), of(z));
    }

    @Override
    public void mul(int n, Buffer x, Buffer y, Buffer z) {
        CpuElementwise.Vector.mul(par, n, of(x), of(y), of(z));
    }

    @Override
    public void addRowVector(int rows, int cols, Buffer y, int ldy, Buffer v) {
        CpuElementwise.Vector.addRowVector(par, rows, cols, of(y), ldy, of(v));
    }

    @Override
    public void sumOverRows(int rows, int cols, Buffer x, int ldx, float beta, Buffer out) {
        CpuReduce.Vector.sumOverRows(par, rows, cols, of(x), ldx, beta, of(out));
    }

    @Override
    public void sumOverColumns(int rows, int cols, Buffer x, int ldx, float beta, Buffer out) {
        CpuReduce.Vector.sumOverColumns(par, rows, cols, of(x), ldx, beta, of(out));
    }

    @Override
    public void argmaxRows(int rows, int cols, Buffer x, Buffer out) {
        CpuReduce.Vector.argmaxRows(par, rows, cols, of(x), of(out));
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activationForward(Activation f, int n, Buffer x, Buffer y) {
        CpuActivation.Vector.forward(par, f, n, of(x), of(y));
    }

    @Override
    public void activationBackward(Activation f, int n, Buffer x, Buffer y, Buffer dy, Buffer dx, boolean accumulate) {
        CpuActivation.Vector.backward(par, f, n, of(x), of(y), of(dy), of(dx), accumulate);
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2dForward(ConvShape s, Buffer x, Buffer w, int ldw, Buffer bias, Buffer y) {
        CpuConv.Vector.forward(par, s, of(x), of(w), ldw, of(bias), of(y));
    }

    @Override
    public void conv2dBackwardData(ConvShape s, Buffer dy, Buffer w, int ldw, Buffer dx) {
        CpuConv.Vector.backwardData(par, s, of(dy), of(w), ldw, of(dx));
    }

    @Override
    public void conv2dBackwardWeights(ConvShape s, Buffer x, Buffer dy, Buffer dw, int lddw, FrozenBlock dwFrozen,
                                      Buffer db, FrozenBlock dbFrozen) {
        CpuConv.Vector.backwardWeights(par, s, of(x), of(dy), of(dw), lddw, dwFrozen, of(db), dbFrozen);
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public void maxPoolForward(PoolShape s, Buffer x, Buffer y) {
        CpuMaxPool.Vector.forward(par, s, of(x), of(y));
    }

    @Override
    public void maxPoolBackward(PoolShape s, Buffer x, Buffer dy, Buffer dx, boolean accumulate) {
        CpuMaxPool.Vector.backward(par, s, of(x), of(dy), of(dx), accumulate);
    }

    // ---------------------------------------------------------------- loss

    @Override
    public void softmaxCrossEntropyForward(int rows, int cols, Buffer logits, Buffer labels,
                                           Buffer probs, Buffer losses) {
        CpuSoftmaxCrossEntropy.Vector.forward(par, rows, cols, of(logits), of(labels), of(probs), of(losses));
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, float scale,
                                            Buffer dlogits) {
        CpuSoftmaxCrossEntropy.Vector.backward(par, rows, cols, of(probs), of(labels), scale, of(dlogits));
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(int rows, int cols, int ld, FrozenBlock frozen,
                        Buffer w, Buffer g, Buffer v, float lr, float momentum, float weightDecay) {
        CpuOptimizers.Vector.sgd(par, rows, cols, ld, frozen, of(w), of(g), of(v), lr, momentum, weightDecay);
    }

    @Override
    public void adamStep(int rows, int cols, int ld, FrozenBlock frozen,
                         Buffer w, Buffer g, Buffer m, Buffer v,
                         float lr, float beta1, float beta2, float eps, int t) {
        CpuOptimizers.Vector.adam(par, rows, cols, ld, frozen, of(w), of(g), of(m), of(v),
                CpuOptimizers.AdamStep.of(lr, beta1, beta2, eps, t));
    }

    @Override
    public void close() {
        super.close();
        par.close();
    }
}
