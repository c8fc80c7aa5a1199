package dev.expanse.engine;

import dev.expanse.kernels.cpu.CpuSplitMix;

/**
 * The one random source of the engine: SplitMix64 ({@link CpuSplitMix}, next to its bulk draw of
 * weights), written out so that a seed gives the same stream on every JDK (java.util's generators
 * may change their algorithms between releases).
 *
 * <p>Not thread-safe: one run owns one Rng and hands out {@link #fork(String)}s for independent
 * streams (data shuffling, initialisation), so adding a draw in one place does not shift another.
 */
public final class Rng {
    private final long seed0;
    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public Rng(long seed) {
        this.seed0 = seed;
        this.state = seed;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        return CpuSplitMix.mix(state += CpuSplitMix.GOLDEN);
    }

    /**
     * {@code dst[i] = (float) ((nextDouble() * 2 - 1) * a)} for every i, in order: the values and the
     * stream position of that loop, drawn several at a time on the Vector API when it is present.
     */
    public void fillUniform(float[] dst, double a) {
        state = CpuSplitMix.fillUniform(dst, state, a);
    }

    /** {@code dst[i] = (float) (nextGaussian() * sigma)} for every i, in order. */
    public void fillGaussian(float[] dst, double sigma) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) (nextGaussian() * sigma);
        }
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), bound >= 1, without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        long r;
        do {
            r = nextLong() >>> 32;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** Standard normal by the Box-Muller transform. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * An independent stream named by {@code purpose}: the same parent seed and name always give
     * the same child, whatever else has been drawn from the parent.
     */
    public Rng fork(String purpose) {
        long h = 0xCBF29CE484222325L; // FNV-1a over the name, mixed with the parent's seed
        for (int i = 0; i < purpose.length(); i++) {
            h = (h ^ purpose.charAt(i)) * 0x100000001B3L;
        }
        return new Rng(seed0 ^ h);
    }
}
