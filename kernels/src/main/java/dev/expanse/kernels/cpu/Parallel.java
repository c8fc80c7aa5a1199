package dev.expanse.kernels.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over [0, n) into contiguous chunks: the calling thread runs the first chunk, and
 * {@code threads - 1} workers of this pool run the others.
 *
 * <p>The split depends only on n, the grain and the thread count, never on timing, so a kernel
 * whose chunks write disjoint outputs gives bit-identical results from run to run. A loop started
 * while the pool is busy (from inside a chunk, or from a second thread) runs the same chunks one
 * after the other on its own thread, so it gives the same bits too.
 *
 * <p>Why not a fork/join pool: a training step makes dozens of parallel loops of 0.05-1 ms each,
 * and waking a parked fork/join worker, with the caller idle while it waits, cost a large part of
 * the second thread's gain. Here the caller works too, and a worker spins for {@link #SPIN_NANOS}
 * after each chunk before it parks, so the next loop of the step finds it awake.
 */
public final class Parallel implements AutoCloseable {

    /** A loop body over the half-open range [lo, hi). */
    @FunctionalInterface
    public interface Range {
        void run(int lo, int hi);
    }

    /** How long an idle worker, or the caller waiting for the workers, spins before it parks. */
    static final long SPIN_NANOS = 50_000;

    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;

    /** A pool of {@code threads >= 1}: the caller and {@code threads - 1} daemon workers. */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, n) in at most {@code threads} chunks of at least {@code grain}
     * iterations each (fewer chunks when n is small), and returns when all have run. An exception
     * of a chunk is rethrown here once every chunk has ended.
     */
    public void forRange(int n, int grain, Range body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        if (closed || !busy.compareAndSet(false, true)) {
            for (int c = 0; c < chunks; c++) {
                body.run(lo(n, chunks, c), lo(n, chunks, c + 1));
            }
            return;
        }
        try {
            caller = Thread.currentThread();
            failure = null;
            pending.set(chunks - 1);
            for (int c = 1; c < chunks; c++) {
                workers[c - 1].post(body, lo(n, chunks, c), lo(n, chunks, c + 1));
            }
            Throwable mine = null;
            try {
                body.run(0, lo(n, chunks, 1));
            } catch (Throwable t) {
                mine = t;
            }
            awaitWorkers();
            Throwable theirs = failure;
            if (mine != null || theirs != null) {
                Throwable t = mine != null ? mine : theirs;
                if (mine != null && theirs != null && theirs != mine) {
                    mine.addSuppressed(theirs);
                }
                if (t instanceof RuntimeException) {
                    throw (RuntimeException) t;
                }
                if (t instanceof Error) {
                    throw (Error) t;
                }
                throw new IllegalStateException(t);
            }
        } finally {
            busy.set(false);
        }
    }

    private static int lo(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    private void awaitWorkers() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() > 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 100_000);
            }
        }
    }

    /** Stops the workers; loops started afterwards run their chunks on the calling thread. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One worker: runs the chunk posted to it, then waits for the next. */
    private final class Worker extends Thread {
        private volatile Range body;
        private int lo, hi;

        Worker(int index) {
            super("expanse-cpu-" + index);
            setDaemon(true);
        }

        /** Hands a chunk to this worker; lo and hi are published by the volatile write of body. */
        void post(Range task, int from, int to) {
            lo = from;
            hi = to;
            body = task;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (!closed) {
                Range task = await();
                if (task == null) {
                    continue;
                }
                body = null;
                try {
                    task.run(lo, hi);
                } catch (Throwable t) {
                    failure = t;
                }
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }

        /** The posted chunk, after spinning a while and then parking; null when closed or woken spuriously. */
        private Range await() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            Range task;
            while ((task = body) == null && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    return body;
                }
            }
            return task;
        }
    }
}
