/*
 * max_pool.cl: k x k max-pool with stride, no padding, over x [N, C, H, W] -> y [N, C, OH, OW].
 *
 * Variants:
 *   max_pool_forward   one work-item per output, global (OW, OH, N*C); the window maximum.
 *   max_pool_backward  one work-item per INPUT element, global (W, H, N*C): a gather, so
 *                      overlapping windows need no atomics and the result is deterministic. For
 *                      each window containing the element, in row-major output order, if the
 *                      window's first maximum is this element, dx += dy of that window (the
 *                      order in which the scalar reference adds them).
 * Window maxima are found with a strict '>' scan in row-major window order, in both kernels.
 */

// Row-major index within the window of its first maximum; win points at the window's top-left.
inline int first_max(__global const float* win, const int w, const int k)
{
    float best = win[0];
    int at = 0;
    for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
            const float v = win[i * w + j];
            if (v > best) {
                best = v;
                at = i * k + j;
            }
        }
    }
    return at;
}

// Global (OW rounded up, OH, N*C).
__kernel void max_pool_forward(const int h, const int w, const int k, const int stride,
                               const int oh, const int ow, __global const float* x, __global float* y)
{
    const int ox = get_global_id(0);
    const int oy = get_global_id(1);
    const int plane = get_global_id(2);
    if (ox >= ow) {
        return;
    }
    __global const float* win = x + (plane * h + oy * stride) * w + ox * stride;
    const int at = first_max(win, w, k);
    y[(plane * oh + oy) * ow + ox] = win[(at / k) * w + at % k];
}

// Global (W rounded up, H, N*C).
__kernel void max_pool_backward(const int h, const int w, const int k, const int stride,
                                const int oh, const int ow, __global const float* x, __global const float* dy,
                                __global float* dx)
{
    const int ix = get_global_id(0);
    const int iy = get_global_id(1);
    const int plane = get_global_id(2);
    if (ix >= w) {
        return;
    }
    // Windows containing (iy, ix): oy*stride <= iy < oy*stride + k, likewise ox.
    const int oy0 = iy < k ? 0 : (iy - k) / stride + 1;
    const int oy1 = min(iy / stride, oh - 1);
    const int ox0 = ix < k ? 0 : (ix - k) / stride + 1;
    const int ox1 = min(ix / stride, ow - 1);
    __global const float* xp = x + plane * h * w;
    const int e = (plane * h + iy) * w + ix;
    float acc = dx[e];
    for (int oy = oy0; oy <= oy1; oy++) {
        for (int ox = ox0; ox <= ox1; ox++) {
            const int at = first_max(xp + oy * stride * w + ox * stride, w, k);
            if (oy * stride + at / k == iy && ox * stride + at % k == ix) {
                acc += dy[(plane * oh + oy) * ow + ox];
            }
        }
    }
    dx[e] = acc;
}
