package dev.expanse.kernels;

/**
 * Geometry of one 2-D convolution, shared by its forward and both backward kernels.
 *
 * <p>Legend: N = batch, C = input channels, H x W = input size, F = filters (output channels),
 * KH x KW = kernel size, OH x OW = output size. Input is {@code [N, C, H, W]}, output is
 * {@code [N, F, OH, OW]}, both dense. The weight matrix is {@code [F, C*KH*KW]} row-major with a
 * leading dimension {@code ldw >= C*KH*KW}: column {@code c*KH*KW + i*KW + j} holds tap (i, j) of
 * input channel c, so a new input channel appends KH*KW columns at the end of each row.
 *
 * @param n batch size, >= 0
 * @param c input channels, >= 1
 * @param h input height, >= 1
 * @param w input width, >= 1
 * @param f filters, >= 0
 * @param kh kernel height, >= 1
 * @param kw kernel width, >= 1
 * @param stride stride in both directions, >= 1
 * @param pad zero padding on every side, >= 0
 */
public record ConvShape(int n, int c, int h, int w, int f, int kh, int kw, int stride, int pad) {

    public ConvShape {
        if (n < 0 || c < 1 || h < 1 || w < 1 || f < 0 || kh < 1 || kw < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("invalid convolution shape " + describe(n, c, h, w, f, kh, kw, stride, pad));
        }
        if (h + 2 * pad < kh || w + 2 * pad < kw) {
            throw new IllegalArgumentException("kernel " + kh + "x" + kw + " larger than padded input "
                    + (h + 2 * pad) + "x" + (w + 2 * pad));
        }
    }

    /** Output height. */
    public int oh() { return (h + 2 * pad - kh) / stride + 1; }

    /** Output width. */
    public int ow() { return (w + 2 * pad - kw) / stride + 1; }

    /** Columns of the weight matrix in use: C*KH*KW. */
    public int patch() { return c * kh * kw; }

    /** Elements of one input image: C*H*W. */
    public int inPerImage() { return c * h * w; }

    /** Elements of one output image: F*OH*OW. */
    public int outPerImage() { return f * oh() * ow(); }

    private static String describe(int n, int c, int h, int w, int f, int kh, int kw, int stride, int pad) {
        return "[n=" + n + ", c=" + c + ", h=" + h + ", w=" + w + ", f=" + f + ", k=" + kh + "x" + kw
                + ", stride=" + stride + ", pad=" + pad + "]";
    }

    @Override
    public String toString() {
        return describe(n, c, h, w, f, kh, kw, stride, pad);
    }
}
