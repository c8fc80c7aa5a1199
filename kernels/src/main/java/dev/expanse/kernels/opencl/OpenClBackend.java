package dev.expanse.kernels.opencl;

import static dev.expanse.kernels.opencl.Cl.check;

import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import dev.expanse.kernels.PoolShape;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/**
 * The OpenCL 1.2 backend: every kernel of {@link Backend} runs on one OpenCL device, from the
 * hand-written {@code .cl} sources in {@code dev/expanse/kernels/opencl/}. Programs are built once,
 * on first use, and cached.
 *
 * <p>Kernels are enqueued on one in-order queue and return without waiting; {@link #download}
 * blocks until the data is there, which makes the backend synchronous as the contract requires.
 * GEMM (and with it convolution) has two variants, chosen by device type: float16 register tiles
 * for CPU devices such as PoCL, local-memory tiles for GPUs; on CPU devices convolutions of
 * stride 1 run direct kernels with the same register tile instead of im2col + GEMM. The activation functions share one
 * pair of kernels that switch on the function's code ({@code ClActivation}); frozen blocks travel
 * whole down to the host code of each kernel, which clamps them to the matrix.
 *
 * <p>Use one backend from one thread at a time. Buffers are limited to 2^31 - 9 floats, as on
 * the CPU backend. Failures of OpenCL calls throw {@link OpenClException} naming the call.
 */
public final class OpenClBackend implements Backend {
    private final ClRuntime rt;
    private final Set<OpenClBuffer.Memory> live = ConcurrentHashMap.newKeySet();
    private final ClGemm gemm;
    private final ClElementwise elementwise;
    private final ClActivation activation;
    private final ClReduce reduce;
    private final ClConv conv;
    private final ClMaxPool maxPool;
    private final ClSoftmaxCrossEntropy softmaxCrossEntropy;
    private final ClOptimizers optimizers;
    private volatile boolean closed;

    /**
     * Opens a context and queue on {@code device}. Kernels are compiled lazily, so a broken
     * compiler shows up on first use; {@link #selfTest()} forces that.
     *
     * @throws OpenClException when the context or queue cannot be created
     */
    public OpenClBackend(OpenClDevice device) {
        this(device, ClGemm.variantFor(device), ClConv.chunkFloatsFor(device));
    }

    /**
     * For tests: runs the given GEMM variant whatever the device type, and convolutions in chunks
     * of at most {@code convChunkFloats} column-matrix floats (at least one image per chunk).
     */
    OpenClBackend(OpenClDevice device, ClGemm.Variant gemmVariant, long convChunkFloats) {
        this.rt = new ClRuntime(device);
        this.gemm = new ClGemm(rt, gemmVariant);
        this.elementwise = new ClElementwise(rt);
        this.activation = new ClActivation(rt);
        this.reduce = new ClReduce(rt);
        this.conv = new ClConv(rt, gemm, reduce, convChunkFloats);
        this.maxPool = new ClMaxPool(rt);
        this.softmaxCrossEntropy = new ClSoftmaxCrossEntropy(rt);
        this.optimizers = new ClOptimizers(rt);
    }

    /** The device this backend runs on. */
    public OpenClDevice device() {
        return rt.device;
    }

    @Override
    public String name() {
        return "opencl: " + rt.device.name();
    }

    /**
     * Builds the GEMM program and runs a 2 x 2 multiply, checking the result: a device whose
     * compiler or runtime is broken fails here, with the build log, rather than in the first
     * training step.
     *
     * @throws OpenClException when a build or a call fails, or the result is wrong
     */
    public void selfTest() {
        try (Buffer a = allocate(4); Buffer c = allocate(4)) {
            upload(new float[] {1, 2, 3, 4}, 0, a, 0, 4);
            gemm(false, false, 2, 2, 2, 1f, a, 0, 2, a, 0, 2, 0f, c, 0, 2);
            float[] out = new float[4];
            download(c, 0, out, 0, 4);
            if (out[0] != 7 || out[1] != 10 || out[2] != 15 || out[3] != 22) {
                throw new OpenClException("self-test GEMM on " + rt.device + " gave wrong results "
                        + java.util.Arrays.toString(out));
            }
        }
    }

    /** The GEMM variant in use (package-private for tests). */
    ClGemm.Variant gemmVariant() {
        return gemm.variant();
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Buffer allocate(long n) {
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("OpenCL buffer size " + n + " is outside [0, 2^31 - 9]");
        }
        ensureOpen();
        cl_mem mem = rt.createBuffer(n, "buffer");
        OpenClBuffer b = new OpenClBuffer(this, mem, n, live);
        fill(b, 0, n, 0f);
        return b;
    }

    @Override
    public void upload(float[] src, int srcOff, Buffer dst, long dstOff, int n) {
        if (n <= 0) {
            return;
        }
        check(CL.clEnqueueWriteBuffer(rt.queue, mem(dst), CL.CL_TRUE, dstOff * Float.BYTES, (long) n * Float.BYTES,
                Pointer.to(src).withByteOffset((long) srcOff * Float.BYTES), 0, null, null), "clEnqueueWriteBuffer");
    }

    @Override
    public void download(Buffer src, long srcOff, float[] dst, int dstOff, int n) {
        if (n <= 0) {
            return;
        }
        check(CL.clEnqueueReadBuffer(rt.queue, mem(src), CL.CL_TRUE, srcOff * Float.BYTES, (long) n * Float.BYTES,
                Pointer.to(dst).withByteOffset((long) dstOff * Float.BYTES), 0, null, null), "clEnqueueReadBuffer");
    }

    @Override
    public void copy2d(int rows, int cols, Buffer src, long srcOff, int lds, Buffer dst, long dstOff, int ldd) {
        if (rows <= 0 || cols <= 0) {
            return;
        }
        long f = Float.BYTES;
        check(CL.clEnqueueCopyBufferRect(rt.queue, mem(src), mem(dst),
                new long[] {srcOff * f, 0, 0}, new long[] {dstOff * f, 0, 0}, new long[] {cols * f, rows, 1},
                lds * f, 0, ldd * f, 0, 0, null, null), "clEnqueueCopyBufferRect");
    }

    @Override
    public void fill(Buffer x, long off, long n, float value) {
        if (n <= 0) {
            return;
        }
        check(CL.clEnqueueFillBuffer(rt.queue, mem(x), Pointer.to(new float[] {value}), Float.BYTES,
                off * Float.BYTES, n * Float.BYTES, 0, null, null), "clEnqueueFillBuffer");
    }

    // ---------------------------------------------------------------- BLAS-like

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Buffer a, long offA, int lda, Buffer b, long offB, int ldb,
                     float beta, Buffer c, long offC, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        gemm.gemm(transA, transB, m, n, k, alpha, mem(a), off(offA), lda, mem(b), off(offB), ldb,
                beta, mem(c), off(offC), ldc);
    }

    @Override
    public void axpy(int n, float alpha, Buffer x, Buffer y) {
        if (n > 0) elementwise.axpy(n, alpha, mem(x), mem(y));
    }

    @Override
    public void scale(int n, float alpha, Buffer x) {
        if (n > 0) elementwise.scale(n, alpha, mem(x));
    }

    @Override
    public void add(int n, Buffer x, Buffer y, Buffer z) {
        if (n > 0) elementwise.add(n, mem(x), mem(y), mem(z));
    }

    @Override
    public void mul(int n, Buffer x, Buffer y, Buffer z) {
        if (n > 0) elementwise.mul(n, mem(x), mem(y), mem(z));
    }

    @Override
    public void addRowVector(int rows, int cols, Buffer y, int ldy, Buffer v) {
        if (rows > 0 && cols > 0) elementwise.addRowVector(rows, cols, mem(y), ldy, mem(v));
    }

    @Override
    public void sumOverRows(int rows, int cols, Buffer x, int ldx, float beta, Buffer out) {
        if (cols > 0) reduce.sumOverRows(rows, cols, mem(x), 0, ldx, beta, mem(out), 0);
    }

    @Override
    public void sumOverColumns(int rows, int cols, Buffer x, int ldx, float beta, Buffer out) {
        if (rows > 0) reduce.sumOverColumns(rows, cols, mem(x), 0, ldx, beta, mem(out), 0);
    }

    @Override
    public void argmaxRows(int rows, int cols, Buffer x, Buffer out) {
        if (rows > 0 && cols > 0) reduce.argmaxRows(rows, cols, mem(x), mem(out));
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activationForward(Activation f, int n, Buffer x, Buffer y) {
        if (n > 0) activation.forward(f, n, mem(x), mem(y));
    }

    @Override
    public void activationBackward(Activation f, int n, Buffer x, Buffer y, Buffer dy, Buffer dx, boolean accumulate) {
        if (!accumulate) fill(dx, 0, n, 0f); // the kernel adds: a fill on the device, then the add
        if (n > 0) activation.backward(f, n, mem(x), mem(y), mem(dy), mem(dx));
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2dForward(ConvShape s, Buffer x, Buffer w, int ldw, Buffer bias, Buffer y) {
        if (s.n() > 0 && s.f() > 0) conv.forward(s, mem(x), mem(w), ldw, bias == null ? null : mem(bias), mem(y));
    }

    @Override
    public void conv2dBackwardData(ConvShape s, Buffer dy, Buffer w, int ldw, Buffer dx) {
        if (s.n() > 0 && s.f() > 0) conv.backwardData(s, mem(dy), mem(w), ldw, mem(dx));
    }

    @Override
    public void conv2dBackwardWeights(ConvShape s, Buffer x, Buffer dy, Buffer dw, int lddw, FrozenBlock dwFrozen,
                                      Buffer db, FrozenBlock dbFrozen) {
        if (s.n() > 0 && s.f() > 0) {
            conv.backwardWeights(s, mem(x), mem(dy), mem(dw), lddw, dwFrozen, db == null ? null : mem(db), dbFrozen);
        }
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public void maxPoolForward(PoolShape s, Buffer x, Buffer y) {
        if (s.n() > 0 && s.c() > 0) maxPool.forward(s, mem(x), mem(y));
    }

    @Override
    public void maxPoolBackward(PoolShape s, Buffer x, Buffer dy, Buffer dx, boolean accumulate) {
        if (!accumulate) fill(dx, 0, s.n() * s.c() * s.h() * s.w(), 0f); // the routing kernel adds
        if (s.n() > 0 && s.c() > 0) maxPool.backward(s, mem(x), mem(dy), mem(dx));
    }

    // ---------------------------------------------------------------- loss

    @Override
    public void softmaxCrossEntropyForward(int rows, int cols, Buffer logits, Buffer labels, Buffer probs, Buffer losses) {
        if (rows > 0 && cols > 0) softmaxCrossEntropy.forward(rows, cols, mem(logits), mem(labels), mem(probs), mem(losses));
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, float scale, Buffer dlogits) {
        if (rows > 0 && cols > 0) softmaxCrossEntropy.backward(rows, cols, mem(probs), mem(labels), scale, mem(dlogits));
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(int rows, int cols, int ld, FrozenBlock frozen,
                        Buffer w, Buffer g, Buffer v, float lr, float momentum, float weightDecay) {
        if (rows > 0 && cols > 0) {
            optimizers.sgd(rows, cols, ld, frozen, mem(w), mem(g), mem(v), lr, momentum, weightDecay);
        }
    }

    @Override
    public void adamStep(int rows, int cols, int ld, FrozenBlock frozen,
                         Buffer w, Buffer g, Buffer m, Buffer v,
                         float lr, float beta1, float beta2, float eps, int t) {
        if (rows > 0 && cols > 0) {
            optimizers.adam(rows, cols, ld, frozen, mem(w), mem(g), mem(m), mem(v), lr, beta1, beta2, eps, t);
        }
    }

    /** Releases every buffer still open, then the kernels, programs, queue and context. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (OpenClBuffer.Memory m : live.toArray(new OpenClBuffer.Memory[0])) {
                m.run();
            }
        } finally {
            rt.close();
        }
    }

    /** The device memory of {@code b}, which must be a live buffer of this backend. */
    private cl_mem mem(Buffer b) {
        ensureOpen();
        if (b instanceof OpenClBuffer ob && ob.backend() == this) {
            return ob.mem();
        }
        String from = b == null ? "null" : "a buffer of backend '" + b.backend().name() + "'";
        throw new IllegalArgumentException(from + " passed to backend '" + name()
                + "'; move tensors between backends explicitly");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("backend '" + name() + "' used after close()");
        }
    }

    private static int off(long offset) {
        return Math.toIntExact(offset);
    }
}
