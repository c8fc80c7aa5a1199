/*
 * softmax_cross_entropy.cl: fused, numerically stable softmax and cross-entropy over dense rows
 * [rows, cols]; labels are floats holding class indices.
 *
 * Variants:
 *   softmax_cross_entropy_forward   one work-item per row: mx = max_c x, s = sum_c exp(x - mx),
 *                                   probs = exp(x - mx) / s, loss = log s - (x[label] - mx)
 *                                   (logsumexp minus the label's logit, without adding mx back).
 *   softmax_cross_entropy_backward  one work-item per cell, global (cols, rows):
 *                                   dlogits += scale * (probs - onehot(label)).
 */
#pragma OPENCL FP_CONTRACT OFF

__kernel void softmax_cross_entropy_forward(const int rows, const int cols, __global const float* logits,
                                   __global const float* labels, __global float* probs, __global float* losses)
{
    const int r = get_global_id(0);
    if (r >= rows) {
        return;
    }
    __global const float* x = logits + r * cols;
    __global float* p = probs + r * cols;
    float mx = x[0];
    for (int c = 1; c < cols; c++) {
        // NaN propagates, as with Java's Math.max in the reference.
        mx = x[c] > mx || isnan(x[c]) ? x[c] : mx;
    }
    float s = 0.0f;
    for (int c = 0; c < cols; c++) {
        const float e = exp(x[c] - mx);
        p[c] = e;
        s += e;
    }
    for (int c = 0; c < cols; c++) {
        p[c] = p[c] / s;
    }
    const int label = (int) labels[r];
    losses[r] = log(s) - (x[label] - mx);
}

__kernel void softmax_cross_entropy_backward(const int rows, const int cols, __global const float* probs,
                                    __global const float* labels, const float scale, __global float* dlogits)
{
    const int c = get_global_id(0);
    const int r = get_global_id(1);
    if (r < rows && c < cols) {
        const int i = r * cols + c;
        const float target = c == (int) labels[r] ? 1.0f : 0.0f;
        dlogits[i] = dlogits[i] + scale * (probs[i] - target);
    }
}
