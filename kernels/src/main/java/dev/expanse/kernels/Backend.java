package dev.expanse.kernels;

/**
 * The compute contract: memory management plus about 25 primitive kernels on flat float32
 * buffers. Everything above this line (tensors, autograd, layers) is written from these
 * primitives, so a new backend gets the whole engine by implementing this interface.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Matrices are row-major. A matrix argument is a buffer, an element offset and a leading
 *       dimension {@code ld >= cols} (the distance between the starts of two rows), as in BLAS.
 *       Growable weights keep spare columns and rows, so kernels read them in place.</li>
 *   <li>Vectors and activations are dense: element {@code i} lives at index {@code i}.</li>
 *   <li>Kernels whose name ends in {@code Backward} <b>accumulate</b> into their gradient output
 *       ({@code dx += ...}), so a tensor used twice gets the sum of its gradients.</li>
 *   <li>Class labels travel as floats holding small non-negative integers.</li>
 *   <li>Sizes of zero are legal everywhere and do nothing.</li>
 *   <li>Arguments are checked by the engine; a backend may assume sizes fit the buffers.</li>
 *   <li>Kernels are synchronous from the caller's point of view: after a kernel returns, a
 *       {@link #download} sees its result.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** A short human-readable name, e.g. {@code "cpu-vector x2"} or {@code "opencl: pthread-cpu"}. */
    String name();

    // ---------------------------------------------------------------- memory

    /** A new zero-filled buffer of {@code n} floats. */
    Buffer allocate(long n);

    /**
     * A new buffer of {@code n} floats whose contents are unspecified: a backend may hand back the
     * storage of a closed buffer as its last user left it. For an op's output that a kernel writes
     * whole before anything reads it (it saves zero-filling tens of megabytes per training step).
     * This default zero-fills, as {@link #allocate}.
     */
    default Buffer allocateUninitialized(long n) {
        return allocate(n);
    }

    /** Copies {@code n} floats from {@code src[srcOff..]} on the host into {@code dst[dstOff..]}. */
    void upload(float[] src, int srcOff, Buffer dst, long dstOff, int n);

    /** Copies {@code n} floats from {@code src[srcOff..]} into {@code dst[dstOff..]} on the host. */
    void download(Buffer src, long srcOff, float[] dst, int dstOff, int n);

    /**
     * Rectangular copy between buffers of this backend:
     * {@code dst[dstOff + r*ldd + c] = src[srcOff + r*lds + c]} for {@code r < rows, c < cols}.
     * The regions must not overlap. Used to re-allocate a growing matrix.
     */
    void copy2d(int rows, int cols, Buffer src, long srcOff, int lds, Buffer dst, long dstOff, int ldd);

    /** {@code x[off .. off+n) = value}. */
    void fill(Buffer x, long off, long n, float value);

    // ---------------------------------------------------------------- BLAS-like

    /**
     * General matrix multiply: {@code C = alpha * op(A) * op(B) + beta * C}, with op(X) = X or X^T.
     * op(A) is m x k, op(B) is k x n, C is m x n. A is stored m x k (lda >= k) when not transposed
     * and k x m (lda >= m) when transposed; likewise B. When {@code beta == 0}, C is not read (NaN in
     * C does not propagate).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              Buffer a, long offA, int lda, Buffer b, long offB, int ldb,
              float beta, Buffer c, long offC, int ldc);

    /** {@code y += alpha * x} over n elements. */
    void axpy(int n, float alpha, Buffer x, Buffer y);

    /** {@code x *= alpha} over n elements. */
    void scale(int n, float alpha, Buffer x);

    /** {@code z = x + y} over n elements; z may alias x or y. */
    void add(int n, Buffer x, Buffer y, Buffer z);

    /** {@code z = x * y} (elementwise) over n elements; z may alias x or y. */
    void mul(int n, Buffer x, Buffer y, Buffer z);

    /** Bias add: {@code y[r*ldy + c] += v[c]} for {@code r < rows, c < cols}. */
    void addRowVector(int rows, int cols, Buffer y, int ldy, Buffer v);

    /** Column sums: {@code out[c] = beta*out[c] + sum_r x[r*ldx + c]}. With beta == 0, out is not read. */
    void sumOverRows(int rows, int cols, Buffer x, int ldx, float beta, Buffer out);

    /** Row sums: {@code out[r] = beta*out[r] + sum_c x[r*ldx + c]}. With beta == 0, out is not read. */
    void sumOverColumns(int rows, int cols, Buffer x, int ldx, float beta, Buffer out);

    /** Row-wise argmax: {@code out[r]} = index of the first largest {@code x[r*cols + c]}. */
    void argmaxRows(int rows, int cols, Buffer x, Buffer out);

    // ---------------------------------------------------------------- activations

    /** {@code y = f(x)} over n elements ({@link Activation#forward}); y may alias x. */
    void activationForward(Activation f, int n, Buffer x, Buffer y);

    /**
     * {@code dx += f'(x) * dy} over n elements, given the forward's input x and output y
     * ({@link Activation#backward}); or, when not {@code accumulate}, {@code dx = f'(x) * dy}, dx's
     * old values (which may be anything) not read: the bits of a zero-filled dx and an add.
     */
    void activationBackward(Activation f, int n, Buffer x, Buffer y, Buffer dy, Buffer dx, boolean accumulate);

    // ---------------------------------------------------------------- convolution

    /**
     * {@code y = conv(x, W) + bias}: x is [N,C,H,W], W is [F, C*KH*KW] with leading dimension ldw,
     * bias is [F] or null, y is [N,F,OH,OW] and is overwritten. Zero padding; cross-correlation
     * (no kernel flip), as in every DL framework.
     */
    void conv2dForward(ConvShape s, Buffer x, Buffer w, int ldw, Buffer bias, Buffer y);

    /** Gradient with respect to the input: {@code dx += conv^T(dy, W)}; dx is [N,C,H,W]. */
    void conv2dBackwardData(ConvShape s, Buffer dy, Buffer w, int ldw, Buffer dx);

    /**
     * Gradients with respect to the weights and the bias: {@code dw += dy (x) x},
     * {@code db[f] += sum over n, oh, ow of dy}. dw is [F, C*KH*KW] with leading dimension lddw.
     * Cells of dw inside {@code dwFrozen} are neither computed nor touched; db ([F, 1], or null
     * for none) has its own block {@code dbFrozen}, whose rows are skipped. Pass
     * {@link FrozenBlock#NONE} to compute everything.
     */
    void conv2dBackwardWeights(ConvShape s, Buffer x, Buffer dy, Buffer dw, int lddw, FrozenBlock dwFrozen,
                               Buffer db, FrozenBlock dbFrozen);

    // ---------------------------------------------------------------- pooling

    /** Max-pool: y [N,C,OH,OW] = max over each window of x [N,C,H,W]. */
    void maxPoolForward(PoolShape s, Buffer x, Buffer y);

    /**
     * Routes each {@code dy} to the first position (in row-major window order) that holds the
     * window's maximum of x, and accumulates it into dx; or, when not {@code accumulate}, into a dx
     * that the call zero-fills first (its old values may be anything), with the bits of an add
     * onto zeros.
     */
    void maxPoolBackward(PoolShape s, Buffer x, Buffer dy, Buffer dx, boolean accumulate);

    // ---------------------------------------------------------------- loss

    /**
     * Fused, numerically stable softmax and cross-entropy over rows of dense logits [rows, cols]:
     * {@code probs = softmax(logits)} row-wise and {@code losses[r] = -log(probs[r, labels[r]])}.
     */
    void softmaxCrossEntropyForward(int rows, int cols, Buffer logits, Buffer labels,
                                    Buffer probs, Buffer losses);

    /** {@code dlogits += scale * (probs - onehot(labels))}. */
    void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, float scale,
                                     Buffer dlogits);

    // ---------------------------------------------------------------- optimizers

    /**
     * Masked SGD with momentum on a [rows, cols] matrix with leading dimension ld; w, g and v share
     * that layout. For every cell outside {@code frozen}:
     * {@code v = momentum*v + g + weightDecay*w; w -= lr*v}. Frozen cells (and v there) are never
     * written.
     */
    void sgdStep(int rows, int cols, int ld, FrozenBlock frozen,
                 Buffer w, Buffer g, Buffer v, float lr, float momentum, float weightDecay);

    /**
     * Masked Adam (Kingma and Ba, with bias correction for step t >= 1), same layout and frozen
     * block as {@link #sgdStep}: {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g;
     * w -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)}.
     */
    void adamStep(int rows, int cols, int ld, FrozenBlock frozen,
                  Buffer w, Buffer g, Buffer m, Buffer v,
                  float lr, float beta1, float beta2, float eps, int t);

    /** Releases every resource of this backend. Buffers it made must not be used afterwards. */
    @Override
    void close();
}
