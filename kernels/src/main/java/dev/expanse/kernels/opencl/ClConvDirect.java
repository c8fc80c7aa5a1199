package dev.expanse.kernels.opencl;

import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import org.jocl.cl_mem;

/**
 * Host side of conv_direct.cl: convolutions of stride 1 on CPU devices, straight from padded
 * images in the "wide" layout (see the header of conv_direct.cl) instead of im2col + GEMM.
 *
 * <p>Why: on PoCL the passes around the GEMM cost more than the GEMM. The column matrix is
 * written and read once more (K*K times the input), its B panels packed again, and dy and y
 * permuted. The direct kernels read each padded image from the caches K*K times instead, through
 * unaligned vector loads, with the register tile of gemm_cpu for the forward. On PoCL (2 cores of
 * a Zen 5 EPYC, bench/opencl-vs-clblast.sh, several noisy runs) the 3x3 64 -> 64 layer at batch
 * 32 went from 8.1, 8.7 and 9.6 ms (forward, data and weight gradients) to 2.2-3.6, 2.2-3.3 and
 * 3.6-4.1 ms. Backward data is the forward of the padded dy with the kernel turned (its rows the
 * input channels, its taps mirrored), which needs padding below the kernel size; other shapes,
 * and strides above 1, stay with {@link ClConv}.
 *
 * <p>Images go through in chunks whose padded planes stay under the chunk bound, as in ClConv.
 */
final class ClConvDirect {
    private static final String FILE = "conv_direct.cl";
    /**
     * Vector steps of the weight gradient between loads of its accumulators; see backwardWeights.
     * On the 8x8 64 -> 64 layer (5 steps per image) blocks of 4 images took 2.44-2.51 ms
     * (minima of 200 calls) against 2.68-2.72 for one image at a time.
     */
    private static final int BLOCK_STEPS = 16;
    /**
     * Bytes of partial sums per work-item of the weight gradient (a third of a 48 KiB L1). With
     * 7 channels per work-item rather than 1, the 8x8 64 -> 64 layer took 1.83-2.08 ms (minima)
     * against 2.46-2.48; 8 and 32 KiB were no better.
     */
    private static final int SUMS_BYTES = 16 << 10;
    private final ClRuntime rt;
    private final int mr, nr;
    /**
     * The weight gradient's work-item: WR filters x up to wtMax taps of a kernel row, in vectors
     * of vw lanes. With 32 vector registers of 16 floats (AVX-512), 4 x 5 accumulators, 4 dy and 1
     * x vector: on PoCL (Zen 5) LeNet conv2's weight gradient took 1.08-1.10 ms with 4 x 5 against
     * 1.27-1.51 with 4 x 3. With 16 registers of 8 floats (AVX2), 3 x 3 + 3 + 1 = 13 of them.
     */
    private final int vw, wr, wtMax;
    private final long chunkFloats;
    private final String options;

    /** For gemm_cpu's tile {@code tile}: its MR x NR forward tile, and the weight gradient's shape for the same registers. */
    ClConvDirect(ClRuntime rt, ClGemm.Variant tile, long chunkFloats) {
        this.rt = rt;
        this.mr = tile.mr;
        this.nr = tile.nr;
        boolean wide = tile == ClGemm.Variant.CPU_WIDE;
        this.vw = wide ? 16 : 8;
        this.wr = wide ? 4 : 3;
        this.wtMax = wide ? 5 : 3;
        this.chunkFloats = chunkFloats;
        this.options = "-DMR=" + mr + " -DNV=" + tile.nv + " -DVW=" + vw + " -DWR=" + wr;
    }

    /** True when the forward and the weight gradient of {@code s} run here: stride 1. */
    static boolean handles(ConvShape s) {
        return s.stride() == 1;
    }

    /** True when the data gradient of {@code s} runs here: stride 1 and padding below the kernel size. */
    static boolean handlesBackwardData(ConvShape s) {
        return handles(s) && s.pad() < s.kh() && s.pad() < s.kw();
    }

    /**
     * Planes of at least {@code rows x wp} floats holding a source of {@code sh x sw} at (top,
     * left), zeros around; the zero rows below the image keep a tile's loads past the last output
     * in the plane. Planes start on 64-byte boundaries, so the vector loads at tap (0, 0) are
     * aligned (unaligned 64-byte loads straddle two cache lines).
     */
    private record Wide(int sh, int sw, int top, int left, int wp, int rows) {
        int plane() {
            return (int) ClKernel.roundUp((long) rows * wp, 16);
        }
    }

    /** The padded input of a convolution with a kernel of kh x kw, padded by (padY, padX). */
    private Wide input(int sh, int sw, int padY, int padX, int kh, int kw) {
        int wp = sw + 2 * padX;
        return new Wide(sh, sw, padY, padX, wp, sh + 2 * padY + ceilDiv(nr + kw, wp));
    }

    /** y = conv(x, W) + bias. */
    void forward(ConvShape s, cl_mem x, cl_mem w, int ldw, cl_mem bias, cl_mem y) {
        Wide in = input(s.h(), s.w(), s.pad(), s.pad(), s.kh(), s.kw());
        cl_mem panels = packFilters(s.f(), s.patch(), false, s, w, ldw);
        forEachChunk(s.n(), (long) s.c() * in.plane(), (n0, cnt) -> {
            cl_mem xp = pad("conv.x", in, x, n0 * s.inPerImage(), cnt * s.c());
            convolve(cnt, s.f(), s.c(), s.kh(), s.kw(), in, xp, panels, s.oh(), s.ow(), bias, false, y,
                    n0 * s.outPerImage());
        });
    }

    /** dx += the forward of dy, padded by the kernel size - 1 - pad, under the turned kernel. */
    void backwardData(ConvShape s, cl_mem dy, cl_mem w, int ldw, cl_mem dx) {
        Wide in = input(s.oh(), s.ow(), s.kh() - 1 - s.pad(), s.kw() - 1 - s.pad(), s.kh(), s.kw());
        int depth = s.f() * s.kh() * s.kw();
        cl_mem panels = packFilters(s.c(), depth, true, s, w, ldw);
        forEachChunk(s.n(), (long) s.f() * in.plane(), (n0, cnt) -> {
            cl_mem dyp = pad("conv.x", in, dy, n0 * s.outPerImage(), cnt * s.f());
            convolve(cnt, s.c(), s.f(), s.kh(), s.kw(), in, dyp, panels, s.h(), s.w(), null, true, dx,
                    n0 * s.inPerImage());
        });
    }

    /**
     * dw += dy (x) x over the cells outside {@code dwFrozen}, db += the sums of dy over the rows
     * outside {@code dbFrozen} (see {@link dev.expanse.kernels.Backend#conv2dBackwardWeights}).
     */
    void backwardWeights(ConvShape s, cl_mem x, cl_mem dy, cl_mem dw, int lddw, FrozenBlock dwFrozen,
                         cl_mem db, FrozenBlock dbFrozen) {
        int f = s.f(), p = s.patch();
        FrozenBlock frozen = dwFrozen.clampTo(f, p);
        boolean weights = !frozen.coversAll(f, p);
        int firstBiasRow = db == null ? f : dbFrozen.firstTrainableRow(0, f);
        if (!weights && firstBiasRow >= f) {
            return;
        }
        Wide in = input(s.h(), s.w(), s.pad(), s.pad(), s.kh(), s.kw());
        // dy in the wide layout of x, zero at the wide columns and up to a whole vector past the last output.
        Wide out = new Wide(s.oh(), s.ow(), 0, 0, in.wp(), s.oh() + ceilDiv(vw, in.wp()));
        int qEnd = (int) ClKernel.roundUp((long) s.oh() * in.wp(), vw);
        int wt = s.kw() <= wtMax ? s.kw() : ceilDiv(s.kw(), ceilDiv(s.kw(), wtMax));
        int groups = ceilDiv(s.kw(), wt);
        // Images per block: enough that a tap group's registers are loaded and stored once per
        // BLOCK_STEPS vector steps at least, not once per image of a small map.
        int block = Math.max(1, ceilDiv(BLOCK_STEPS * vw, qEnd));
        // Channels per work-item: as many as keep its partial sums within SUMS_BYTES, so that a
        // block of dy is read from L2 once for all of them.
        int taps = s.kh() * groups * wt;
        int cg = Math.max(1, Math.min(s.c(), SUMS_BYTES / (wr * taps * vw * Float.BYTES)));
        forEachChunk(s.n(), (long) s.c() * in.plane() + (long) f * out.plane(), (n0, cnt) -> {
            cl_mem dyw = pad("conv.dy", out, dy, n0 * s.outPerImage(), cnt * f);
            if (weights) {
                cl_mem xp = pad("conv.x", in, x, n0 * s.inPerImage(), cnt * s.c());
                rt.kernel(FILE, options + " -DWT=" + wt + " -DTAPS=" + taps + " -DCG=" + cg, "conv_weights_cpu").launch(
                        new long[] {ceilDiv(f, wr), ceilDiv(s.c(), cg)}, new long[] {1, 1},
                        cnt, Math.min(block, cnt), f, s.c(), s.kh(), s.kw(), groups, in.wp(), in.plane(), out.plane(), qEnd, xp, dyw,
                        frozen.rows(), frozen.cols(), dw, lddw);
            }
            if (firstBiasRow < f) {
                rt.kernel(FILE, options, "conv_bias_cpu").launch1d(f, 8, cnt, f, out.plane(), qEnd, firstBiasRow, dyw, db);
            }
        });
    }

    /** The body of a chunk loop over images [n0, n0 + cnt). */
    @FunctionalInterface
    private interface Chunk {
        void run(int n0, int cnt);
    }

    /** Runs body over consecutive chunks of images that cover n, each under the chunk bound (at least one image). */
    private void forEachChunk(int n, long floatsPerImage, Chunk body) {
        int nb = (int) Math.max(1, Math.min(n, chunkFloats / Math.max(1, floatsPerImage)));
        for (int n0 = 0; n0 < n; n0 += nb) {
            body.run(n0, Math.min(nb, n - n0));
        }
    }

    /** {@code planes} planes of src from float {@code off} on, padded into the layout {@code to}, in scratch {@code slot}. */
    private cl_mem pad(String slot, Wide to, cl_mem src, int off, int planes) {
        cl_mem dst = rt.scratch(slot, (long) planes * to.plane());
        rt.kernel(FILE, options, "pad_planes").launch(new long[] {planes}, new long[] {1},
                to.sh(), to.sw(), to.top(), to.left(), to.plane(), to.wp(), src, off, dst);
        return dst;
    }

    /** W (rows x depth, leading dimension ldw), or turned for backward data, into panels of MR rows. */
    private cl_mem packFilters(int rows, int depth, boolean turned, ConvShape s, cl_mem w, int ldw) {
        int panels = ceilDiv(rows, mr);
        cl_mem dst = rt.scratch("conv.w", (long) panels * depth * mr);
        rt.kernel(FILE, options, "pack_filters").launch(new long[] {ClKernel.roundUp(depth, 16), panels},
                new long[] {16, 1}, rows, depth, turned ? 1 : 0, s.kh(), s.kw(), w, ldw, dst);
        return dst;
    }

    /**
     * out[n][r][oy][ox] (+)= the convolution of cnt padded images of c planes with the filter
     * panels of {@code rows} rows, for oy < oh and ox < ow, from float {@code outOff} of out on.
     */
    private void convolve(int cnt, int rows, int c, int kh, int kw, Wide in, cl_mem xp, cl_mem panels, int oh, int ow,
                          cl_mem bias, boolean accumulate, cl_mem out, int outOff) {
        rt.kernel(FILE, options, "conv_cpu").launch(new long[] {ceilDiv(oh * in.wp(), nr), ceilDiv(rows, mr), cnt},
                new long[] {1, 1, 1}, rows, c, kh, kw, in.wp(), in.plane(), oh, ow, xp, panels,
                bias != null ? 1 : 0, bias != null ? bias : panels, accumulate ? 1 : 0, out, outOff);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
