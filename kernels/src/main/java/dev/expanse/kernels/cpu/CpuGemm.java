package dev.expanse.kernels.cpu;

import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM: {@code C = alpha * op(A) * op(B) + beta * C}, see {@link dev.expanse.kernels.Backend#gemm}.
 *
 * <p>Shapes: op(A) is [m, k], op(B) is [k, n], C is [m, n], all row-major with leading dimensions
 * lda, ldb, ldc and element offsets offA, offB, offC. A stored transposed is [k, m]; B stored
 * transposed is [n, k].
 *
 * <p>Twins: {@link #gemm}, the scalar reference (a plain triple loop), and {@link Vector#gemm}.
 * They sum the same products in different orders (fused multiply-adds, blocks of KC), so they
 * agree to rounding; the vector version is bit-identical to itself for any thread count and
 * problem size (see below). Both write C through {@link #store}.
 *
 * <p>The vector version follows the Goto/BLIS scheme. op(A) and op(B) are copied ("packed") into
 * contiguous panels, which handles every transpose and leading dimension in one place, so the
 * micro-kernel sees only one layout:
 * <pre>
 *   for jc in n step NC
 *     for pc in k step KC          pack op(B) block [KC, NC] into strips of NR columns (L2, L3)
 *       for ic in m step MC        pack op(A) block [MC, KC] into panels of MR rows (L2)
 *         for ir in panels         one panel (L1) meets every strip in turn
 *           for jr in strips       micro-kernel: a [MR, NR] tile in registers, then merged:
 *                                  C = alpha * tile + beta * C on the first k block, C += alpha * tile after
 * </pre>
 * The two inner loops run in the order that walks C along its rows: each tile's rows continue
 * where the previous tile's stopped, so the hardware prefetchers stream C in. BLIS runs them the
 * other way round, down a column of tiles, keeping the B strip in L1; its micro-kernels prefetch
 * the next tile of C themselves, which Java cannot do. Without that, once C outgrew L2 every
 * merge waited on cache misses: in the MLP's weight gradient (C 500 x 784, k = 128) the merges
 * took a third of the time, and that GEMM, like n = 1024, ran 1.7-2x slower than in this order.
 * Only the order of the tiles changed, not any element's arithmetic.
 * Each element of C sums its products in k order, in blocks of KC starting at fixed multiples of
 * KC, whatever the tile, thread or problem size that computes it: the result depends neither on
 * the thread count nor on how many other rows, columns or zero-weighted inputs the product has.
 */
final class CpuGemm {
    private CpuGemm() {
    }

    /** The reference: a plain triple loop, accumulating in float in k order. */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = ta ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    float bpj = tb ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                    acc += aip * bpj;
                }
                store(c, offC + i * ldc + j, alpha, acc, beta);
            }
        }
    }

    /**
     * {@code c[ci] = alpha * acc + beta * c[ci]}, without reading c[ci] when beta == 0 (NaN there does
     * not propagate): how every path, scalar or vector, writes an element of C.
     */
    static void store(float[] c, int ci, float alpha, float acc, float beta) {
        float t = alpha * acc;
        c[ci] = beta == 0f ? t : t + beta * c[ci];
    }

    /**
     * The packed, register-tiled Vector API version; the scheme is in the class comment. The
     * blocking constants below depend on the lane count, so they live here too.
     */
    static final class Vector {
        private Vector() {
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final int L = S.length();

        /**
         * Vectors per micro-tile row. With 512-bit vectors (AVX-512: 32 vector registers) 4: a 6 x 4
         * tile is 24 accumulators + 4 B vectors + 1 A broadcast = 29 registers. With narrower vectors
         * (AVX2: 16 registers) 2: 12 + 2 + 1 = 15; the 6 x 4 tile would spill there and run at half
         * speed. The tile shape changes no element's arithmetic, only how many are computed at once.
         */
        static final int NV = S.vectorBitSize() >= 512 ? 4 : 2;
        /** Micro-tile rows. */
        static final int MR = CpuMicroKernel.MR;
        /** Micro-tile columns: NV vectors. */
        static final int NR = NV * L;
        /** Depth of a packed block: an A panel [KC, MR] (6 KB at MR = 6) stays in L1 while the B strips pass. */
        static final int KC = 256;
        /** Rows of a packed A block [MC, KC] (120 KB, in L2), a multiple of MR. */
        static final int MC = 120;
        /**
         * Columns of a packed B block [KC, NC] (1 MB), a multiple of NR. Every A panel reads the whole
         * block, strip after strip; at 2048 columns it ran no faster, at 512 a little slower at n = 1024.
         */
        static final int NC = 1024;

        /** Below this many multiply-adds packing costs more than it saves: run the plain loop. */
        static final long TINY = 128;
        /** Multiply-adds a thread should get at least, so handing it a chunk (a wake-up of up to ~50 us when parked) pays off. */
        static final long MIN_TASK_WORK = 2L * 1024 * 1024;

        /**
         * The packed, register-tiled version, split over {@code par}'s threads by blocks of C columns
         * or rows, whichever balances better. Same contract as the scalar {@link CpuGemm#gemm}; it
         * sums in a different order (fma, blocks of KC), so it agrees with the reference to rounding,
         * and bit for bit with itself for any thread count.
         */
        static void gemm(Parallel par, boolean ta, boolean tb, int m, int n, int k, float alpha,
                         float[] a, int offA, int lda, float[] b, int offB, int ldb,
                         float beta, float[] c, int offC, int ldc) {
            if (m <= 0 || n <= 0) {
                return;
            }
            if (k <= 0) {
                scaleC(m, n, beta, c, offC, ldc);
                return;
            }
            long work = (long) m * n * k;
            if (work <= TINY) {
                small(ta, tb, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
                return;
            }
            int threads = par.threads();
            if (threads == 1 || work < 2 * MIN_TASK_WORK) {
                serial(ta, tb, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
                return;
            }
            // Split C by whole strips (columns) or panels (rows), whichever leaves the busiest thread
            // fewer micro-tiles; on a tie split the longer side, which repacks the smaller operand.
            int strips = (n + NR - 1) / NR, panels = (m + MR - 1) / MR;
            long byCols = (long) ((strips + threads - 1) / threads) * panels;
            long byRows = (long) ((panels + threads - 1) / threads) * strips;
            boolean splitCols = byCols < byRows || (byCols == byRows && n >= m);
            int unit = splitCols ? NR : MR;
            int extent = splitCols ? n : m;
            int units = splitCols ? strips : panels;
            int grain = (int) Math.max(1, units * MIN_TASK_WORK / work);
            par.forRange(units, grain, (lo, hi) -> {
                int e0 = lo * unit;
                int e1 = Math.min(extent, hi * unit);
                if (splitCols) {
                    int bShift = tb ? e0 * ldb : e0;
                    serial(ta, tb, m, e1 - e0, k, alpha, a, offA, lda, b, offB + bShift, ldb,
                            beta, c, offC + e0, ldc);
                } else {
                    int aShift = ta ? e0 : e0 * lda;
                    serial(ta, tb, e1 - e0, n, k, alpha, a, offA + aShift, lda, b, offB, ldb,
                            beta, c, offC + e0 * ldc, ldc);
                }
            });
        }

        /**
         * Tiny products without packing, but with exactly the arithmetic of the blocked path for every
         * element: a fused multiply-add chain over each KC block of k, merged as {@link #mergeTile}
         * does. So an element of C gets the same bits whichever path its problem size selects; growing
         * a layer (which changes m, n or k, with zero weights on the new inputs) cannot change an old
         * output by moving it from one path to the other.
         */
        private static void small(boolean ta, boolean tb, int m, int n, int k, float alpha,
                                  float[] a, int offA, int lda, float[] b, int offB, int ldb,
                                  float beta, float[] c, int offC, int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int ci = offC + i * ldc + j;
                    for (int pc = 0; pc < k; pc += KC) {
                        int end = Math.min(k, pc + KC);
                        float acc = 0f;
                        for (int p = pc; p < end; p++) {
                            float aip = ta ? a[offA + p * lda + i] : a[offA + i * lda + p];
                            float bpj = tb ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                            acc = Math.fma(aip, bpj, acc);
                        }
                        store(c, ci, alpha, acc, pc == 0 ? beta : 1f);
                    }
                }
            }
        }

        /** C = beta * C, or 0 when beta == 0 (without reading C): the k == 0 product. */
        private static void scaleC(int m, int n, float beta, float[] c, int offC, int ldc) {
            for (int i = 0; i < m; i++) {
                int row = offC + i * ldc;
                for (int j = 0; j < n; j++) {
                    c[row + j] = beta == 0f ? 0f : beta * c[row + j];
                }
            }
        }

        /** Per-thread packing buffers, reused from call to call so training loops make no garbage. */
        private static final class Workspace {
            final float[] a = new float[MC * KC];  // [MC / MR][KC][MR]
            final float[] b = new float[NC * KC];  // [NC / NR][KC][NR]
            final float[] tile = new float[MR * NR];
        }

        private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

        /** One thread's share: the whole blocked loop nest over its part of C. */
        private static void serial(boolean ta, boolean tb, int m, int n, int k, float alpha,
                                   float[] a, int offA, int lda, float[] b, int offB, int ldb,
                                   float beta, float[] c, int offC, int ldc) {
            Workspace ws = WORKSPACE.get();
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                // k blocks start at fixed multiples of KC, whatever k is: appending inputs (with zero
                // weights) to a grown layer must not regroup the sums of its old outputs.
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    // The first k block applies the caller's beta; later ones add to what it wrote.
                    float betaBlock = pc == 0 ? beta : 1f;
                    packB(tb, kc, nc, b, offB + (tb ? jc * ldb + pc : pc * ldb + jc), ldb, ws.b);
                    for (int ic = 0; ic < m; ic += MC) {
                        int mc = Math.min(MC, m - ic);
                        packA(ta, mc, kc, a, offA + (ta ? pc * lda + ic : ic * lda + pc), lda, ws.a, 0);
                        macroKernel(mc, nc, kc, alpha, betaBlock, ws, c, offC + ic * ldc + jc, ldc);
                    }
                }
            }
        }

        /**
         * Packs op(A)[mc, kc] into panels of MR rows, each [kc][MR], at dst[dstOff..], zero-padding the
         * last panel (also used by the conv kernels, which pack their weights once per call and the
         * im2col matrices of the weight gradient).
         */
        static void packA(boolean ta, int mc, int kc, float[] a, int off, int lda, float[] dst, int dstOff) {
            packA(MR, ta, mc, kc, a, off, lda, dst, dstOff);
        }

        /** As above, in panels of {@code rows} rows, each [kc][rows] (the conv forward's, {@link CpuMicroKernel#FORWARD_ROWS}). */
        static void packA(int rows, boolean ta, int mc, int kc, float[] a, int off, int lda, float[] dst, int dstOff) {
            for (int ir = 0; ir < mc; ir += rows) {
                int mr = Math.min(rows, mc - ir);
                int panel = dstOff + ir * kc;
                if (ta) {
                    // A is stored [k, m]: the values of one p across the panel are contiguous.
                    for (int p = 0; p < kc; p++) {
                        int src = off + p * lda + ir;
                        int d = panel + p * rows;
                        for (int ii = 0; ii < mr; ii++) {
                            dst[d + ii] = a[src + ii];
                        }
                        for (int ii = mr; ii < rows; ii++) {
                            dst[d + ii] = 0f;
                        }
                    }
                } else {
                    // A is stored [m, k]: walk each row contiguously.
                    for (int ii = 0; ii < rows; ii++) {
                        if (ii < mr) {
                            int src = off + (ir + ii) * lda;
                            for (int p = 0; p < kc; p++) {
                                dst[panel + p * rows + ii] = a[src + p];
                            }
                        } else {
                            for (int p = 0; p < kc; p++) {
                                dst[panel + p * rows + ii] = 0f;
                            }
                        }
                    }
                }
            }
        }

        /** Packs op(B)[kc, nc] into strips of NR columns, each [kc][NR], zero-padding the last strip. */
        private static void packB(boolean tb, int kc, int nc, float[] b, int off, int ldb, float[] dst) {
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                int strip = jr * kc;
                if (tb) {
                    packTransposedStrip(kc, nr, b, off + jr * ldb, ldb, dst, strip);
                } else {
                    for (int p = 0; p < kc; p++) {
                        int d = strip + p * NR, src = off + p * ldb + jr;
                        if (nr == NR) {
                            for (int j = 0; j < NR; j += L) {
                                FloatVector.fromArray(S, b, src + j).intoArray(dst, d + j);
                            }
                        } else {
                            System.arraycopy(b, src, dst, d, nr);
                            Arrays.fill(dst, d + nr, d + NR, 0f);
                        }
                    }
                }
            }
        }

        /**
         * One strip of a transposed B: {@code dst[strip + p*NR + jj] = b[src + jj*ldb + p]} for p < kc,
         * jj < nr, zero for jj >= nr. Eight rows of B at a time, so each p writes eight contiguous
         * floats while eight rows are read in sequence.
         */
        private static void packTransposedStrip(int kc, int nr, float[] b, int src, int ldb, float[] dst, int strip) {
            int jj = 0;
            for (; jj + 8 <= nr; jj += 8) {
                int r = src + jj * ldb;
                for (int p = 0, d = strip + jj; p < kc; p++, d += NR) {
                    dst[d] = b[r + p];
                    dst[d + 1] = b[r + ldb + p];
                    dst[d + 2] = b[r + 2 * ldb + p];
                    dst[d + 3] = b[r + 3 * ldb + p];
                    dst[d + 4] = b[r + 4 * ldb + p];
                    dst[d + 5] = b[r + 5 * ldb + p];
                    dst[d + 6] = b[r + 6 * ldb + p];
                    dst[d + 7] = b[r + 7 * ldb + p];
                }
            }
            for (int p = 0; p < kc; p++) {
                int d = strip + p * NR;
                for (int j = jj; j < nr; j++) {
                    dst[d + j] = b[src + j * ldb + p];
                }
                for (int j = nr; j < NR; j++) {
                    dst[d + j] = 0f;
                }
            }
        }

        /** Runs the micro-kernel over every tile of one packed block, then merges its tile into C. */
        private static void macroKernel(int mc, int nc, int kc, float alpha, float beta, Workspace ws,
                                        float[] c, int offC, int ldc) {
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                for (int jr = 0; jr < nc; jr += NR) {
                    int nr = Math.min(NR, nc - jr);
                    microKernel(kc, ws.a, ir * kc, ws.b, jr * kc, ws.tile);
                    mergeTile(mr, nr, ws.tile, c, offC + ir * ldc + jr, ldc, alpha, beta);
                }
            }
        }

        /**
         * C[mr, nr] = alpha * tile + beta * C; C is not read when beta == 0. The vector body and the
         * scalar tail do the same operations per element, so where a column falls does not matter.
         */
        private static void mergeTile(int mr, int nr, float[] tile, float[] c, int offC, int ldc,
                                      float alpha, float beta) {
            int nv = nr - nr % L;
            for (int i = 0; i < mr; i++) {
                int ci = offC + i * ldc;
                int ti = i * NR;
                for (int j = 0; j < nv; j += L) {
                    // alpha = 1 and beta = 1 leave their products exact: skip the multiplications
                    FloatVector r = FloatVector.fromArray(S, tile, ti + j);
                    if (alpha != 1f) {
                        r = r.mul(alpha);
                    }
                    if (beta != 0f) {
                        FloatVector old = FloatVector.fromArray(S, c, ci + j);
                        r = r.add(beta == 1f ? old : old.mul(beta));
                    }
                    r.intoArray(c, ci + j);
                }
                for (int j = nv; j < nr; j++) {
                    store(c, ci + j, alpha, tile[ti + j], beta);
                }
            }
        }

        /**
         * tile[MR][NR] = Apanel * Bstrip, where the A panel is [kc][MR] at ap[aOff] and the B strip is
         * [kc][NR] at bp[bOff]. Kept small and separate, its result going through memory rather than
         * through more inlined code, so the JIT compiles the hot loop the same way every launch.
         */
        private static void microKernel(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
            if (NV == 4) {
                microKernel6x4(kc, ap, aOff, bp, bOff, tile);
            } else {
                CpuMicroKernel.tile(kc, ap, aOff, bp, bOff, tile);
            }
        }

        /**
         * The 6 x 4-vector tile for 32 vector registers (AVX-512): 24 accumulators; the A panel
         * [kc][MR] at ap[aOff], the B strip [kc][4L] at bp[bOff], tile [MR][4L]. Package-private for
         * its test, which runs it on any machine. As in {@link CpuMicroKernel#tile6x2}, the bounds are
         * checked once and the loop steps its two indices: with them computed from k, the tile ran
         * 15% slower on JDK 17 and 7% on JDK 25 (AVX-512, kc = 64 and 256).
         */
        static void microKernel6x4(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
            FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
            FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
            FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
            FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
            Objects.checkFromIndexSize(aOff, kc * 6, ap.length);
            Objects.checkFromIndexSize(bOff, kc * 4 * L, bp.length);
            for (int ai = aOff, bi = bOff, end = aOff + kc * 6; ai < end; ai += 6, bi += 4 * L) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
                FloatVector av = FloatVector.broadcast(S, ap[ai]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                c02 = av.fma(b2, c02);
                c03 = av.fma(b3, c03);
                av = FloatVector.broadcast(S, ap[ai + 1]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                c12 = av.fma(b2, c12);
                c13 = av.fma(b3, c13);
                av = FloatVector.broadcast(S, ap[ai + 2]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                c22 = av.fma(b2, c22);
                c23 = av.fma(b3, c23);
                av = FloatVector.broadcast(S, ap[ai + 3]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                c32 = av.fma(b2, c32);
                c33 = av.fma(b3, c33);
                av = FloatVector.broadcast(S, ap[ai + 4]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                c42 = av.fma(b2, c42);
                c43 = av.fma(b3, c43);
                av = FloatVector.broadcast(S, ap[ai + 5]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                c52 = av.fma(b2, c52);
                c53 = av.fma(b3, c53);
            }
            c00.intoArray(tile, 0);
            c01.intoArray(tile, L);
            c02.intoArray(tile, 2 * L);
            c03.intoArray(tile, 3 * L);
            c10.intoArray(tile, 4 * L);
            c11.intoArray(tile, 4 * L + L);
            c12.intoArray(tile, 4 * L + 2 * L);
            c13.intoArray(tile, 4 * L + 3 * L);
            c20.intoArray(tile, 2 * 4 * L);
            c21.intoArray(tile, 2 * 4 * L + L);
            c22.intoArray(tile, 2 * 4 * L + 2 * L);
            c23.intoArray(tile, 2 * 4 * L + 3 * L);
            c30.intoArray(tile, 3 * 4 * L);
            c31.intoArray(tile, 3 * 4 * L + L);
            c32.intoArray(tile, 3 * 4 * L + 2 * L);
            c33.intoArray(tile, 3 * 4 * L + 3 * L);
            c40.intoArray(tile, 4 * 4 * L);
            c41.intoArray(tile, 4 * 4 * L + L);
            c42.intoArray(tile, 4 * 4 * L + 2 * L);
            c43.intoArray(tile, 4 * 4 * L + 3 * L);
            c50.intoArray(tile, 5 * 4 * L);
            c51.intoArray(tile, 5 * 4 * L + L);
            c52.intoArray(tile, 5 * 4 * L + 2 * L);
            c53.intoArray(tile, 5 * 4 * L + 3 * L);
        }
    }
}
