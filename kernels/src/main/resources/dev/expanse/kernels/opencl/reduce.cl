/*
 * reduce.cl: row and column reductions over a row-major matrix with leading dimension ld and
 * element offsets. One work-item per output, summing in index order (as the scalar reference
 * does), so results do not depend on the launch geometry.
 *
 * Variants:
 *   sum_over_rows     out[c] = beta*out[c] + sum_r x[r*ld + c]   (column sums; global = cols)
 *   sum_over_columns  out[r] = beta*out[r] + sum_c x[r*ld + c]   (row sums; global = rows)
 *   argmax_rows       out[r] = first c with the largest x[r*cols + c], as a float (global = rows)
 * With beta == 0 the output is not read.
 */
#pragma OPENCL FP_CONTRACT OFF

__kernel void sum_over_rows(const int rows, const int cols, __global const float* x, const int xOff, const int ld,
                            const float beta, __global float* out, const int outOff)
{
    const int c = get_global_id(0);
    if (c < cols) {
        float s = 0.0f;
        for (int r = 0; r < rows; r++) {
            s += x[xOff + r * ld + c];
        }
        out[outOff + c] = beta != 0.0f ? beta * out[outOff + c] + s : s;
    }
}

__kernel void sum_over_columns(const int rows, const int cols, __global const float* x, const int xOff, const int ld,
                               const float beta, __global float* out, const int outOff)
{
    const int r = get_global_id(0);
    if (r < rows) {
        __global const float* row = x + xOff + r * ld;
        float s = 0.0f;
        for (int c = 0; c < cols; c++) {
            s += row[c];
        }
        out[outOff + r] = beta != 0.0f ? beta * out[outOff + r] + s : s;
    }
}

__kernel void argmax_rows(const int rows, const int cols, __global const float* x, __global float* out)
{
    const int r = get_global_id(0);
    if (r < rows) {
        __global const float* row = x + r * cols;
        int best = 0;
        float bestValue = row[0];
        for (int c = 1; c < cols; c++) {
            if (row[c] > bestValue) {
                bestValue = row[c];
                best = c;
            }
        }
        out[r] = (float) best;
    }
}
