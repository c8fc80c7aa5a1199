/*
 * conv.cl: the data movement around GEMM for 2-D convolution (im2col + GEMM; see ClConv for the
 * measurement behind that choice). Legend: N batch, C input channels, H x W input, F filters,
 * KH x KW kernel, OH x OW output, S = OH*OW, P = C*KH*KW. A chunk of nb images starting at
 * image n0 is processed at a time; its column matrices are [rows, nb*S] with image n in columns
 * n*S .. n*S+S-1.
 *
 * Variants:
 *   im2col      cols[P, nb*S]: cols[c*KH*KW + i*KW + j][n*S + oy*OW + ox] =
 *               x[n0+n, c, oy*stride - pad + i, ox*stride - pad + j] (0 outside). Global (nb*S, P).
 *   col2im_add  dx[n0+n, c, y, x] += sum of the cols cells that im2col would have read from it:
 *               a gather per input element, so no atomics. Global nb*C*H*W.
 *   gather_dy   t[F, nb*S]: t[f][n*S + s] = dy[n0+n, f, s]. Global (nb*S, F).
 *   scatter_y   y[n0+n, f, s] = t[f][n*S + s] + (hasBias ? bias[f] : 0). Global (nb*S, F).
 */
#pragma OPENCL FP_CONTRACT OFF

__kernel void im2col(const int nb, const int n0, const int c, const int h, const int w,
                     const int kh, const int kw, const int stride, const int pad, const int oh, const int ow,
                     __global const float* x, __global float* cols)
{
    const int col = get_global_id(0);
    const int row = get_global_id(1);
    const int s = oh * ow;
    if (col >= nb * s || row >= c * kh * kw) {
        return;
    }
    const int n = col / s;
    const int oy = (col % s) / ow;
    const int ox = col % ow;
    const int ch = row / (kh * kw);
    const int i = (row / kw) % kh;
    const int j = row % kw;
    const int y = oy * stride - pad + i;
    const int xx = ox * stride - pad + j;
    float v = 0.0f;
    if (y >= 0 && y < h && xx >= 0 && xx < w) {
        v = x[(((n0 + n) * c + ch) * h + y) * w + xx];
    }
    cols[row * (nb * s) + col] = v;
}

__kernel void col2im_add(const int nb, const int n0, const int c, const int h, const int w,
                         const int kh, const int kw, const int stride, const int pad, const int oh, const int ow,
                         __global const float* cols, __global float* dx)
{
    const int e = get_global_id(0);
    if (e >= nb * c * h * w) {
        return;
    }
    const int n = e / (c * h * w);
    const int ch = (e / (h * w)) % c;
    const int y = (e / w) % h;
    const int xx = e % w;
    const int s = oh * ow;
    const int ld = nb * s;
    float acc = 0.0f;
    for (int i = 0; i < kh; i++) {
        const int ty = y + pad - i;
        if (ty < 0 || ty % stride != 0 || ty / stride >= oh) {
            continue;
        }
        for (int j = 0; j < kw; j++) {
            const int tx = xx + pad - j;
            if (tx < 0 || tx % stride != 0 || tx / stride >= ow) {
                continue;
            }
            acc += cols[((ch * kh + i) * kw + j) * ld + n * s + (ty / stride) * ow + tx / stride];
        }
    }
    const int at = n0 * c * h * w + e;
    dx[at] = dx[at] + acc;
}

__kernel void gather_dy(const int nb, const int n0, const int f, const int s,
                        __global const float* dy, __global float* t)
{
    const int col = get_global_id(0);
    const int row = get_global_id(1);
    if (col < nb * s && row < f) {
        const int n = col / s;
        t[row * (nb * s) + col] = dy[((n0 + n) * f + row) * s + col % s];
    }
}

__kernel void scatter_y(const int nb, const int n0, const int f, const int s, __global const float* t,
                        const int hasBias, __global const float* bias, __global float* y)
{
    const int col = get_global_id(0);
    const int row = get_global_id(1);
    if (col < nb * s && row < f) {
        const int n = col / s;
        const float b = hasBias ? bias[row] : 0.0f;
        y[((n0 + n) * f + row) * s + col % s] = t[row * (nb * s) + col] + b;
    }
}
