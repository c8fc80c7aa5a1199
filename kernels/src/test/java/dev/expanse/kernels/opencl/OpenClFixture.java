package dev.expanse.kernels.opencl;

import dev.expanse.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The backends of an OpenCL test class, registered as a static JUnit extension: the scalar CPU
 * reference ({@link CpuBackend#scalar()}) and an OpenCL backend on the first device, opened before
 * the class's tests and closed after them. Where OpenCL is missing every test is skipped, saying
 * why, and with CI=true the class fails instead ({@link Equivalence#deviceOrNull}).
 */
final class OpenClFixture implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private OpenClDevice device;
    private CpuBackend reference;
    private OpenClBackend cl;

    @Override
    public void beforeAll(ExtensionContext context) {
        device = Equivalence.deviceOrNull();
        if (device != null) {
            reference = CpuBackend.scalar();
            cl = new OpenClBackend(device);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Equivalence.skipUnlessAvailable(device);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            Equivalence.closeAll(reference, cl);
        } finally {
            reference = null;
            cl = null;
        }
    }

    OpenClDevice device() {
        return device;
    }

    CpuBackend reference() {
        return reference;
    }

    OpenClBackend cl() {
        return cl;
    }
}
