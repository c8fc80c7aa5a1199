package dev.expanse.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.kernels.opencl.OpenClBackend;
import org.junit.jupiter.api.Test;

/**
 * Backend selection. These tests hold whether or not OpenCL is installed: where it is missing,
 * the explicit requests must fail with the documented exception and auto must fall back.
 */
class BackendsTest {

    @Test
    void cpuIsChosenWhenAskedFor() {
        try (Backend b = Backends.select("cpu")) {
            assertInstanceOf(CpuBackend.class, b);
        }
    }

    @Test
    void autoNeverThrowsAndGivesAWorkingBackend() {
        try (Backend b = Backends.select("auto")) {
            assertWorks(b);
            if (b instanceof OpenClBackend cl) {
                assertTrue(cl.device().isGpu(), "auto must not pick an OpenCL CPU device: " + b.name());
            }
        }
    }

    @Test
    void theSystemPropertyIsRead() {
        String old = System.getProperty(Backends.PROPERTY);
        try {
            System.setProperty(Backends.PROPERTY, "CPU");
            try (Backend b = Backends.select()) {
                assertInstanceOf(CpuBackend.class, b);
            }
        } finally {
            if (old == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, old);
            }
        }
    }

    @Test
    void aDeviceThatDoesNotExistIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("opencl:no-such-device"));
        assertTrue(e.getMessage().contains("no-such-device") || e.getMessage().contains("unavailable"), e.getMessage());
    }

    @Test
    void explicitOpenClGivesOpenClOrTheDocumentedError() {
        if (Backends.openClAvailable()) {
            try (Backend b = Backends.select("opencl")) {
                assertInstanceOf(OpenClBackend.class, b);
                assertWorks(b);
            }
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("opencl"));
            assertTrue(e.getMessage().contains("unavailable") || e.getMessage().contains("none was found"), e.getMessage());
        }
    }

    @Test
    void anUnknownChoiceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Backends.select("quantum"));
    }

    /** A 2 x 2 product, 7 10 / 15 22, computed on the backend. */
    private static void assertWorks(Backend b) {
        try (Buffer a = b.allocate(4); Buffer c = b.allocate(4)) {
            b.upload(new float[] {1, 2, 3, 4}, 0, a, 0, 4);
            b.gemm(false, false, 2, 2, 2, 1f, a, 0, 2, a, 0, 2, 0f, c, 0, 2);
            float[] out = new float[4];
            b.download(c, 0, out, 0, 4);
            assertArrayEquals(new float[] {7, 10, 15, 22}, out, b.name());
            assertEquals(false, b.name().isEmpty());
        }
    }
}
