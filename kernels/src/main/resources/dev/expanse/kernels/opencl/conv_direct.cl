/*
 * conv_direct.cl: 2-D convolution of stride 1 on CPU devices (PoCL), without a column matrix
 * (ClConvDirect explains the choice). Legend: C input channels, F filters, KH x KW kernel, pad P,
 * OH x OW output, and the "wide" layout of a padded image: each plane of HP x WP (HP = H + 2P,
 * WP = W + 2P) is followed by zero rows, and output (oy, ox) lives at q = oy*WP + ox. Then the
 * input under tap (i, j) of output q is at q + i*WP + j in every plane: a run of consecutive
 * outputs reads a run of consecutive inputs, one vector load per tap. Outputs with ox >= OW
 * ("wide" columns) are computed from in-plane or zero cells and never stored.
 *
 * Variants:
 *   pad_planes    dst[plane][(y + top)*dw + x + left] = src[plane][y*sw + x], zeros elsewhere in
 *                 planes of dPlane floats. Global (planes).
 *   pack_filters  wp[panel][p][r] = W[panel*MR + r][p], zero for rows past `rows`; turned: the
 *                 weights of the backward-data convolution, row c and depth (f, i, j) holding
 *                 W[f][(c*KH + KH-1-i)*KW + KW-1-j]. Global (depth rounded up, panels).
 *   conv_cpu      y[n][f][oy][ox] (+)= sum over (c, i, j) of wp[f][c, i, j] * x[n][c][q + i*WP + j]
 *                 (+ bias[f]); a work-item holds MR filters x NR = 16*NV consecutive q in MR*NV
 *                 float16 registers (the tile of gemm_cpu). Global (q tiles, filter panels, images).
 *   conv_weights_cpu
 *                 dw[f][(c*KH + i)*KW + j] += sum over n and q of dyw[n][f][q] * x[n][c][q + i*WP + j],
 *                 dyw being dy in the wide layout (zero at wide columns, so they add nothing);
 *                 a work-item computes WR filters x every tap of CG channels, as partial sums
 *                 over q in vectors of VW lanes (TAPS = KH * groups * WT per channel), added up
 *                 at the end: per block of images, channel and kernel row, groups of WT taps are
 *                 held in WR*WT registers while the block's planes stream by, so that the
 *                 block's dy is read from L2 once for CG channels. Cells of the frozen block
 *                 (f < frozenRows and p < frozenCols) are not written, and work-items holding
 *                 only such cells stop at once. Global (filter groups, channel groups).
 *                 The lanes of wide columns multiply cells of x beside the windows (right of
 *                 them, or at the next row's start) by dy's zeros: an infinite or NaN x there
 *                 turns such a zero product into NaN, a cell im2col would not have read; with
 *                 finite inputs those products are zeros and add nothing.
 *   conv_bias_cpu db[f] += sum over n and q of dyw[n][f][q], for f >= firstRow. Global (F).
 *
 * Every sum runs in a fixed order (taps in (c, i, j) order; q and images in order, lanes added
 * in index order), so results are bit-for-bit reproducible.
 */
#pragma OPENCL FP_CONTRACT OFF

// ClConvDirect always passes gemm_cpu's tile (MR, NV) and the weight gradient's VW and WR; WT,
// TAPS and CG only for conv_weights_cpu, so the other kernels build with their defaults.
#if !defined(MR) || !defined(NV) || !defined(VW) || !defined(WR)
#error "conv_direct.cl needs -DMR, -DNV, -DVW and -DWR"
#endif
#define NR (16 * NV)

#ifndef WT
#define WT 3
#endif
#ifndef TAPS
#define TAPS 9
#endif
#ifndef CG
#define CG 1
#endif

#if VW == 16
#define floatv float16
#define vloadv vload16
#define vstorev vstore16
#else
#define floatv float8
#define vloadv vload8
#define vstorev vstore8
#endif

// One work-item per plane: its rows are copied and zero-filled by loops that LLVM vectorises
// (one work-item per cell, in work-groups of a row, cost more than the convolution of LeNet's conv1).
__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void pad_planes(const int sh, const int sw, const int top, const int left, const int dPlane, const int dw,
                __global const float* restrict src, const int srcOff, __global float* restrict dst)
{
    const int plane = get_global_id(0);
    __global const float* s = src + srcOff + plane * sh * sw;
    __global float* d = dst + plane * dPlane;
    const int start = (top * dw) + left;
    for (int i = 0; i < start; i++) {
        d[i] = 0.0f;
    }
    for (int y = 0; y < sh; y++) {
        __global float* row = d + start + y * dw;
        for (int x = 0; x < sw; x++) {
            row[x] = s[y * sw + x];
        }
        // The zeros right of this row and left of the next are contiguous.
        for (int x = sw; x < dw; x++) {
            row[x] = 0.0f;
        }
    }
    for (int i = start + sh * dw; i < dPlane; i++) {
        d[i] = 0.0f;
    }
}

__kernel void pack_filters(const int rows, const int depth, const int turned, const int kh, const int kw,
                           __global const float* restrict w, const int ldw, __global float* restrict wp)
{
    const int p = get_global_id(0);
    const int panel = get_global_id(1);
    if (p >= depth) {
        return;
    }
    int col = p;
    int f0 = 0;
    if (turned) {
        // p = (f*KH + i)*KW + j of the turned kernel; the row below is c, not f.
        const int taps = kh * kw;
        const int f = p / taps;
        const int i = (p / kw) % kh;
        const int j = p % kw;
        f0 = f;
        col = (kh - 1 - i) * kw + (kw - 1 - j);
    }
    __global float* d = wp + (panel * depth + p) * MR;
    #pragma unroll
    for (int r = 0; r < MR; r++) {
        const int row = panel * MR + r;
        float v = 0.0f;
        if (row < rows) {
            v = turned ? w[f0 * ldw + row * kh * kw + col] : w[row * ldw + col];
        }
        d[r] = v;
    }
}

/**
 * dst[0, len) = src[0, len) + b, or dst += src when accumulating; len <= 32, in pieces of 16,
 * 16, 8, 4, 2 and 1 so that a run is a few vector moves rather than len scalar ones.
 */
#define STORE_PIECE(N)                                                                               \
    if (len - l >= N) {                                                                              \
        vstore##N(accumulate ? vload##N(0, dst + l) + vload##N(0, src + l) : vload##N(0, src + l) + b, \
                  0, dst + l);                                                                       \
        l += N;                                                                                      \
    }

static void store_run(__global float* dst, const float* src, const int len, const float b, const int accumulate)
{
    int l = 0;
    STORE_PIECE(16)
    STORE_PIECE(16)
    STORE_PIECE(8)
    STORE_PIECE(4)
    STORE_PIECE(2)
    if (l < len) {
        dst[l] = accumulate ? dst[l] + src[l] : src[l] + b;
    }
}

__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void conv_cpu(const int rows, const int c, const int kh, const int kw,
              const int wp, const int xPlane, const int oh, const int ow,
              __global const float* restrict x, __global const float* restrict w,
              const int hasBias, __global const float* restrict bias, const int accumulate,
              __global float* restrict y, const int yOff)
{
    const int q0 = get_global_id(0) * NR;
    const int fp = get_global_id(1);
    const int n = get_global_id(2);
    const int depth = c * kh * kw;
    __global const float* panel = w + fp * depth * MR;
    __global const float* image = x + n * c * xPlane;
    const int plane = oh * ow;
    float16 acc[MR][NV];
    #pragma unroll
    for (int r = 0; r < MR; r++) {
        #pragma unroll
        for (int v = 0; v < NV; v++) {
            acc[r][v] = (float16) 0.0f;
        }
    }
    __global const float* wr = panel;
    __global const float* xc = image + q0;
    for (int ch = 0; ch < c; ch++) {
        __global const float* xr = xc;
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                float16 xv[NV];
                #pragma unroll
                for (int v = 0; v < NV; v++) {
                    xv[v] = vload16(0, xr + j + 16 * v);
                }
                #pragma unroll
                for (int r = 0; r < MR; r++) {
                    const float16 a = (float16) wr[r];
                    #pragma unroll
                    for (int v = 0; v < NV; v++) {
                        acc[r][v] = fma(a, xv[v], acc[r][v]);
                    }
                }
                wr += MR;
            }
            xr += wp;
        }
        xc += xPlane;
    }

    // Lane l of the tile is output (oy, ox) = q0 + l in the wide layout. Its valid lanes
    // (oy < OH, ox < OW) form runs, at most one per output row it touches: segment s copies
    // runs[s] lanes from lane lane0[s] to plane offset at[s]. (A store per lane, branching on its
    // validity, took half the forward time of LeNet's conv1.)
    int lane0[NR], at[NR], runs[NR];
    int segments = 0;
    int oy = q0 / wp;
    int ox = q0 - oy * wp;
    for (int l = 0; l < NR && oy < oh;) {
        const int len = min(NR - l, wp - ox);
        if (ox < ow) {
            lane0[segments] = l;
            at[segments] = oy * ow + ox;
            runs[segments] = min(len, ow - ox);
            segments++;
        }
        l += len;
        ox = 0;
        oy++;
    }
    #pragma unroll
    for (int r = 0; r < MR; r++) {
        const int f = fp * MR + r;
        if (f >= rows) {
            break;
        }
        float out[NR];
        #pragma unroll
        for (int v = 0; v < NV; v++) {
            vstore16(acc[r][v], v, out);
        }
        const float b = hasBias ? bias[f] : 0.0f;
        __global float* yr = y + yOff + (n * rows + f) * plane;
        for (int g = 0; g < segments; g++) {
            store_run(yr + at[g], out + lane0[g], runs[g], b, accumulate);
        }
    }
}

/** The lanes of v added in index order. */
static float lane_sum(const floatv v)
{
    float lanes[VW];
    vstorev(v, 0, lanes);
    float s = 0.0f;
    for (int l = 0; l < VW; l++) {
        s += lanes[l];
    }
    return s;
}

__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void conv_weights_cpu(const int nb, const int block, const int f, const int c, const int kh, const int kw, const int groups,
                      const int wp, const int xPlane, const int dyPlane, const int qEnd,
                      __global const float* restrict x, __global const float* restrict dyw,
                      const int frozenRows, const int frozenCols, __global float* restrict dw, const int lddw)
{
    const int f0 = get_global_id(0) * WR;
    const int c0 = get_global_id(1) * CG;
    const int c1 = min(c0 + CG, c);
    const int taps = kh * kw;
    if (min(f0 + WR, f) <= frozenRows && c1 * taps <= frozenCols) {
        return;
    }
    // The partial sums of every tap of channels [c0, c1); the WR x WT of one tap group live in
    // registers while a block of planes streams by, the block's dy staying in L1 across the
    // channels and its x across the kernel rows.
    floatv sums[WR][CG * TAPS];
    #pragma unroll
    for (int r = 0; r < WR; r++) {
        for (int t = 0; t < CG * TAPS; t++) {
            sums[r][t] = (floatv) 0.0f;
        }
    }
    // Filters past f and taps past kw read filter f-1 and tap kw-1 again; never stored.
    __global const float* dr[WR];
    #pragma unroll
    for (int r = 0; r < WR; r++) {
        dr[r] = dyw + min(f0 + r, f - 1) * dyPlane;
    }
    for (int n0 = 0; n0 < nb; n0 += block) {
        const int n1 = min(n0 + block, nb);
        for (int ch = c0; ch < c1; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int g = 0; g < groups; g++) {
                    const int slot = ((ch - c0) * kh * groups + i * groups + g) * WT;
                    int jt[WT];
                    floatv acc[WR][WT];
                    #pragma unroll
                    for (int t = 0; t < WT; t++) {
                        jt[t] = min(g * WT + t, kw - 1);
                        #pragma unroll
                        for (int r = 0; r < WR; r++) {
                            acc[r][t] = sums[r][slot + t];
                        }
                    }
                    for (int n = n0; n < n1; n++) {
                        __global const float* xr = x + (n * c + ch) * xPlane + i * wp;
                        const int dyImage = n * f * dyPlane;
                        for (int q = 0; q < qEnd; q += VW) {
                            floatv d[WR];
                            #pragma unroll
                            for (int r = 0; r < WR; r++) {
                                d[r] = vloadv(0, dr[r] + dyImage + q);
                            }
                            #pragma unroll
                            for (int t = 0; t < WT; t++) {
                                const floatv xv = vloadv(0, xr + q + jt[t]);
                                #pragma unroll
                                for (int r = 0; r < WR; r++) {
                                    acc[r][t] = fma(d[r], xv, acc[r][t]);
                                }
                            }
                        }
                    }
                    #pragma unroll
                    for (int t = 0; t < WT; t++) {
                        #pragma unroll
                        for (int r = 0; r < WR; r++) {
                            sums[r][slot + t] = acc[r][t];
                        }
                    }
                }
            }
        }
    }
    for (int r = 0; r < WR; r++) {
        const int fr = f0 + r;
        if (fr >= f) {
            break;
        }
        for (int ch = c0; ch < c1; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    const int p = (ch * kh + i) * kw + j;
                    if (!(fr < frozenRows && p < frozenCols)) {
                        const int slot = ((ch - c0) * kh * groups + i * groups + j / WT) * WT + j % WT;
                        dw[fr * lddw + p] += lane_sum(sums[r][slot]);
                    }
                }
            }
        }
    }
}

__kernel void conv_bias_cpu(const int nb, const int f, const int dyPlane, const int qEnd, const int firstRow,
                            __global const float* restrict dyw, __global float* restrict db)
{
    const int fr = get_global_id(0);
    if (fr < firstRow || fr >= f) {
        return;
    }
    floatv acc = (floatv) 0.0f;
    for (int n = 0; n < nb; n++) {
        __global const float* d = dyw + (n * f + fr) * dyPlane;
        for (int q = 0; q < qEnd; q += VW) {
            acc += vloadv(0, d + q);
        }
    }
    db[fr] += lane_sum(acc);
}
