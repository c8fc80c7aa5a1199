package dev.expanse.kernels.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over [0, n) into contiguous chunks: the calling thread runs the first chunk, and
 * the others go to whichever of it and the pool's {@code threads - 1} workers claims them first.
 *
 * <p>The split depends only on n, the grain and the thread count, never on timing, so a kernel
 * whose chunks write disjoint outputs gives bit-identical results from run to run, whichever
 * thread runs a chunk. A loop started while the pool is busy (from inside a chunk, or from a
 * second thread) runs the same chunks one after the other on its own thread.
 *
 * <p>Why not a fork/join pool: a training step makes dozens of parallel loops of 0.05-1 ms each,
 * and a fork/join pool left the caller idle while its workers woke and ran every chunk. Here the
 * caller works too, and claims the chunks a worker has not started: waking a parked worker took
 * 130 us on a 2-core VM, longer than many loops. A worker spins for {@link #SPIN_NANOS} after
 * each loop before it parks, so the next loop of a step usually finds it awake.
 */
public final class Parallel implements AutoCloseable {

    /** A loop body over the half-open range [lo, hi). */
    @FunctionalInterface
    public interface Range {
        void run(int lo, int hi);
    }

    /** How long an idle worker, or the caller waiting for the workers, spins before it parks. */
    static final long SPIN_NANOS = 50_000;

    /** One loop: its chunks, the next one to claim, how many have ended, and the first failure. */
    private static final class Loop {
        final Range body;
        final int n, chunks;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger(1), ended = new AtomicInteger();
        volatile Throwable failure;

        Loop(Range body, int n, int chunks, Thread caller) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.caller = caller;
        }

        /** Runs chunk c, keeping its failure; true when it was the loop's last to end. */
        boolean run(int c) {
            try {
                body.run(lo(n, chunks, c), lo(n, chunks, c + 1));
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
            return ended.incrementAndGet() == chunks;
        }

        /** Claims and runs chunks until none is left. */
        void help() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                if (run(c) && Thread.currentThread() != caller) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The loop in progress, published before {@link #generation} moves on. */
    private volatile Loop loop;
    private volatile long generation;
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
            Loop l = new Loop(body, n, chunks, Thread.currentThread());
            loop = l;
            generation++;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
            l.run(0);
            l.help();
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (l.ended.get() < chunks) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000);
                }
            }
            rethrow(l.failure);
        } finally {
            busy.set(false);
        }
    }

    private static int lo(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new IllegalStateException(t);
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

    /** One worker: helps with each new loop, then waits for the next. */
    private final class Worker extends Thread {
        private long seen;

        Worker(int index) {
            super("expanse-cpu-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!closed) {
                if (awaitLoop()) {
                    loop.help();
                }
            }
        }

        /** Spins, then parks, until a new loop starts; false when closed or woken for nothing. */
        private boolean awaitLoop() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    break;
                }
            }
            if (generation == seen || closed) {
                return false;
            }
            seen = generation;
            return true;
        }
    }
}
