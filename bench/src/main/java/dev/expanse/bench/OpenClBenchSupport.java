package dev.expanse.bench;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Backends;
import dev.expanse.kernels.Buffer;
import java.util.SplittableRandom;

/**
 * What {@link OpenClGemmBench} and {@link OpenClConvBench} share: opening a backend from the
 * benchmark's {@code backend} parameter, seeded random operands, and the device sync.
 */
final class OpenClBenchSupport {
    private OpenClBenchSupport() {
    }

    /**
     * The backend named as for {@link Backends#select(String)}: {@code cpu} (Vector API kernels
     * on every core), {@code opencl} (GPUs first, else PoCL) or {@code opencl:<name>}.
     */
    static Backend open(String backend) {
        return Backends.select(backend);
    }

    /** n floats uniform in [-1, 1) from {@code seed}. */
    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (2 * r.nextDouble() - 1);
        }
        return v;
    }

    /** A buffer of {@code be} holding {@code values}. */
    static Buffer upload(Backend be, float[] values) {
        Buffer b = be.allocate(values.length);
        be.upload(values, 0, b, 0, values.length);
        return b;
    }

    /**
     * Waits for every kernel enqueued so far and returns the last float of {@code b}. The OpenCL
     * backend returns from a kernel as soon as it is enqueued; only a download waits (its queue
     * is in order), so a benchmark that skipped this would time the enqueue, not the work.
     */
    static float sync(Backend be, Buffer b, float[] scratch) {
        be.download(b, b.size() - 1, scratch, 0, 1);
        return scratch[0];
    }

    /**
     * Fails unless {@code got} is within 1e-5 of the sum of the magnitudes of the terms of
     * {@code want} (float sums in any order stay well inside that), so a wrong kernel is never
     * timed.
     */
    static void check(String what, int cell, float got, double want, double magnitude) {
        if (!(Math.abs(got - want) <= 1e-5 * magnitude + 1e-6)) {
            throw new IllegalStateException(what + " is wrong at cell " + cell + ": " + got + ", expected " + want);
        }
    }
}
