package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.CpuMicroKernel.L;
import static dev.expanse.kernels.cpu.CpuMicroKernel.MR;

import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The stride-1 vector conv kernels: GEMM without the im2col matrix. The im2col matrix of an image
 * is read lane group by lane group through offset tables ({@link CpuConvForwardLayout} for the
 * forward, {@link CpuConvLayout} for the rest) from its zero-padded copy, or from its shifted
 * copies, never written out. Legend as in {@link ConvShape}; P = C*KH*KW, S = OH*OW, G lane
 * groups per image.
 *
 * <ul>
 *   <li>Forward, per image: {@code y [F, S] = W [F, P] * col [P, S] + bias}, W packed once per call
 *       into panels of {@link CpuMicroKernel#FORWARD_ROWS} filters, B = col by lane groups
 *       ({@link CpuMicroKernel#forwardTile}). Every output
 *       sums its products in p order in blocks of KC starting at fixed multiples of KC, merged in
 *       block order, then adds the bias: the arithmetic of {@code gemm} followed by a bias add, so
 *       appending channels with zero weights, or filters, leaves an old output's bits unchanged.</li>
 *   <li>Backward to the input, per image: {@code dcol [P, S] = W^T [P, F] * dy [F, S]}, each tile
 *       added straight onto the padded image of dx at the taps it came from (col2im fused into the
 *       write-back), then the interior added to dx; or onto KW shifted copies of the padded dx
 *       ({@link CpuConvForwardLayout#shifted}), then each copy added back onto dx at its shift.
 *       Where the shape allows it, the forward over dy instead ({@link #backwardData}).</li>
 *   <li>Backward to the weights: {@code dW^T [P, F] = sum_n col_n [P, S] * dy_n^T [S, F]}, A packed
 *       panel by panel over a block of images from the padded images (made once per call), dy
 *       transposed once per call; the same tile over the whole block, then added onto dW.</li>
 * </ul>
 * Images are split over threads for the forward and the backward to the input, units of dW for
 * the backward to the weights; every output is computed whole by one thread in a fixed order, so
 * each kernel gives the same bits for any thread count.
 */
final class CpuConvImplicit {
    private CpuConvImplicit() {
    }

    private static final int KC = CpuGemm.Vector.KC;
    /** Rows of the forward's tile: filters a tile runs, and the height of its weight panels. */
    private static final int FR = CpuMicroKernel.FORWARD_ROWS;
    /**
     * Floats of the forward's strips for one chunk of group pairs (64 KB). The forward runs the
     * filters over every pair of a chunk before the next chunk, so that each tile's rows of y
     * continue where the last tile's stopped: with a small patch a tile is short and its write-back
     * dominates (conv 1->32 5x5: 800 floats a pair, 20 pairs at a time, forward 0.76x on JDK 25,
     * 0.81x on 17). A large patch gets one pair at a time, whose strip then stays in L1 while the
     * filters pass (conv 32->64 3x3: 9216 floats; three pairs at a time ran it 5% slower).
     */
    private static final int CHUNK_FLOATS = 16 * 1024;

    private static final Map<ConvShape, CpuConvLayout> LAYOUTS = new ConcurrentHashMap<>();
    private static final Map<ConvShape, CpuConvForwardLayout> FORWARD_LAYOUTS = new ConcurrentHashMap<>(),
            COL2IM_LAYOUTS = new ConcurrentHashMap<>();

    /** The layout of s for the col2im backward to the input and the weight gradient; made once per shape. */
    private static CpuConvLayout layout(ConvShape s) {
        return cached(LAYOUTS, s, shape -> new CpuConvLayout(shape, L));
    }

    /** The forward's layout of s (outputs compact); made once per shape. */
    private static CpuConvForwardLayout forwardLayout(ConvShape s) {
        return cached(FORWARD_LAYOUTS, s, shape -> new CpuConvForwardLayout(shape, L));
    }

    private static <T> T cached(Map<ConvShape, T> layouts, ConvShape s, Function<ConvShape, T> make) {
        if (layouts.size() > 256) { // a net has a few shapes; a sweep over many must not fill the heap
            layouts.clear();
        }
        return layouts.computeIfAbsent(s, make);
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    /** y [N, F, OH, OW] = conv(x, W) + bias (bias may be null). */
    static void forward(Parallel par, ConvShape s, float[] x, float[] w, int ldw, float[] bias, float[] y) {
        forward(par, s, x, w, ldw, bias, y, false);
    }

    /** As above, or {@code y += conv(x, W) + bias} when {@code accumulate}. */
    private static void forward(Parallel par, ConvShape s, float[] x, float[] w, int ldw, float[] bias, float[] y,
                                boolean accumulate) {
        CpuConvForwardLayout lay = forwardLayout(s);
        int patch = s.patch(), fpad = roundUp(s.f(), FR), spatial = s.oh() * s.ow();
        // W [F, P] as panels of FR filters, k block pc at pc * fpad
        float[] aw = Scratch.get(Scratch.WEIGHTS, fpad * patch);
        for (int pc = 0; pc < patch; pc += KC) {
            CpuGemm.Vector.packA(FR, false, s.f(), Math.min(KC, patch - pc), w, pc, ldw, aw, pc * fpad);
        }
        // a chunk of group pairs: their strips over the whole patch, [pairs][patch][2L], block pc at pc * 2L
        int pairs = (lay.groups + 1) / 2, pairFloats = patch * 2 * L;
        int chunk = Math.max(1, Math.min(pairs, CHUNK_FLOATS / pairFloats));
        par.forRange(s.n(), 1, (lo, hi) -> {
            float[] xp = lay.inPlace ? x : Scratch.get(Scratch.IMAGE, lay.paddedScratch());
            float[] xs = lay.shifted == 0 ? null : Scratch.get(Scratch.SHIFTED, lay.shifted), src = lay.source(x, xp, xs);
            float[] strips = Scratch.get(Scratch.STRIP, chunk * pairFloats), tile = Scratch.get(Scratch.TILE, CpuMicroKernel.TILE);
            // the tiles' target: y itself, or an image's wide output, copied out at the end
            float[] out = lay.wide ? Scratch.get(Scratch.WIDE, lay.wideImage()) : y;
            int ldo = lay.wide ? lay.groups * L : spatial;
            for (int n = lo; n < hi; n++) {
                int xBase = lay.prepare(x, n, xp, xs), outBase = lay.wide ? 0 : n * s.outPerImage();
                if (lay.wide && accumulate) {
                    lay.copyWide(out, y, n, true);
                }
                for (int q0 = 0; q0 < pairs; q0 += chunk) {
                    int q1 = Math.min(pairs, q0 + chunk);
                    for (int q = q0; q < q1; q++) {
                        int g = 2 * q, g1 = Math.min(g + 1, lay.groups - 1);
                        // the two packers called from here: through one method choosing between them,
                        // the two-rows packing took 9% of a LeNet step (8 ns a half vector, JDK 25),
                        // though not in its conv's forward alone
                        if (lay.twoRows) {
                            lay.packStripTwoRows(src, xBase, g, g1, strips, (q - q0) * pairFloats);
                        } else {
                            CpuConvLayout.packWholeStrip(src, lay.tapOff, 0, patch, xBase + lay.groupOff[g],
                                    xBase + lay.groupOff[g1], strips, (q - q0) * pairFloats);
                        }
                    }
                    // k blocks outer, so that a block of the strips stays in L1 while every filter passes
                    // (conv 32->64 5x5 on 12x12, backward to dx as a forward: strips of 200 KB, one
                    // block 32 KB; it ran 2x faster, JDK 25); filters, then pairs: each tile's rows of
                    // y continue where the last tile's stopped
                    for (int pc = 0; pc < patch; pc += KC) {
                        for (int f0 = 0; f0 < s.f(); f0 += FR) {
                            for (int q = q0; q < q1; q++) {
                                forwardTile(lay, aw, fpad, f0, pc, strips, (q - q0) * pairFloats, 2 * q, bias, out,
                                        outBase, ldo, tile, accumulate);
                            }
                        }
                    }
                }
                if (lay.wide) {
                    lay.copyWide(out, y, n, false);
                }
            }
        });
    }

    /**
     * Filters f0 .. f0 + FR of one image over the group pair g0, g0 + 1 (g0 alone at an odd end),
     * the k block at pc, from the pair's strips at strips[off], merged into that image's outputs at
     * out[outBase ..], filter f's row at {@code f * ldo}: the first block stores (or adds, when
     * {@code accumulate}), the later ones add, the last adds the bias too. Blocks run in order for
     * every output, so each sums as {@code gemm} does.
     */
    private static void forwardTile(CpuConvForwardLayout lay, float[] aw, int fpad, int f0, int pc, float[] strips, int off,
                                    int g0, float[] bias, float[] out, int outBase, int ldo, float[] tile,
                                    boolean accumulate) {
        ConvShape s = lay.s;
        int patch = s.patch(), kc = Math.min(KC, patch - pc);
        int g1 = Math.min(g0 + 1, lay.groups - 1);
        int v0 = lay.valid(g0), v1 = g1 == g0 ? 0 : lay.valid(g1);
        boolean first = pc == 0 && !accumulate, addBias = pc + kc == patch && bias != null;
        if (g1 == g0) {
            CpuMicroKernel.tileOneGroup(kc, aw, pc * fpad + f0 * kc, strips, off + pc * 2 * L, tile);
        } else {
            CpuMicroKernel.forwardTile(kc, aw, pc * fpad + f0 * kc, strips, off + pc * 2 * L, tile);
        }
        for (int ii = 0; ii < Math.min(FR, s.f() - f0); ii++) {
            int f = f0 + ii, row = outBase + f * ldo + g0 * L;
            float b = bias == null ? 0f : bias[f];
            CpuConvTiles.mergeForward(tile, ii, 0, v0, out, row, first, addBias, b);
            if (v1 > 0) {
                CpuConvTiles.mergeForward(tile, ii, 1, v1, out, row + L, first, addBias, b);
            }
        }
    }

    /**
     * dx [N, C, H, W] += conv^T(dy, W). Where the shape allows it ({@link #asForward}), this is the
     * forward over dy: {@code dx = conv(dy, W')} with C filters over F channels, the kernel turned
     * half a turn ({@code W'[c, (f, i, j)] = W[f, (c, KH-1-i, KW-1-j)]}) and padding K - 1 - pad.
     * Its tiles are added along dx's rows; the col2im write-back instead adds each tile row onto
     * the padded dx at its tap, where neighbouring taps overlap by all but one lane. As a forward,
     * conv 32->64 3x3 on 14x14 and 64->64 on 8x8 ran their backward to dx 2-6% faster (JDK 17 and
     * 25, 1 and 2 threads).
     */
    static void backwardData(Parallel par, ConvShape s, float[] dy, float[] w, int ldw, float[] dx) {
        ConvShape t = asForward(s);
        if (t != null) {
            int kk = s.kh() * s.kw(), ldt = s.f() * kk;
            float[] wt = Scratch.get(Scratch.TURNED, s.c() * ldt);
            for (int f = 0; f < s.f(); f++) {
                for (int c = 0; c < s.c(); c++) {
                    for (int tap = 0; tap < kk; tap++) {
                        wt[c * ldt + f * kk + kk - 1 - tap] = w[f * ldw + c * kk + tap];
                    }
                }
            }
            forward(par, t, dy, wt, ldt, null, dx, true);
            return;
        }
        CpuConvLayout lay = layout(s);
        int patch = s.patch(), ppad = roundUp(patch, MR);
        // W^T [P, F] as GEMM A panels, k block fc at fc * ppad
        float[] aw = Scratch.get(Scratch.WEIGHTS, ppad * s.f());
        for (int fc = 0; fc < s.f(); fc += KC) {
            CpuGemm.Vector.packA(true, patch, Math.min(KC, s.f() - fc), w, fc * ldw, ldw, aw, fc * ppad);
        }
        CpuConvForwardLayout shifted = col2imShifted(s, lay);
        if (shifted != null) {
            par.forRange(s.n(), 1, (lo, hi) -> {
                float[] xs = Scratch.get(Scratch.SHIFTED, shifted.shifted);
                float[] strip = Scratch.get(Scratch.STRIP, KC * 2 * L), tile = Scratch.get(Scratch.TILE, CpuMicroKernel.TILE);
                for (int n = lo; n < hi; n++) {
                    int dyBase = n * s.outPerImage();
                    Arrays.fill(xs, 0, shifted.shifted, 0f);
                    for (int g = 0; g < shifted.groups; g += 2) {
                        int g1 = Math.min(g + 1, shifted.groups - 1), v1 = g1 == g ? 0 : shifted.valid(g1);
                        for (int fc = 0; fc < s.f(); fc += KC) {
                            int kc = Math.min(KC, s.f() - fc);
                            // dy's lanes past S zero: they are added onto the copies' floats after them
                            lay.packStrip(dy, lay.dyRowOff, fc, kc, dyBase + g * L, shifted.valid(g), dyBase + g1 * L, v1,
                                    strip, 0);
                            backwardDataStrip(shifted, aw, ppad, fc, kc, strip, g, g1, xs, tile);
                        }
                    }
                    shifted.addShifted(xs, dx, n);
                }
            });
            return;
        }
        par.forRange(s.n(), 1, (lo, hi) -> {
            // with no padding lanes the padded image is dx itself: tiles add straight onto it
            float[] dxp = lay.inPlace ? dx : Scratch.get(Scratch.IMAGE, lay.image);
            float[] strip = Scratch.get(Scratch.STRIP, KC * 2 * L), tile = Scratch.get(Scratch.TILE, CpuMicroKernel.TILE);
            for (int n = lo; n < hi; n++) {
                int dxBase = lay.inPlace ? n * lay.image : 0, dyBase = n * s.outPerImage();
                if (!lay.inPlace) {
                    Arrays.fill(dxp, 0, lay.image, 0f);
                }
                for (int g = 0; g < lay.groups; g += 2) {
                    int g1 = Math.min(g + 1, lay.groups - 1), v1 = g1 == g ? 0 : lay.valid(g1);
                    for (int fc = 0; fc < s.f(); fc += KC) {
                        int kc = Math.min(KC, s.f() - fc);
                        // dy's padding lanes must be zero here: they are added onto dx
                        lay.packStrip(dy, lay.dyRowOff, fc, kc, dyBase + lay.outOff[g], lay.valid(g),
                                dyBase + lay.outOff[g1], v1, strip, 0);
                        backwardDataStrip(lay, aw, ppad, fc, kc, strip, g, g1, dxp, dxBase, tile);
                    }
                }
                if (!lay.inPlace) {
                    lay.addInterior(dxp, 0, dx, n);
                }
            }
        });
    }

    /**
     * The forward that computes the backward to the input of s (C filters over F channels of dy,
     * the kernel turned, padding K - 1 - pad), or null where col2im runs it instead. As a forward
     * it needs a square kernel and padding below its size (so K - 1 - pad is not negative), and
     * tiles that multiply no more than 1.25 times as many lanes as col2im's: the turned conv
     * multiplies every tap that reads dy's padding too. With 3 x 3 kernels padded by 1 the two
     * multiply about as many, and as a forward ran 2-6% faster (see {@link #backwardData}). LeNet's
     * 5 x 5 conv on 12 x 12 without padding stays with col2im: as a forward over 8 x 8 dy padded by
     * 4 it multiplied 1.7x as many lanes on AVX-512 (and ran 2x slower), 3.4x on AVX2.
     */
    private static ConvShape asForward(ConvShape s) {
        if (s.kh() != s.kw() || s.pad() >= s.kh() || s.f() == 0) {
            return null;
        }
        ConvShape t = new ConvShape(s.n(), s.f(), s.oh(), s.ow(), s.c(), s.kh(), s.kw(), 1, s.kh() - 1 - s.pad());
        double asForward = (double) forwardLayout(t).groups * roundUp(t.f(), FR) * t.patch();
        CpuConvLayout rows = layout(s);
        CpuConvForwardLayout shifted = col2imShifted(s, rows);
        double col2im = (double) (shifted == null ? rows.groups : shifted.groups) * roundUp(s.patch(), MR) * s.f();
        return asForward <= 1.25 * col2im ? t : null;
    }

    /**
     * The shifted layout for the col2im backward to the input of s, or null where groups along
     * rows (lay's) take fewer tile pairs: with 16 lanes, 12 x 12 dy take 5 pairs shifted against 6
     * by rows, and 8 x 8 without two-row groups (JDK 17) 2 against 4. Two-row groups take as many
     * pairs as the shifted copies, always, but add their halves under masks: LeNet's conv2 backward
     * to dx (8 x 8 dy) ran 1.12x as long with them (JDK 25, 3 processes), so they never run here.
     */
    private static CpuConvForwardLayout col2imShifted(ConvShape s, CpuConvLayout lay) {
        int compact = (s.oh() * s.ow() + L - 1) / L;
        return lay.twoRows || (compact + 1) / 2 < (lay.groups + 1) / 2
                ? cached(COL2IM_LAYOUTS, s, shape -> CpuConvForwardLayout.shifted(shape, L)) : null;
    }

    /** As below, onto the shifted copies xs of dx: tap p = (c, i, j) of group g at {@code tapOff[p] + g*L}. */
    private static void backwardDataStrip(CpuConvForwardLayout lay, float[] aw, int ppad, int fc, int kc, float[] strip,
                                          int g0, int g1, float[] xs, float[] tile) {
        int patch = lay.s.patch();
        for (int p0 = 0; p0 < patch; p0 += MR) {
            CpuMicroKernel.tile(kc, aw, fc * ppad + p0 * kc, strip, 0, tile);
            for (int ii = 0; ii < Math.min(MR, patch - p0); ii++) {
                int tap = lay.tapOff[p0 + ii];
                CpuConvTiles.scatterAdd(tile, ii, 0, xs, tap + g0 * L);
                if (g1 != g0) {
                    CpuConvTiles.scatterAdd(tile, ii, 1, xs, tap + g1 * L);
                }
            }
        }
    }

    /** Every tap row of dcol over groups g0 and g1 for the k block at fc, added onto the padded dx at dxBase. */
    private static void backwardDataStrip(CpuConvLayout lay, float[] aw, int ppad, int fc, int kc, float[] strip,
                                          int g0, int g1, float[] dxp, int dxBase, float[] tile) {
        int patch = lay.s.patch();
        for (int p0 = 0; p0 < patch; p0 += MR) {
            CpuMicroKernel.tile(kc, aw, fc * ppad + p0 * kc, strip, 0, tile);
            for (int ii = 0; ii < Math.min(MR, patch - p0); ii++) {
                int tap = dxBase + lay.tapOff[p0 + ii];
                CpuConvTiles.scatterAdd(tile, ii, 0, dxp, tap + lay.groupOff[g0]);
                if (g1 != g0) {
                    CpuConvTiles.scatterAdd(tile, ii, 1, dxp, tap + lay.groupOff[g1]);
                }
            }
        }
    }

    /**
     * Positions a weight-gradient tile sums before it is added onto dW^T: whole images, as many as
     * make about this many k steps. With one image of 8x8 outputs a tile ran 64 steps, and adding
     * it onto dW^T then took 6-7% of the kernel. The count depends on OH*OW alone, so a grown layer
     * sums every old cell in the same order.
     */
    private static final int WEIGHT_STEPS = 256;

    /**
     * The weight gradient sums the batch in this many parts, each its own partial dW^T, added in
     * order at the end. A first layer has few units (1 -> 32 channels of 5x5: five units of six
     * taps), which split unevenly over two threads (three and two), and its backward to the weights
     * gained 1.1-1.4x from the second core; with units x halves as the work items it splits evenly.
     * The count depends on the batch and OH*OW alone, never on the thread count or the layer's
     * width, so results keep their bits on any thread count and for old cells of a grown layer.
     */
    private static final int HALVES = 2;

    /**
     * dW [F, P] += sum_n dy_n * col_n^T on the cells outside {@code frozen}, computed transposed,
     * {@code dW^T [P, F] = sum_n col_n [P, S] * dy_n^T [S, F]}, by units of MR taps x 2L filters in a
     * scratch dW^T; units holding no trainable cell are not computed. Each thread takes a range of
     * work items, a unit over one of the {@link #HALVES} parts of the batch (tap-major within a
     * part, so a range of taps), with one partial dW^T per part. For each block of images it
     * transposes the block's dy (the strips of 2L filters its units read, so the block's images
     * follow each other in k) and packs one panel of MR taps over the block (an L1-sized A,
     * [block * S][MR]) for each tap range, then runs every unit of those taps over it, each tile
     * summing the whole block.
     *
     * <p>With {@code db} not null, also {@code db[f] += sum of dy[., f, .]} for f from
     * {@code dbFrom}: each image's sums are taken by the thread that has its part's first unit,
     * while that image's dy is in its cache, and added up in image order, as
     * {@code CpuConv.Vector.biasGradient} does.
     */
    static void backwardWeights(Parallel par, ConvShape s, float[] x, float[] dy, float[] dw, int lddw,
                                FrozenBlock frozen, float[] db, int dbFrom) {
        CpuConvLayout lay = layout(s);
        int patch = s.patch(), spatial = s.oh() * s.ow(), ld = roundUp(s.f(), 2 * L);
        int block = Math.max(1, Math.min(s.n(), WEIGHT_STEPS / spatial));
        // the batch's padded images, made once here rather than by every thread that packs from them
        float[] xp = lay.inPlace ? x : Scratch.get(Scratch.IMAGES, s.n() * lay.image);
        if (!lay.inPlace) {
            par.forRange(s.n(), 1, (lo, hi) -> {
                for (int n = lo; n < hi; n++) {
                    lay.padImage(x, n, xp, n * lay.image);
                }
            });
        }
        int[] units = trainableUnits(s, frozen, ld);
        int blocks = (s.n() + block - 1) / block, halves = Math.min(HALVES, blocks), size = roundUp(patch, MR) * ld;
        float[] acc = Scratch.get(Scratch.PARTIALS, halves * size);
        Arrays.fill(acc, 0, halves * size, 0f);
        // each image's sums of dy's rows, [N][F], for the bias
        float[] sums = db == null ? null : Scratch.get(Scratch.SUMS, s.n() * s.f());
        // work item i: unit i % units.length over half i / units.length of the batch's image blocks
        par.forRange(halves * units.length, 1, (lo, hi) -> {
            float[] panel = Scratch.get(Scratch.PANELS, block * spatial * MR + L);
            float[] tile = Scratch.get(Scratch.TILE, CpuMicroKernel.TILE);
            for (int half = lo / units.length; half * units.length < hi; half++) {
                int uLo = Math.max(lo - half * units.length, 0), uHi = Math.min(hi - half * units.length, units.length);
                int nLo = blocks * half / halves * block, nHi = Math.min(s.n(), blocks * (half + 1) / halves * block);
                // the strips [j0, j1) of 2L filters that these units read, transposed per block: [strip][block * S][2L]
                int j0 = ld, j1 = 0, stripStride = block * spatial * 2 * L;
                for (int u = uLo; u < uHi; u++) {
                    j0 = Math.min(j0, (units[u] & 0xFFFF) / (2 * L));
                    j1 = Math.max(j1, (units[u] & 0xFFFF) / (2 * L) + 1);
                }
                float[] dyt = Scratch.get(Scratch.DY_BLOCK, (j1 - j0) * stripStride);
                boolean sumsHere = sums != null && uLo == 0;
                for (int n0 = nLo; n0 < nHi; n0 += block) {
                    int images = Math.min(block, nHi - n0), k = images * spatial;
                    for (int i = 0; i < images; i++) {
                        lay.transposeDy(dy, n0 + i, j0, j1, dyt, i * spatial * 2 * L, 2 * L, stripStride);
                        if (sumsHere) {
                            CpuConv.Vector.imageSums(s, dy, n0 + i, dbFrom, s.f(), sums);
                        }
                    }
                    for (int u = uLo; u < uHi; ) {
                        int p0 = units[u] >>> 16;
                        // the panel of taps p0 .. p0 + MR over the block's images, one after the other in k
                        for (int i = 0; i < images; i++) {
                            lay.packPanel(xp, (n0 + i) * lay.image, p0, panel, i * spatial * MR);
                        }
                        for (; u < uHi && units[u] >>> 16 == p0; u++) {
                            int f0 = units[u] & 0xFFFF;
                            CpuMicroKernel.tile(k, panel, 0, dyt, (f0 / (2 * L) - j0) * stripStride, tile);
                            CpuConvTiles.addTile(tile, acc, half * size + p0 * ld + f0, ld);
                        }
                    }
                }
            }
        });
        for (int f = 0; f < s.f(); f++) {
            for (int p = frozen.firstTrainableColumn(f, patch); p < patch; p++) {
                float sum = acc[p * ld + f];
                for (int half = 1; half < halves; half++) {
                    sum += acc[half * size + p * ld + f];
                }
                dw[f * lddw + p] += sum;
            }
        }
        if (sums != null) {
            CpuConv.Vector.addImageSums(s, sums, db, dbFrom);
        }
    }

    /**
     * The units (MR taps x 2L filters) of dW^T [P, F] that hold a trainable cell, tap-major, each as
     * {@code (p0 << 16) | f0}.
     */
    private static int[] trainableUnits(ConvShape s, FrozenBlock frozen, int ld) {
        if (s.patch() >= 1 << 15 || ld >= 1 << 16) {
            throw new IllegalArgumentException("conv weight gradient too large for its unit index: " + s);
        }
        int[] units = new int[roundUp(s.patch(), MR) / MR * (ld / (2 * L))];
        int count = 0;
        for (int p0 = 0; p0 < s.patch(); p0 += MR) {
            for (int f0 = 0; f0 < s.f(); f0 += 2 * L) {
                int pLast = Math.min(p0 + MR, s.patch()) - 1, fLast = Math.min(f0 + 2 * L, s.f()) - 1;
                // a unit's most trainable cell is its bottom-right one in dW
                if (!frozen.contains(fLast, pLast)) {
                    units[count++] = p0 << 16 | f0;
                }
            }
        }
        return Arrays.copyOf(units, count);
    }
}
