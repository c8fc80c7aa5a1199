package dev.expanse.kernels.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits a loop over [0, n) into contiguous chunks run on a private fork/join pool.
 *
 * <p>The split depends only on n, the grain and the thread count, never on timing, so a kernel
 * whose chunks write disjoint outputs gives bit-identical results from run to run.
 */
public final class Parallel implements AutoCloseable {

    /** A loop body over the half-open range [lo, hi). */
    @FunctionalInterface
    public interface Range {
        void run(int lo, int hi);
    }

    private final int threads;
    private final ForkJoinPool pool;

    /** A pool of {@code threads >= 1} workers; with 1 thread every loop runs on the caller. */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, n) in at most {@code threads} chunks of at least {@code grain}
     * iterations each (fewer chunks when n is small).
     */
    public void forRange(int n, int grain, Range body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks == 1 || pool == null) {
            body.run(0, n);
            return;
        }
        pool.invoke(new Split(body, n, chunks, 0, chunks));
    }

    private static final class Split extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final Range body;
        private final int n, chunks, c0, c1;

        Split(Range body, int n, int chunks, int c0, int c1) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.c0 = c0;
            this.c1 = c1;
        }

        @Override
        protected void compute() {
            if (c1 - c0 == 1) {
                int lo = (int) ((long) n * c0 / chunks);
                int hi = (int) ((long) n * c1 / chunks);
                body.run(lo, hi);
                return;
            }
            int mid = (c0 + c1) >>> 1;
            invokeAll(new Split(body, n, chunks, c0, mid), new Split(body, n, chunks, mid, c1));
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
