/*
 * activation.cl: the elementwise activation functions of dev.expanse.kernels.Activation, forward
 * and backward. One work-item per element, 1-D launches rounded up to the local size; both
 * kernels guard their tail.
 *
 * Kernels:
 *   activation_forward   y = f(x)                                  (y may alias x)
 *   activation_backward  dx += f'(x) * dy, given x and y = f(x)
 * Both take the function as their first argument, an ACT_* code. The host defines the codes as
 * build options generated from the Java enum (-DACT_<NAME>=<ordinal>, ClActivation.OPTIONS), so
 * they cannot drift from it; the defaults below, equal to the ordinals, let the file compile
 * alone. The constants LEAKY_SLOPE, GELU_K0 and GELU_K1 come from the enum the same way.
 *
 * Variants (code: forward; backward):
 *   ACT_RELU        y = max(x, 0), NaN kept (Java's Math.max);  dx + dy where x > 0, else dx left
 *                   bit for bit as it was (no dx + 0*dy, which would turn -0 into +0 and
 *                   inf*0 into NaN)
 *   ACT_LEAKY_RELU  y = x > 0 ? x : LEAKY_SLOPE*x;  dx + (x > 0 ? dy : LEAKY_SLOPE*dy)
 *   ACT_TANH        y = tanh(x);  dx + dy*(1 - y*y)
 *   ACT_SIGMOID     y = 1 / (1 + exp(-x));  dx + dy*(y*(1 - y))
 *   ACT_GELU        y = 0.5*x*(1 + tanh(u)), u = GELU_K0*(x + GELU_K1*x^3) (the tanh form);
 *                   dx + dy*(0.5*(1 + t) + 0.5*x*(1 - t^2)*GELU_K0*(1 + 3*GELU_K1*x^2)), t = tanh(u).
 *                   Evaluated through s = 1 / (1 + exp(-2u)) = (1 + t) / 2, the same function:
 *                   y = x*s and f' = s + 2*x*s*(1 - s)*GELU_K0*(1 + 3*GELU_K1*x^2), because in
 *                   float 1 + tanh(u) cancels for u << 0 and would lose every digit of y there
 *                   (and 1 - t^2, 1 - s cancel for u >> 0: s*(1 - s) is computed from exp(-2|u|)).
 * An unknown code writes NaN, so that an enum constant without its case fails the equivalence
 * tests instead of passing silently.
 *
 * ReLU and leaky ReLU are exact (bit-identical to the Java reference). tanh, exp and the division
 * are within a few ulps in OpenCL 1.2 (5, 3 and 2.5), while the Java reference rounds a double
 * result, so the others may differ from it by a few ulps.
 *
 * FP_CONTRACT is off so that a*b + c rounds like the Java reference (no fused multiply-add).
 */
#pragma OPENCL FP_CONTRACT OFF

#ifndef ACT_RELU
#define ACT_RELU 0
#endif
#ifndef ACT_LEAKY_RELU
#define ACT_LEAKY_RELU 1
#endif
#ifndef ACT_TANH
#define ACT_TANH 2
#endif
#ifndef ACT_SIGMOID
#define ACT_SIGMOID 3
#endif
#ifndef ACT_GELU
#define ACT_GELU 4
#endif

#ifndef LEAKY_SLOPE
#define LEAKY_SLOPE 0.01f
#endif
#ifndef GELU_K0
#define GELU_K0 0.7978845608028654f
#endif
#ifndef GELU_K1
#define GELU_K1 0.044715f
#endif

inline float gelu_u(const float x)
{
    return GELU_K0 * (x + GELU_K1 * x * x * x);
}

// GELU's s = (1 + tanh(u)) / 2 = 1 / (1 + exp(-2u)).
inline float gelu_s(const float u)
{
    return 1.0f / (1.0f + exp(-2.0f * u));
}

inline float act_forward(const int act, const float x)
{
    switch (act) {
    case ACT_RELU:
        return x > 0.0f || isnan(x) ? x : 0.0f;
    case ACT_LEAKY_RELU:
        return x > 0.0f ? x : LEAKY_SLOPE * x;
    case ACT_TANH:
        return tanh(x);
    case ACT_SIGMOID:
        return 1.0f / (1.0f + exp(-x));
    case ACT_GELU:
        return x * gelu_s(gelu_u(x));
    default:
        return NAN;
    }
}

// dx + f'(x) * dy.
inline float act_backward(const int act, const float x, const float y, const float dy, const float dx)
{
    switch (act) {
    case ACT_RELU:
        return x > 0.0f ? dx + dy : dx;
    case ACT_LEAKY_RELU:
        return x > 0.0f ? dx + dy : dx + LEAKY_SLOPE * dy;
    case ACT_TANH:
        return dx + dy * (1.0f - y * y);
    case ACT_SIGMOID:
        return dx + dy * (y * (1.0f - y));
    case ACT_GELU: {
        // s (1 - s) = e / (1 + e)^2 with e = exp(-2|u|) <= 1 (it is even in u): no 1 - s, which
        // cancels for u >> 0, and no overflow of exp for u << 0. The product is ordered so that
        // no factor overflows where another is 0: for a finite x (up to FLT_MAX) where s
        // saturates, f' is s, as in the reference; for x = +-inf it is NaN (inf * 0), as there.
        const float u = gelu_u(x);
        const float e = exp(-2.0f * fabs(u));
        const float r = e / ((1.0f + e) * (1.0f + e));
        const float x2 = fmin(x * x, FLT_MAX);
        const float d = gelu_s(u) + x * r * (2.0f * GELU_K0) * (1.0f + 3.0f * GELU_K1 * x2);
        return dx + d * dy;
    }
    default:
        return NAN;
    }
}

__kernel void activation_forward(const int act, const int n, __global const float* x, __global float* y)
{
    const int i = get_global_id(0);
    if (i < n) {
        y[i] = act_forward(act, x[i]);
    }
}

__kernel void activation_backward(const int act, const int n, __global const float* x, __global const float* y,
                                  __global const float* dy, __global float* dx)
{
    const int i = get_global_id(0);
    if (i < n) {
        dx[i] = act_backward(act, x[i], y[i], dy[i], dx[i]);
    }
}
