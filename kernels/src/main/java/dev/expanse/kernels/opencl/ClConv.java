package dev.expanse.kernels.opencl;

import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import org.jocl.cl_mem;

/**
 * Host side of conv.cl: 2-D convolution as im2col + {@link ClGemm}, over chunks of images; on
 * CPU devices, convolutions of stride 1 go to {@link ClConvDirect} instead.
 *
 * <p>Why im2col + GEMM on GPUs: the GEMM is the one kernel tuned per device type, and reusing it
 * gives all three convolution kernels that speed. On CPU devices the passes around the GEMM cost
 * more than the GEMM, and register-tiled direct kernels win (see ClConvDirect); a plain direct
 * kernel (one work-item per output, loops over c, i, j) was 40x slower than im2col + GEMM there
 * (PoCL, N=64, C=16, 28x28, F=32, 3x3, pad 1: 800-1150 ms against 18-27 ms).
 *
 * <p>Legend: S = OH*OW, P = C*KH*KW. A chunk of nb images is processed at a time so that the
 * column matrix [P, nb*S] stays under {@link #CHUNK_FLOATS} floats (by default).
 */
final class ClConv {
    private static final String FILE = "conv.cl";
    /** Upper bound on the scratch column matrix per chunk on a GPU (64 MiB), unless one image needs more. */
    static final long CHUNK_FLOATS = 16L << 20;
    /**
     * The bound on a CPU device (4 MiB), where a chunk's column matrix then stays in the caches
     * between im2col, packing and GEMM: on PoCL (2 cores) the 3x3 64 -> 64 layer's forward took
     * 18-23 ms in chunks of 1 M floats against 32 ms in chunks of 16 M. Much smaller chunks lose
     * again (95 ms at 256 K floats, one image per GEMM).
     */
    static final long CPU_CHUNK_FLOATS = 1L << 20;

    /** The chunk bound for {@code device}. */
    static long chunkFloatsFor(OpenClDevice device) {
        return device.isCpu() ? CPU_CHUNK_FLOATS : CHUNK_FLOATS;
    }

    private final ClRuntime rt;
    private final ClGemm gemm;
    private final ClReduce reduce;
    private final long chunkFloats;
    /** The direct kernels, with gemm_cpu's tile (null with the GPU GEMM). */
    private final ClConvDirect direct;

    ClConv(ClRuntime rt, ClGemm gemm, ClReduce reduce, long chunkFloats) {
        this.rt = rt;
        this.gemm = gemm;
        this.reduce = reduce;
        this.chunkFloats = chunkFloats;
        this.direct = gemm.variant() == ClGemm.Variant.GPU ? null : new ClConvDirect(rt, gemm.variant(), chunkFloats);
    }

    /** y = conv(x, W) + bias: per chunk, cols = im2col(x); t[F, nb*S] = W cols; y = t permuted + bias. */
    void forward(ConvShape s, cl_mem x, cl_mem w, int ldw, cl_mem bias, cl_mem y) {
        if (direct != null && ClConvDirect.handles(s)) {
            direct.forward(s, x, w, ldw, bias, y);
            return;
        }
        int S = s.oh() * s.ow(), P = s.patch(), F = s.f();
        forEachChunk(s, (n0, cnt, L) -> {
            cl_mem cols = im2col(s, x, n0, cnt);
            cl_mem t = rt.scratch("conv.t", (long) F * L);
            gemm.gemm(false, false, F, L, P, 1f, w, 0, ldw, cols, 0, L, 0f, t, 0, L);
            rt.kernel(FILE, "", "scatter_y").launch(ClRuntime.rowGlobal(S, F, cnt), ClRuntime.rowLocal(S),
                    cnt, n0, F, S, t, bias != null ? 1 : 0, bias != null ? bias : t, y);
        });
    }

    /** dx += col2im(W^T t), t = dy permuted to [F, nb*S]. */
    void backwardData(ConvShape s, cl_mem dy, cl_mem w, int ldw, cl_mem dx) {
        if (direct != null && ClConvDirect.handlesBackwardData(s)) {
            direct.backwardData(s, dy, w, ldw, dx);
            return;
        }
        int P = s.patch(), F = s.f();
        forEachChunk(s, (n0, cnt, L) -> {
            cl_mem t = gatherDy(s, dy, n0, cnt);
            cl_mem cols = rt.scratch("conv.cols", (long) P * L);
            gemm.gemm(true, false, P, L, F, 1f, w, 0, ldw, t, 0, L, 0f, cols, 0, L);
            rt.kernel(FILE, "", "col2im_add").launch(
                    ClRuntime.rowGlobal(s.w(), s.h(), s.c()), ClRuntime.rowLocal(s.w()),
                    cnt, n0, s.c(), s.h(), s.w(), s.kh(), s.kw(), s.stride(), s.pad(), s.oh(), s.ow(), cols, dx);
        });
    }

    /**
     * dw += t cols^T over the trainable cells of dw, and db += row sums of t over the trainable
     * rows of db, with t = dy permuted to [F, nb*S]. The weight's trainable cells are two
     * rectangles ({@link FrozenBlock#below}, {@link FrozenBlock#right}), one GEMM each; the
     * frozen block's gradient is not computed at all. The bias has its own block, so a bias can
     * train under frozen weight rows and the reverse.
     */
    void backwardWeights(ConvShape s, cl_mem x, cl_mem dy, cl_mem dw, int lddw, FrozenBlock dwFrozen,
                         cl_mem db, FrozenBlock dbFrozen) {
        if (direct != null && ClConvDirect.handles(s)) {
            direct.backwardWeights(s, x, dy, dw, lddw, dwFrozen, db, dbFrozen);
            return;
        }
        int P = s.patch(), F = s.f();
        FrozenBlock.Rect below = dwFrozen.below(F, P), right = dwFrozen.right(F, P);
        int firstBiasRow = db == null ? F : dbFrozen.firstTrainableRow(0, F);
        boolean weights = !below.isEmpty() || !right.isEmpty();
        if (!weights && firstBiasRow >= F) {
            return;
        }
        forEachChunk(s, (n0, cnt, L) -> {
            cl_mem t = gatherDy(s, dy, n0, cnt);
            if (weights) {
                cl_mem cols = im2col(s, x, n0, cnt);
                accumulateWeights(below, t, cols, L, dw, lddw);
                accumulateWeights(right, t, cols, L, dw, lddw);
            }
            if (firstBiasRow < F) {
                reduce.sumOverColumns(F - firstBiasRow, L, t, firstBiasRow * L, L, 1f, db, firstBiasRow);
            }
        });
    }

    /** dw[rect] += t[rect rows, :] cols[rect cols, :]^T; t is [F, L] and cols [P, L]. */
    private void accumulateWeights(FrozenBlock.Rect rect, cl_mem t, cl_mem cols, int L, cl_mem dw, int lddw) {
        if (!rect.isEmpty()) {
            gemm.gemm(false, true, rect.rows(), rect.cols(), L, 1f, t, rect.row() * L, L, cols, rect.col() * L, L,
                    1f, dw, rect.row() * lddw + rect.col(), lddw);
        }
    }

    /** The body of a chunk loop: images [n0, n0 + cnt), whose column matrices have L = cnt*S columns. */
    @FunctionalInterface
    private interface Chunk {
        void run(int n0, int cnt, int L);
    }

    /** Runs body over consecutive chunks of {@link #chunk} images that cover the batch; nothing when N or F is 0. */
    private void forEachChunk(ConvShape s, Chunk body) {
        if (s.n() == 0 || s.f() == 0) {
            return;
        }
        int S = s.oh() * s.ow(), nb = chunk(s);
        for (int n0 = 0; n0 < s.n(); n0 += nb) {
            int cnt = Math.min(nb, s.n() - n0);
            body.run(n0, cnt, cnt * S);
        }
    }

    /** Images per chunk: as many as keep [P, nb*S] and [F, nb*S] under chunkFloats, at least one. */
    private int chunk(ConvShape s) {
        long perImage = (long) Math.max(s.patch(), s.f()) * s.oh() * s.ow();
        return (int) Math.max(1, Math.min(s.n(), chunkFloats / Math.max(1, perImage)));
    }

    private cl_mem im2col(ConvShape s, cl_mem x, int n0, int cnt) {
        int L = cnt * s.oh() * s.ow();
        cl_mem cols = rt.scratch("conv.cols", (long) s.patch() * L);
        rt.kernel(FILE, "", "im2col").launch(
                ClRuntime.rowGlobal(s.ow(), s.oh(), s.patch()), ClRuntime.rowLocal(s.ow()),
                cnt, n0, s.c(), s.h(), s.w(), s.kh(), s.kw(), s.stride(), s.pad(), s.oh(), s.ow(), x, cols);
        return cols;
    }

    private cl_mem gatherDy(ConvShape s, cl_mem dy, int n0, int cnt) {
        int S = s.oh() * s.ow();
        cl_mem t = rt.scratch("conv.t", (long) s.f() * cnt * S);
        rt.kernel(FILE, "", "gather_dy").launch(ClRuntime.rowGlobal(S, s.f(), cnt), ClRuntime.rowLocal(S), cnt, n0, s.f(), S, dy, t);
        return t;
    }
}
