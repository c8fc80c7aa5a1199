package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pool's contract: the chunks, who runs them, nesting, failures and closing. */
class ParallelTest {

    /** The [lo, hi) chunks a loop ran, sorted by lo. */
    private static List<String> chunks(Parallel par, int n, int grain) {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        par.forRange(n, grain, (lo, hi) -> seen.add(lo + "-" + hi));
        List<String> sorted = new ArrayList<>(seen);
        sorted.sort((a, b) -> Integer.parseInt(a.split("-")[0]) - Integer.parseInt(b.split("-")[0]));
        return sorted;
    }

    @Test
    void splitsIntoContiguousChunksThatDependOnlyOnNGrainAndThreads() {
        try (Parallel three = new Parallel(3)) {
            assertEquals(List.of("0-3", "3-6", "6-10"), chunks(three, 10, 1));
            assertEquals(List.of("0-5", "5-10"), chunks(three, 10, 5), "grain 5 allows two chunks");
            assertEquals(List.of("0-10"), chunks(three, 10, 11));
            assertEquals(List.of(), chunks(three, 0, 1));
            for (int rep = 0; rep < 200; rep++) {
                assertEquals(List.of("0-333", "333-666", "666-1000"), chunks(three, 1000, 1));
            }
        }
    }

    @Test
    void callerRunsTheFirstChunk() {
        try (Parallel two = new Parallel(2)) {
            for (int rep = 0; rep < 100; rep++) {
                Thread[] ran = new Thread[2];
                two.forRange(2, 1, (lo, hi) -> ran[lo] = Thread.currentThread());
                assertSame(Thread.currentThread(), ran[0]);
                assertNotNull(ran[1]);
            }
        }
    }

    @Test
    void chunksRunAtTheSameTimeOnAWorker() throws InterruptedException {
        try (Parallel two = new Parallel(2)) {
            // chunk 0 waits for chunk 1, which therefore must run on another thread
            CountDownLatch second = new CountDownLatch(1);
            boolean[] met = new boolean[1];
            Thread[] ran = new Thread[2];
            two.forRange(2, 1, (lo, hi) -> {
                ran[lo] = Thread.currentThread();
                if (lo == 0) {
                    try {
                        met[0] = second.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    second.countDown();
                }
            });
            assertTrue(met[0], "chunk 1 did not run while chunk 0 waited");
            assertNotEquals(ran[0], ran[1]);
        }
    }

    @Test
    void everyIndexRunsOnceOverManyLoops() {
        try (Parallel two = new Parallel(2)) {
            int[] hits = new int[10_007];
            for (int rep = 0; rep < 500; rep++) {
                two.forRange(hits.length, 1, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        hits[i]++;
                    }
                });
            }
            int[] expected = new int[hits.length];
            java.util.Arrays.fill(expected, 500);
            assertArrayEquals(expected, hits);
        }
    }

    @Test
    void nestedLoopRunsTheSameChunksOnItsOwnThread() {
        try (Parallel two = new Parallel(2)) {
            Set<String> inner = ConcurrentHashMap.newKeySet();
            two.forRange(2, 1, (lo, hi) -> {
                Thread me = Thread.currentThread();
                two.forRange(10, 1, (a, b) -> {
                    assertSame(me, Thread.currentThread());
                    inner.add(lo + ":" + a + "-" + b);
                });
            });
            assertEquals(Set.of("0:0-5", "0:5-10", "1:0-5", "1:5-10"), inner);
        }
    }

    @Test
    void aFailingChunkIsRethrownAfterTheOthersEnd() {
        try (Parallel two = new Parallel(2)) {
            int[] done = new int[1];
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> two.forRange(2, 1, (lo, hi) -> {
                if (lo == 1) {
                    throw new IllegalStateException("chunk 1 failed");
                }
                done[0]++;
            }));
            assertEquals("chunk 1 failed", e.getMessage());
            assertEquals(1, done[0]);
            // the pool still works after a failure
            assertEquals(List.of("0-2", "2-4"), chunks(two, 4, 1));
        }
    }

    @Test
    void afterCloseLoopsRunOnTheCaller() {
        Parallel two = new Parallel(2);
        two.close();
        List<Thread> ran = Collections.synchronizedList(new ArrayList<>());
        List<String> seen = new ArrayList<>();
        two.forRange(4, 1, (lo, hi) -> {
            ran.add(Thread.currentThread());
            seen.add(lo + "-" + hi);
        });
        assertEquals(List.of("0-2", "2-4"), seen);
        assertTrue(ran.stream().allMatch(t -> t == Thread.currentThread()));
    }

    @Test
    void rejectsNoThreads() {
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
    }
}
