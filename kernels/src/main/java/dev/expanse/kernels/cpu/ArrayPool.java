package dev.expanse.kernels.cpu;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The arrays of closed CPU buffers, kept for the next buffer of the same size. A training step
 * allocates the same tensors, of the same sizes, step after step, and frees them all when its tape
 * closes; without reuse each step would leave tens of megabytes to the garbage collector, much of
 * it in arrays too large for the young generation's fast path (G1 "humongous" objects), and the
 * collections that follow take the second core away from the kernels. A kept array comes back as
 * its last user left it: the backend zero-fills it (on all its threads when it is large), as
 * {@link dev.expanse.kernels.Backend#allocate} promises. Thread-safe.
 */
final class ArrayPool {
    /** Arrays below this size are cheap to allocate and are not kept. */
    static final int MIN_FLOATS = 4096;

    private final long capacity;
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long pooled;

    /** A pool that keeps at most {@code capacity} floats in all. */
    ArrayPool(long capacity) {
        this.capacity = capacity;
    }

    /** A kept array of n floats, with whatever its last user left in it, or null if there is none. */
    float[] take(int n) {
        if (n < MIN_FLOATS) {
            return null;
        }
        synchronized (this) {
            ArrayDeque<float[]> q = free.get(n);
            float[] a = q == null ? null : q.pollLast();
            if (a != null) {
                pooled -= n;
            }
            return a;
        }
    }

    /** Keeps {@code a} for a later {@link #take} of its size, unless the pool is full; a must not be used after. */
    void give(float[] a) {
        if (a.length < MIN_FLOATS) {
            return;
        }
        synchronized (this) {
            if (pooled + a.length <= capacity) {
                free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
                pooled += a.length;
            }
        }
    }

    /** Drops every kept array. */
    synchronized void clear() {
        free.clear();
        pooled = 0;
    }
}
