/*
 * conv.cl: the data movement around GEMM for 2-D convolution (im2col + GEMM; ClConv explains the
 * choice). Legend: N batch, C input channels, H x W input, F filters, KH x KW kernel, OH x OW
 * output, S = OH*OW, P = C*KH*KW. A chunk of nb images starting at image n0 is processed at a
 * time; its column matrices are [rows, nb*S] with image n in columns n*S .. n*S+S-1.
 *
 * Every kernel walks a row of its output along dimension 0, so that reads and writes are
 * contiguous (coalesced on GPUs, vectorised by PoCL), and keeps integer division out of the
 * per-element work: a per-work-item index decomposition is amortised over a loop on the images
 * (division by a run-time value is not vectorised on CPUs and cost ~20 ns per element on PoCL).
 *
 * Variants:
 *   im2col      cols[P, nb*S]: cols[c*KH*KW + i*KW + j][n*S + oy*OW + ox] =
 *               x[n0+n, c, oy*stride - pad + i, ox*stride - pad + j] (0 outside the image).
 *               Global (OW rounded up, OH, P); loops over the nb images.
 *   col2im_add  dx[n0+n, c, y, x] += sum of the cols cells that im2col filled from (y, x): a
 *               gather per input element, so no atomics and a fixed summation order.
 *               Global (W rounded up, H, C); loops over the nb images.
 *   gather_dy   t[F, nb*S]: t[f][n*S + s] = dy[n0+n, f, s]. Global (S rounded up, F, nb).
 *   scatter_y   y[n0+n, f, s] = t[f][n*S + s] + (hasBias ? bias[f] : 0). Global (S rounded up, F, nb).
 */
#pragma OPENCL FP_CONTRACT OFF

__kernel void im2col(const int nb, const int n0, const int c, const int h, const int w,
                     const int kh, const int kw, const int stride, const int pad, const int oh, const int ow,
                     __global const float* x, __global float* cols)
{
    const int ox = get_global_id(0);
    const int oy = get_global_id(1);
    const int row = get_global_id(2);
    if (ox >= ow) {
        return;
    }
    const int ch = row / (kh * kw);
    const int i = (row / kw) % kh;
    const int j = row % kw;
    const int y = oy * stride - pad + i;
    const int xx = ox * stride - pad + j;
    const bool inside = y >= 0 && y < h && xx >= 0 && xx < w;
    const int plane = h * w;
    __global const float* src = x + ((n0 * c + ch) * h + y) * w + xx;
    __global float* dst = cols + row * (nb * oh * ow) + oy * ow + ox;
    for (int n = 0; n < nb; n++) {
        dst[n * oh * ow] = inside ? src[n * c * plane] : 0.0f;
    }
}

__kernel void col2im_add(const int nb, const int n0, const int c, const int h, const int w,
                         const int kh, const int kw, const int stride, const int pad, const int oh, const int ow,
                         __global const float* cols, __global float* dx)
{
    const int xx = get_global_id(0);
    const int y = get_global_id(1);
    const int ch = get_global_id(2);
    if (xx >= w) {
        return;
    }
    // Outputs whose window covers (y, xx): oy*stride - pad <= y < oy*stride - pad + kh, likewise ox.
    const int py = y + pad;
    const int px = xx + pad;
    const int oy0 = py < kh ? 0 : (py - kh) / stride + 1;
    const int oy1 = min(py / stride + 1, oh);
    const int ox0 = px < kw ? 0 : (px - kw) / stride + 1;
    const int ox1 = min(px / stride + 1, ow);
    const int s = oh * ow;
    const int ld = nb * s;
    for (int n = 0; n < nb; n++) {
        float acc = 0.0f;
        for (int oy = oy0; oy < oy1; oy++) {
            const int i = py - oy * stride;
            for (int ox = ox0; ox < ox1; ox++) {
                const int j = px - ox * stride;
                acc += cols[((ch * kh + i) * kw + j) * ld + n * s + oy * ow + ox];
            }
        }
        const int at = (((n0 + n) * c + ch) * h + y) * w + xx;
        dx[at] = dx[at] + acc;
    }
}

__kernel void gather_dy(const int nb, const int n0, const int f, const int s,
                        __global const float* dy, __global float* t)
{
    const int col = get_global_id(0);
    const int row = get_global_id(1);
    const int n = get_global_id(2);
    if (col < s) {
        t[row * (nb * s) + n * s + col] = dy[((n0 + n) * f + row) * s + col];
    }
}

__kernel void scatter_y(const int nb, const int n0, const int f, const int s, __global const float* t,
                        const int hasBias, __global const float* bias, __global float* y)
{
    const int col = get_global_id(0);
    const int row = get_global_id(1);
    const int n = get_global_id(2);
    if (col < s) {
        const float b = hasBias ? bias[row] : 0.0f;
        y[((n0 + n) * f + row) * s + col] = t[row * (nb * s) + n * s + col] + b;
    }
}
