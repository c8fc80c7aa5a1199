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
 * The CPU backend. Every kernel exists twice: as a plain scalar loop (the reference, the fallback,
 * and the oracle of the equivalence tests) and as a Vector API version split over all cores. This
 * class is the scalar backend, single-threaded; {@link #vector(int)} gives a subclass that
 * overrides every kernel with its Vector API twin. The choice is made once, when the backend is
 * created.
 *
 * <p>This class never touches a {@code jdk.incubator.vector} type, so the library runs without
 * {@code --add-modules jdk.incubator.vector}: {@link #vector(int)} and {@link #fromProperties()}
 * then return the scalar backend, and its {@link #name()} says why.
 *
 * <p>System properties, read by {@link #fromProperties()}:
 * <ul>
 *   <li>{@code expanse.scalar=true} forces the scalar kernels (single-threaded);</li>
 *   <li>{@code expanse.threads=N} sets the worker count (default: available processors).</li>
 * </ul>
 * Results are bit-for-bit reproducible for a fixed path and thread count, compiled by the JIT or
 * not: the vector kernels take no Vector API operation whose rounding differs between its Java
 * fallback and the JIT's intrinsic ({@code lanewise(EXP)}, {@code lanewise(TANH)} and
 * {@code reduceLanes(ADD)} did); exp and tanh are {@link CpuExp} and {@link CpuTanh}, plain IEEE
 * arithmetic, and vector sums add their lanes in order.
 */
public class CpuBackend implements Backend {

    /** The module of the Vector API kernels. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private final String name;
    /** Arrays of closed buffers, reused by later allocations of the same size (at most 256 MB kept). */
    private final ArrayPool pool = new ArrayPool(64L << 20);

    /** Subclasses only; callers use the factories. */
    CpuBackend(String name) {
        this.name = name;
    }

    /** The scalar reference kernels, single-threaded: the oracle of the equivalence tests. */
    public static CpuBackend scalar() {
        return new CpuBackend("cpu-scalar");
    }

    /**
     * The Vector API kernels on {@code threads} worker threads; the scalar backend (named so) when
     * the module {@code jdk.incubator.vector} is not in the boot layer.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static CpuBackend vector(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (!vectorModulePresent()) {
            return new CpuBackend("cpu-scalar (" + VECTOR_MODULE + " not present: run with --add-modules "
                    + VECTOR_MODULE + " for the vector kernels)");
        }
        return new VectorCpuBackend(threads);
    }

    /**
     * A CPU backend configured from the {@code expanse.scalar} and {@code expanse.threads} properties:
     * {@link #scalar()} or {@link #vector(int)}.
     */
    public static CpuBackend fromProperties() {
        if (Boolean.getBoolean("expanse.scalar")) {
            return scalar();
        }
        int threads = Integer.getInteger("expanse.threads", Runtime.getRuntime().availableProcessors());
        return vector(Math.max(1, threads));
    }

    /** True when the Vector API module is resolved in this JVM, so the vector kernels can run. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** True when this backend runs the Vector API kernels. */
    public boolean isVector() {
        return false;
    }

    /** Worker threads of the kernels: 1 for the scalar backend. */
    public int threads() {
        return 1;
    }

    /** {@code "cpu-scalar"}, {@code "cpu-vector x<threads>"}, or the scalar name with the reason there is no vector backend. */
    @Override
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- memory

    /** A zero-filled buffer; its array may be one a closed buffer of the same size gave back. */
    @Override
    public Buffer allocate(long n) {
        float[] kept = pool.take(checkedSize(n));
        if (kept == null) {
            return new CpuBuffer(this, new float[(int) n]);
        }
        clear(kept);
        return new CpuBuffer(this, kept);
    }

    /** A buffer holding whatever a closed buffer of the same size left in its array, or zeros if none is kept. */
    @Override
    public Buffer allocateUninitialized(long n) {
        float[] kept = pool.take(checkedSize(n));
        return new CpuBuffer(this, kept == null ? new float[(int) n] : kept);
    }

    private static int checkedSize(long n) {
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("CPU buffer size " + n + " is outside [0, 2^31 - 9]");
        }
        return (int) n;
    }

    /** Zero-fills a reused array; the vector backend does it on all its threads when it is large. */
    void clear(float[] a) {
        Arrays.fill(a, 0f);
    }

    /** Takes back the array of a closed buffer. */
    void release(float[] array) {
        pool.give(array);
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
        CpuGemm.gemm(transA, transB, m, n, k, alpha, of(a), (int) offA, lda, of(b), (int) offB, ldb,
                beta, of(c), (int) offC, ldc);
    }

    @Override
    public void axpy(int n, float alpha, Buffer x, Buffer y) {
        CpuElementwise.axpy(0, n, alpha, of(x), of(y));
    }

    @Override
    public void scale(int n, float alpha, Buffer x) {
        CpuElementwise.scale(0, n, alpha, of(x));
    }

    @Override
    public void add(int n, Buffer x, Buffer y, Buffer z) {
        CpuElementwise.add(0, n, of(x), of(y), of(z));
    }

    @Override
    public void mul(int n, Buffer x, Buffer y, Buffer z) {
        CpuElementwise.mul(0, n, of(x), of(y), of(z));
    }

    @Override
    public void addRowVector(int rows, int cols, Buffer y, int ldy, Buffer v) {
        CpuElementwise.addRowVector(rows, cols, of(y), ldy, of(v));
    }

    @Override
    public void sumOverRows(int rows, int cols, Buffer x, int ldx, float beta, Buffer out) {
        CpuReduce.sumOverRows(0, cols, rows, of(x), ldx, beta, of(out));
    }

    @Override
    public void sumOverColumns(int rows, int cols, Buffer x, int ldx, float beta, Buffer out) {
        CpuReduce.sumOverColumns(rows, cols, of(x), ldx, beta, of(out));
    }

    @Override
    public void argmaxRows(int rows, int cols, Buffer x, Buffer out) {
        CpuReduce.argmaxRows(rows, cols, of(x), of(out));
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activationForward(Activation f, int n, Buffer x, Buffer y) {
        CpuActivation.forward(f, 0, n, of(x), of(y));
    }

    @Override
    public void activationBackward(Activation f, int n, Buffer x, Buffer y, Buffer dy, Buffer dx, boolean accumulate) {
        CpuActivation.backward(f, 0, n, of(x), of(y), of(dy), of(dx), accumulate);
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2dForward(ConvShape s, Buffer x, Buffer w, int ldw, Buffer bias, Buffer y) {
        CpuConv.forward(s, of(x), of(w), ldw, of(bias), of(y));
    }

    @Override
    public void conv2dBackwardData(ConvShape s, Buffer dy, Buffer w, int ldw, Buffer dx) {
        CpuConv.backwardData(s, of(dy), of(w), ldw, of(dx));
    }

    @Override
    public void conv2dBackwardWeights(ConvShape s, Buffer x, Buffer dy, Buffer dw, int lddw, FrozenBlock dwFrozen,
                                      Buffer db, FrozenBlock dbFrozen) {
        CpuConv.backwardWeights(s, of(x), of(dy), of(dw), lddw, dwFrozen, of(db), dbFrozen);
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public void maxPoolForward(PoolShape s, Buffer x, Buffer y) {
        CpuMaxPool.forward(s, of(x), of(y));
    }

    @Override
    public void maxPoolBackward(PoolShape s, Buffer x, Buffer dy, Buffer dx, boolean accumulate) {
        CpuMaxPool.backward(s, of(x), of(dy), of(dx), accumulate);
    }

    // ---------------------------------------------------------------- loss

    @Override
    public void softmaxCrossEntropyForward(int rows, int cols, Buffer logits, Buffer labels,
                                           Buffer probs, Buffer losses) {
        CpuSoftmaxCrossEntropy.forward(rows, cols, of(logits), of(labels), of(probs), of(losses));
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, float scale,
                                            Buffer dlogits) {
        CpuSoftmaxCrossEntropy.backward(rows, cols, of(probs), of(labels), scale, of(dlogits));
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(int rows, int cols, int ld, FrozenBlock frozen,
                        Buffer w, Buffer g, Buffer v, float lr, float momentum, float weightDecay) {
        CpuOptimizers.sgd(rows, cols, ld, frozen, of(w), of(g), of(v), lr, momentum, weightDecay);
    }

    @Override
    public void adamStep(int rows, int cols, int ld, FrozenBlock frozen,
                         Buffer w, Buffer g, Buffer m, Buffer v,
                         float lr, float beta1, float beta2, float eps, int t) {
        CpuOptimizers.adam(rows, cols, ld, frozen, of(w), of(g), of(m), of(v),
                CpuOptimizers.AdamStep.of(lr, beta1, beta2, eps, t));
    }

    /** Drops the kept arrays; the vector backend also shuts its thread pool down. */
    @Override
    public void close() {
        pool.clear();
    }
}
