/*
 * elementwise.cl: one work-item per element, 1-D (or 2-D for row-vector ops) launches rounded up
 * to the local size; every kernel guards its tail.
 *
 * Variants (one each):
 *   axpy            y += alpha * x
 *   scale           x *= alpha
 *   add, mul        z = x + y, z = x * y (z may alias x or y: each work-item reads before it writes)
 *   add_row_vector  y[r*ldy + c] += v[c]; global (cols, rows)
 * The activation functions have their own file, activation.cl.
 *
 * FP_CONTRACT is off so that a*b + c rounds like the Java reference (no fused multiply-add).
 */
#pragma OPENCL FP_CONTRACT OFF

__kernel void axpy(const int n, const float alpha, __global const float* x, __global float* y)
{
    const int i = get_global_id(0);
    if (i < n) {
        y[i] = y[i] + alpha * x[i];
    }
}

__kernel void scale(const int n, const float alpha, __global float* x)
{
    const int i = get_global_id(0);
    if (i < n) {
        x[i] = x[i] * alpha;
    }
}

__kernel void add(const int n, __global const float* x, __global const float* y, __global float* z)
{
    const int i = get_global_id(0);
    if (i < n) {
        z[i] = x[i] + y[i];
    }
}

__kernel void mul(const int n, __global const float* x, __global const float* y, __global float* z)
{
    const int i = get_global_id(0);
    if (i < n) {
        z[i] = x[i] * y[i];
    }
}

__kernel void add_row_vector(const int rows, const int cols, __global float* y, const int ldy,
                             __global const float* v)
{
    const int c = get_global_id(0);
    const int r = get_global_id(1);
    if (r < rows && c < cols) {
        y[r * ldy + c] = y[r * ldy + c] + v[c];
    }
}
