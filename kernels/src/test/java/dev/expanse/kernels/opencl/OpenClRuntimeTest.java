package dev.expanse.kernels.opencl;

import static dev.expanse.kernels.opencl.Equivalence.assertRelative;
import static dev.expanse.kernels.opencl.Equivalence.filled;
import static dev.expanse.kernels.opencl.Equivalence.random;
import static dev.expanse.kernels.opencl.Equivalence.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.cpu.CpuBackend;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenCL backend's memory and life cycle: allocation, transfers and copies with offsets and
 * leading dimensions (exact, against the scalar CPU reference {@link CpuBackend#scalar()}),
 * buffer ownership and release, and errors that name the failing call or carry the build log.
 */
class OpenClRuntimeTest {
    private static final int[] SIZES = {0, 1, 15, 16, 17, 127, 1000};
    private static final float NAN = Float.NaN;

    @RegisterExtension
    static final OpenClFixture FIXTURE = new OpenClFixture();

    @Test
    void allocateGivesZerosOfTheRightSize() {
        for (int n : SIZES) {
            try (Buffer b = FIXTURE.cl().allocate(n)) {
                assertEquals(n, b.size());
                float[] out = filled(n, NAN);
                FIXTURE.cl().download(b, 0, out, 0, n);
                assertArrayEquals(new float[n], out, "size " + n);
            }
        }
    }

    @Test
    void uploadDownloadAndFillHonourOffsets() {
        Random rnd = new Random(1);
        for (int n : SIZES) {
            float[] src = random(rnd, n + 7);
            float[] init = random(rnd, n + 9);
            Equivalence.Op op = (be, b) -> {
                be.upload(src, 3, b[0], 4, n);
                be.fill(b[0], 2, Math.min(2, n), 0.25f);
                float[] back = new float[n + 5];
                be.download(b[0], 1, back, 2, n);
                be.upload(back, 0, b[1], 0, n + 5);
            };
            float[][] start = {init, filled(n + 5, -1f)};
            assertRelative(run(FIXTURE.reference(), start, op), run(FIXTURE.cl(), start, op), 0, "upload/fill/download n=" + n);
        }
    }

    @Test
    void copy2dCopiesARectangleBetweenLeadingDimensions() {
        Random rnd = new Random(2);
        int[][] cases = {{0, 5}, {4, 0}, {1, 1}, {3, 17}, {17, 15}, {5, 127}};
        for (int[] c : cases) {
            int rows = c[0], cols = c[1], lds = cols + 3, ldd = cols + 11;
            float[][] init = {random(rnd, 5 + rows * lds), random(rnd, 2 + rows * ldd)};
            Equivalence.Op op = (be, b) -> be.copy2d(rows, cols, b[0], 5, lds, b[1], 2, ldd);
            assertRelative(run(FIXTURE.reference(), init, op), run(FIXTURE.cl(), init, op), 0, "copy2d " + rows + "x" + cols);
        }
    }

    @Test
    void buffersAreCheckedAndReleased() {
        try (CpuBackend cpu = CpuBackend.scalar(); Buffer foreign = cpu.allocate(4)) {
            Buffer own = FIXTURE.cl().allocate(4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FIXTURE.cl().axpy(4, 1f, foreign, own));
            assertTrue(e.getMessage().contains("cpu-scalar"), e.getMessage());
            own.close();
            own.close(); // twice is harmless
            assertThrows(IllegalStateException.class, () -> FIXTURE.cl().scale(4, 2f, own));
        }
    }

    @Test
    void closingTheBackendReleasesItAndItsBuffers() {
        OpenClBackend backend = new OpenClBackend(FIXTURE.cl().device());
        Buffer b = backend.allocate(8);
        backend.scale(8, 2f, b);
        backend.close();
        backend.close(); // twice is harmless
        assertThrows(IllegalStateException.class, () -> backend.allocate(1));
        assertThrows(IllegalStateException.class, () -> backend.download(b, 0, new float[8], 0, 8));
        b.close();
    }

    @Test
    void aFailingCallIsNamedInTheException() {
        try (Buffer small = FIXTURE.cl().allocate(4); Buffer big = FIXTURE.cl().allocate(64)) {
            // 8 rows of 8 do not fit in 4 floats: the copy is refused by the OpenCL runtime
            OpenClException e = assertThrows(OpenClException.class, () -> FIXTURE.cl().copy2d(8, 8, small, 0, 8, big, 0, 8));
            assertTrue(e.getMessage().contains("clEnqueueCopyBufferRect"), e.getMessage());
            assertTrue(e.code() < 0, e.getMessage());
        }
    }

    @Test
    void aBuildErrorCarriesTheBuildLog() {
        try (ClRuntime rt = new ClRuntime(FIXTURE.device())) {
            OpenClException e = assertThrows(OpenClException.class,
                    () -> rt.kernel("elementwise.cl", "-Dget_global_id=no_such_function", "axpy"));
            assertTrue(e.getMessage().contains("elementwise.cl") && e.getMessage().contains("no_such_function"), e.getMessage());
        }
    }
}
