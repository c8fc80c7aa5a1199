package dev.expanse.kernels.opencl;

import org.jocl.cl_mem;

/**
 * Host side of gemm.cl: chooses the CPU or GPU variant, packs operands into panel layout when
 * they do not already have it, and launches. See the header of gemm.cl for the layouts.
 *
 * <p>Packing choices for the CPU variant, measured on PoCL (2 cores, m = n = k = 1024, a shared
 * and noisy machine, best of 60): B is always packed, which costs ~0.3 ms (a direct read of B
 * with a 4 KB row stride was no faster: it aliases in L1 and defeats the prefetcher); A is read
 * in place when not transposed (8 row streams), and packed when transposed (12.6 ms against
 * 17-24 ms reading the transpose in place). The whole multiply ran at 180-200 GFLOP/s.
 *
 * <p>The CPU tile fits the device's vector registers: 8 x 32 in 16 float16 accumulators where a
 * float16 is one register (AVX-512, 32 registers), 6 x 16 in 12 of 16 where it is two (AVX2). The
 * 8 x 32 tile on AVX2 needs 32 registers and spills: on PoCL's haswell device the 6 x 16 tile ran
 * GEMM 1024 in 22.0 ms against 37.4 ms.
 */
final class ClGemm {
    /** GPU variant: TSM x TSN tile per work-group, TSK deep, WPTM x WPTN per work-item. */
    static final int TSM = 64, TSN = 64, TSK = 16, WPTM = 4, WPTN = 4;
    /** Tile edge of the GPU gemm_pack; TSM, TSN and TSK are multiples of it. */
    static final int PT = 16;

    private static final String FILE = "gemm.cl";

    /**
     * Which compute kernel to run, and for gemm_cpu its tile of MR rows x NR = 16*NV columns per
     * work-item; chosen from the device, or forced by tests.
     */
    enum Variant {
        /** gemm_cpu, 8 x 32: for 16-float vector registers. */
        CPU_WIDE(8, 2),
        /** gemm_cpu, 6 x 16: for 8-float vector registers. */
        CPU(6, 1),
        /** gemm_gpu (no MR x NR tile: 0 leaves gemm.cl's defaults, unused by it). */
        GPU(0, 0);

        final int mr, nv, nr;

        Variant(int mr, int nv) {
            this.mr = mr;
            this.nv = nv;
            this.nr = 16 * nv;
        }
    }

    private final ClRuntime rt;
    private final Variant variant;
    private final String options;

    ClGemm(ClRuntime rt, Variant variant) {
        this.rt = rt;
        this.variant = variant;
        this.options = (variant.mr > 0 ? "-DMR=" + variant.mr + " -DNV=" + variant.nv + " " : "") + "-DTSM=" + TSM
                + " -DTSN=" + TSN + " -DTSK=" + TSK + " -DWPTM=" + WPTM + " -DWPTN=" + WPTN + " -DPT=" + PT;
    }

    static Variant variantFor(OpenClDevice device) {
        return !device.isCpu() ? Variant.GPU : device.nativeFloatWidth() >= 16 ? Variant.CPU_WIDE : Variant.CPU;
    }

    Variant variant() {
        return variant;
    }

    /** An operand in panel layout: element (i, p) at off + (i/PW)*panel + p*depth + (i%PW)*lane. */
    private record Panels(cl_mem mem, int off, int panel, int lane, int depth) {
    }

    /** C = alpha * op(A) * op(B) + beta * C; see {@link dev.expanse.kernels.Backend#gemm}. */
    void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha,
              cl_mem a, int offA, int lda, cl_mem b, int offB, int ldb,
              float beta, cl_mem c, int offC, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            rt.kernel(FILE, options, "gemm_scale").launch(rt.global2d(n, m), rt.local2d(), m, n, alpha, beta, c, offC, ldc);
            return;
        }
        // op(A)[i][p] = a[offA + i*aIdx + p*aDepth]; op(B)[p][j] = b[offB + j*bIdx + p*bDepth].
        int aIdx = ta ? 1 : lda, aDepth = ta ? lda : 1;
        int bIdx = tb ? ldb : 1, bDepth = tb ? 1 : ldb;
        if (variant != Variant.GPU) {
            int mr = variant.mr, nr = variant.nr;
            Panels pa = ta ? packCpu("gemm.a", a, offA, aIdx, aDepth, m, k, mr)
                    : new Panels(a, offA, mr * lda, lda, 1);
            Panels pb = packCpu("gemm.b", b, offB, bIdx, bDepth, n, k, nr);
            rt.kernel(FILE, options, "gemm_cpu").launch(new long[] {panels(m, mr), panels(n, nr)}, new long[] {1, 1},
                    m, n, k, alpha, beta, pa.mem, pa.off, pa.panel, pa.lane, pa.depth,
                    pb.mem, pb.off, pb.panel, pb.depth, c, offC, ldc);
        } else {
            int kPad = (int) ClKernel.roundUp(k, TSK);
            Panels pa = isAlignedPanels(offA, aIdx, m, k, lda, TSM) ? new Panels(a, offA, TSM, 1, lda)
                    : packGpu("gemm.a", a, offA, aIdx, aDepth, m, k, kPad, TSM);
            Panels pb = isAlignedPanels(offB, bIdx, n, k, ldb, TSN) ? new Panels(b, offB, TSN, 1, ldb)
                    : packGpu("gemm.b", b, offB, bIdx, bDepth, n, k, kPad, TSN);
            rt.kernel(FILE, options, "gemm_gpu").launch(
                    new long[] {panels(n, TSN) * (TSN / WPTN), panels(m, TSM) * (TSM / WPTM)},
                    new long[] {TSN / WPTN, TSM / WPTM},
                    m, n, kPad, alpha, beta, pa.mem, pa.off, pa.panel, pa.depth, pb.mem, pb.off, pb.panel, pb.depth,
                    c, offC, ldc);
        }
    }

    /**
     * Whether the GPU variant can read an operand in place: contiguous along the panel index,
     * whole panels, depth a multiple of TSK (no zero padding needed), and offset and leading
     * dimension multiples of 4 so that its vload4 are aligned.
     */
    static boolean isAlignedPanels(int off, int idxStride, int extent, int k, int ld, int pw) {
        return idxStride == 1 && isMultiple(extent, pw) && isMultiple(k, TSK) && isMultiple(off, 4) && isMultiple(ld, 4);
    }

    static boolean isMultiple(long value, long multiple) {
        return value % multiple == 0;
    }

    private static long panels(int extent, int pw) {
        return (extent + pw - 1) / pw;
    }

    /** op(X) (extent x depth, element (i, p) at x[off + i*sIdx + p*sDepth]) into zero-padded panels of pw. */
    private Panels packCpu(String slot, cl_mem x, int off, int sIdx, int sDepth, int extent, int depth, int pw) {
        long panels = panels(extent, pw);
        cl_mem dst = rt.scratch(slot, panels * pw * depth);
        rt.kernel(FILE, options, "gemm_pack_cpu").launch(new long[] {ClKernel.roundUp(depth, 16), panels}, new long[] {16, 1},
                extent, depth, depth, pw, x, off, sIdx, sDepth, dst);
        return new Panels(dst, 0, depth * pw, 1, pw);
    }

    /** As {@link #packCpu}, with the depth zero-padded to depthPad (a multiple of PT). */
    private Panels packGpu(String slot, cl_mem x, int off, int sIdx, int sDepth, int extent, int depth, int depthPad, int pw) {
        long panels = panels(extent, pw);
        cl_mem dst = rt.scratch(slot, panels * pw * depthPad);
        rt.kernel(FILE, options, "gemm_pack").launch(new long[] {pw, depthPad, panels}, new long[] {PT, PT, 1},
                extent, depth, depthPad, pw, sIdx == 1 ? 1 : 0, x, off, sIdx, sDepth, dst);
        return new Panels(dst, 0, depthPad * pw, 1, pw);
    }
}
