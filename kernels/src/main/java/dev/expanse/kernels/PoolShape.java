package dev.expanse.kernels;

/**
 * Geometry of a 2-D max-pool over {@code [N, C, H, W]} input, giving {@code [N, C, OH, OW]}.
 * Windows are {@code k x k}, moved by {@code stride}; there is no padding, and a window that would
 * run past the edge is dropped (floor division), as in PyTorch.
 */
public record PoolShape(int n, int c, int h, int w, int k, int stride) {

    public PoolShape {
        if (n < 0 || c < 0 || h < 1 || w < 1 || k < 1 || stride < 1 || k > h || k > w) {
            throw new IllegalArgumentException("invalid max-pool shape [n=" + n + ", c=" + c + ", h=" + h
                    + ", w=" + w + ", k=" + k + ", stride=" + stride + "]");
        }
    }

    public int oh() { return (h - k) / stride + 1; }

    public int ow() { return (w - k) / stride + 1; }
}
