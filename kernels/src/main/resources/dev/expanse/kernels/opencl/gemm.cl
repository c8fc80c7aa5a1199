/*
 * gemm.cl: C = alpha * op(A) * op(B) + beta * C, row-major with leading dimensions and offsets
 * (the contract of Backend.gemm). op(A) is m x k, op(B) is k x n, C is m x n.
 *
 * "Panel" layout: an operand is cut into panels of PW rows of op(A) (or PW columns of op(B)),
 * and element (i, p), i the row (column) index and p the depth, lives at
 *     off + (i / PW) * panel + p * depth + (i % PW) * lane
 * The pack kernels write it contiguously (lane 1, depth PW, panel PW * depthPad), zero-padded to
 * whole panels; a raw operand often already has it (e.g. B not transposed: panel PW, depth ldb),
 * and then the host passes it as it is.
 *
 * Variants:
 *   gemm_cpu       for CPU devices (PoCL). One work-item per MR x NR tile of C (NR = 16*NV) held
 *                  in MR*NV float16 registers; each step of k broadcasts MR floats of A and loads
 *                  NV float16 of B. Work-group size 1 (the parallelism is across tiles; PoCL runs
 *                  work-groups on all cores). Preconditions: B packed in NR-wide panels
 *                  (lane 1, depth stride bDepth); A in MR-row panels with any lane and depth
 *                  strides (raw non-transposed A works: panel MR*lda, lane lda, depth 1).
 *   gemm_gpu       for GPUs. A work-group of (TSN/WPTN) x (TSM/WPTM) work-items computes a TSM x TSN
 *                  tile through TSK-deep local-memory tiles; each work-item keeps WPTM x WPTN
 *                  accumulators (2-D register blocking) and fills local memory with vload4.
 *                  Preconditions: A in TSM-row and B in TSN-column panels with lane 1, depth
 *                  padded with zeros to a multiple of TSK; offsets and depth strides multiples of 4
 *                  (so the vector loads are aligned).
 *   gemm_pack_cpu  CPU packing: one work-item copies the PW floats of one depth row of a panel.
 *   gemm_pack      GPU packing through PT x PT local-memory tiles, so reads and writes are both
 *                  coalesced even when op(X) is a transpose. Precondition: PW and the padded
 *                  depth are multiples of PT.
 *   gemm_scale     C = alpha * 0 + beta * C, for k == 0.
 *
 * The compute kernels accumulate each dot product in k order, store only cells with i < m and
 * j < n, and do not read C when beta == 0 (NaN in C does not propagate).
 */

#ifndef MR
#define MR 8
#endif
#ifndef NV
#define NV 2
#endif
#define NR (16 * NV)

#ifndef TSM
#define TSM 64
#endif
#ifndef TSN
#define TSN 64
#endif
#ifndef TSK
#define TSK 16
#endif
#ifndef WPTM
#define WPTM 4
#endif
#ifndef WPTN
#define WPTN 4
#endif
#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)

#ifndef PT
#define PT 16
#endif

// dst[panel][p][c] = op(X)[panel*w + c][p], zero outside rows x depth, where element (i, p) of
// op(X) is src[off + i*sIdx + p*sDepth]. GPU version: global (w, depthPad, panels), w and
// depthPad multiples of PT; work-groups of PT x PT x 1. A tile goes through local memory so that
// the reads (along the source's contiguous direction: i if idxFirst, else p) and the writes
// (along c) are both contiguous. The panel is a global dimension to keep integer division out.
__kernel __attribute__((reqd_work_group_size(PT, PT, 1)))
void gemm_pack(const int rows, const int depth, const int depthPad, const int w, const int idxFirst,
               __global const float* restrict src, const int off, const int sIdx, const int sDepth,
               __global float* restrict dst)
{
    __local float tile[PT][PT + 1];
    const int lx = get_local_id(0);
    const int ly = get_local_id(1);
    const int i0 = get_group_id(2) * w + get_group_id(0) * PT;
    const int p0 = get_group_id(1) * PT;
    // tile[di][dp] holds element (i0 + di, p0 + dp).
    const int di = idxFirst ? lx : ly;
    const int dp = idxFirst ? ly : lx;
    float v = 0.0f;
    if (i0 + di < rows && p0 + dp < depth) {
        v = src[off + (i0 + di) * sIdx + (p0 + dp) * sDepth];
    }
    tile[di][dp] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    dst[(get_group_id(2) * depthPad + p0 + ly) * w + get_global_id(0)] = tile[lx][ly];
}

// dst[panel][p][c] = op(X)[panel*w + c][p] as gemm_pack, zero-padded. Global (depthPad rounded
// up to the local size, panels).
__kernel void gemm_pack_cpu(const int rows, const int depth, const int depthPad, const int w,
                            __global const float* restrict src, const int off, const int sIdx, const int sDepth,
                            __global float* restrict dst)
{
    const int p = get_global_id(0);
    const int panel = get_global_id(1);
    if (p >= depthPad) {
        return;
    }
    __global float* d = dst + (panel * depthPad + p) * w;
    const int i0 = panel * w;
    const int valid = p < depth ? min(w, rows - i0) : 0;
    __global const float* s = src + off + i0 * sIdx + p * sDepth;
    if (sIdx == 1) {
        for (int c = 0; c < valid; c++) {
            d[c] = s[c];
        }
    } else {
        for (int c = 0; c < valid; c++) {
            d[c] = s[c * sIdx];
        }
    }
    for (int c = valid; c < w; c++) {
        d[c] = 0.0f;
    }
}

__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void gemm_cpu(const int m, const int n, const int k, const float alpha, const float beta,
              __global const float* restrict a, const int aOff, const int aPanel, const int aLane, const int aDepth,
              __global const float* restrict b, const int bOff, const int bPanel, const int bDepth,
              __global float* restrict c, const int cOff, const int ldc)
{
    // Dimension 0 walks down the rows, so consecutive tiles share the B panel (in cache).
    const int ip = get_global_id(0);
    const int jp = get_global_id(1);
    // Rows past m repeat row m-1: their results are computed but never stored.
    __global const float* ar[MR];
    #pragma unroll
    for (int r = 0; r < MR; r++) {
        const int i = min(ip * MR + r, m - 1);
        ar[r] = a + aOff + (i / MR) * aPanel + (i % MR) * aLane;
    }
    __global const float* bp = b + bOff + jp * bPanel;

    float16 acc[MR][NV];
    #pragma unroll
    for (int r = 0; r < MR; r++) {
        #pragma unroll
        for (int v = 0; v < NV; v++) {
            acc[r][v] = (float16) 0.0f;
        }
    }
    for (int p = 0; p < k; p++) {
        float16 bv[NV];
        #pragma unroll
        for (int v = 0; v < NV; v++) {
            bv[v] = vload16(v, bp);
        }
        const int ap = p * aDepth;
        #pragma unroll
        for (int r = 0; r < MR; r++) {
            const float16 av = (float16) ar[r][ap];
            #pragma unroll
            for (int v = 0; v < NV; v++) {
                acc[r][v] = fma(av, bv[v], acc[r][v]);
            }
        }
        bp += bDepth;
    }

    const int i0 = ip * MR;
    const int j0 = jp * NR;
    #pragma unroll
    for (int r = 0; r < MR; r++) {
        if (i0 + r >= m) {
            break;
        }
        __global float* cr = c + cOff + (i0 + r) * ldc + j0;
        if (j0 + NR <= n) {
            #pragma unroll
            for (int v = 0; v < NV; v++) {
                float16 out = alpha * acc[r][v];
                if (beta != 0.0f) {
                    out += beta * vload16(v, cr);
                }
                vstore16(out, v, cr);
            }
        } else {
            float tile[NR];
            #pragma unroll
            for (int v = 0; v < NV; v++) {
                vstore16(acc[r][v], v, tile);
            }
            for (int j = 0; j < n - j0; j++) {
                cr[j] = beta != 0.0f ? alpha * tile[j] + beta * cr[j] : alpha * tile[j];
            }
        }
    }
}

__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void gemm_gpu(const int m, const int n, const int kPad, const float alpha, const float beta,
              __global const float* restrict a, const int aOff, const int aPanel, const int aDepth,
              __global const float* restrict b, const int bOff, const int bPanel, const int bDepth,
              __global float* restrict c, const int cOff, const int ldc)
{
    const int tn = get_local_id(0);
    const int tm = get_local_id(1);
    const int tid = tm * RTSN + tn;
    __global const float* ap = a + aOff + get_group_id(1) * aPanel;
    __global const float* bp = b + bOff + get_group_id(0) * bPanel;

    __local float As[TSK][TSM];
    __local float Bs[TSK][TSN];
    float acc[WPTM][WPTN];
    #pragma unroll
    for (int wm = 0; wm < WPTM; wm++) {
        #pragma unroll
        for (int wn = 0; wn < WPTN; wn++) {
            acc[wm][wn] = 0.0f;
        }
    }

    for (int p0 = 0; p0 < kPad; p0 += TSK) {
        for (int l = tid; l < TSK * TSM / 4; l += RTSM * RTSN) {
            const int p = l / (TSM / 4);
            const int q = l % (TSM / 4);
            vstore4(vload4(q, ap + (p0 + p) * aDepth), q, &As[p][0]);
        }
        for (int l = tid; l < TSK * TSN / 4; l += RTSM * RTSN) {
            const int p = l / (TSN / 4);
            const int q = l % (TSN / 4);
            vstore4(vload4(q, bp + (p0 + p) * bDepth), q, &Bs[p][0]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        #pragma unroll
        for (int p = 0; p < TSK; p++) {
            float breg[WPTN];
            #pragma unroll
            for (int wn = 0; wn < WPTN; wn++) {
                breg[wn] = Bs[p][tn + wn * RTSN];
            }
            #pragma unroll
            for (int wm = 0; wm < WPTM; wm++) {
                const float av = As[p][tm + wm * RTSM];
                #pragma unroll
                for (int wn = 0; wn < WPTN; wn++) {
                    acc[wm][wn] = fma(av, breg[wn], acc[wm][wn]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    #pragma unroll
    for (int wm = 0; wm < WPTM; wm++) {
        const int i = get_group_id(1) * TSM + tm + wm * RTSM;
        #pragma unroll
        for (int wn = 0; wn < WPTN; wn++) {
            const int j = get_group_id(0) * TSN + tn + wn * RTSN;
            if (i < m && j < n) {
                __global float* cij = c + cOff + i * ldc + j;
                *cij = beta != 0.0f ? alpha * acc[wm][wn] + beta * *cij : alpha * acc[wm][wn];
            }
        }
    }
}

// Global size (n, m).
__kernel void gemm_scale(const int m, const int n, const float alpha, const float beta,
                         __global float* c, const int cOff, const int ldc)
{
    const int j = get_global_id(0);
    const int i = get_global_id(1);
    if (i < m && j < n) {
        __global float* cij = c + cOff + i * ldc + j;
        *cij = beta != 0.0f ? alpha * 0.0f + beta * *cij : alpha * 0.0f;
    }
}
