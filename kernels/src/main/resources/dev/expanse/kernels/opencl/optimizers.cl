/*
 * optimizers.cl: masked optimizer steps on a [rows, cols] matrix with leading dimension ld; w, g
 * and the state buffers share that layout. Cells in the frozen rectangle [0, frozenRows) x
 * [0, frozenCols) are never written; the host fills both from its FrozenBlock clamped to the
 * matrix (so frozenRows <= rows, frozenCols <= cols). One work-item per cell, global (cols, rows).
 *
 * Variants:
 *   sgd_step   v = momentum*v + g + weightDecay*w;  w -= lr*v
 *   adam_step  m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g;
 *              w -= lr * (m / bc1) / (sqrt(v / bc2) + eps), with bc1 = 1-b1^t and bc2 = 1-b2^t
 *              computed once on the host.
 */
#pragma OPENCL FP_CONTRACT OFF

__kernel void sgd_step(const int rows, const int cols, const int ld, const int frozenRows, const int frozenCols,
                       __global float* w, __global const float* g, __global float* v,
                       const float lr, const float momentum, const float weightDecay)
{
    const int c = get_global_id(0);
    const int r = get_global_id(1);
    if (r >= rows || c >= cols || (r < frozenRows && c < frozenCols)) {
        return;
    }
    const int i = r * ld + c;
    const float vi = momentum * v[i] + g[i] + weightDecay * w[i];
    v[i] = vi;
    w[i] = w[i] - lr * vi;
}

__kernel void adam_step(const int rows, const int cols, const int ld, const int frozenRows, const int frozenCols,
                        __global float* w, __global const float* g, __global float* m, __global float* v,
                        const float lr, const float beta1, const float beta2, const float eps,
                        const float bc1, const float bc2)
{
    const int c = get_global_id(0);
    const int r = get_global_id(1);
    if (r >= rows || c >= cols || (r < frozenRows && c < frozenCols)) {
        return;
    }
    const int i = r * ld + c;
    const float gi = g[i];
    const float mi = beta1 * m[i] + (1.0f - beta1) * gi;
    const float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const float mHat = mi / bc1;
    const float vHat = vi / bc2;
    w[i] = w[i] - lr * mHat / (sqrt(vHat) + eps);
}
