package dev.expanse.kernels;

import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.kernels.opencl.OpenClBackend;
import dev.expanse.kernels.opencl.OpenClDevice;
import dev.expanse.kernels.opencl.OpenClLibrary;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Chooses the backend, once per call, from the system property {@code expanse.backend}:
 * <ul>
 *   <li>{@code cpu}: the CPU backend ({@link CpuBackend#fromProperties()});</li>
 *   <li>{@code opencl}: OpenCL on any device, GPUs first;</li>
 *   <li>{@code opencl:<text>}: OpenCL on the first device whose name, platform name or platform
 *       vendor contains {@code text}, ignoring case (e.g. {@code opencl:pocl}, {@code opencl:nvidia});</li>
 *   <li>{@code auto} (the default): OpenCL on a GPU if one is present and passes a self-test,
 *       otherwise the CPU backend. An OpenCL CPU device (PoCL) is not chosen automatically: the
 *       Vector API kernels of the CPU backend are faster than PoCL for most operations.</li>
 * </ul>
 * One line on standard error says what was chosen and why; {@code -Dexpanse.log=warn} silences it
 * (warnings, e.g. a GPU that failed its self-test, are still printed).
 *
 * <p>{@code auto} never throws for OpenCL reasons: no loader library, no platform, no GPU, a
 * failing driver or a kernel that does not build all fall back to the CPU backend. Nor does it
 * start any OpenCL driver in a JVM whose signal handlers the driver could take over
 * ({@link OpenClLibrary#signalHazard()}: Java started without libjsig preloaded); an explicit
 * {@code opencl} still does, after a warning. An explicit
 * {@code opencl} or {@code opencl:<text>} that cannot be satisfied throws
 * {@link IllegalStateException} saying why (and listing the devices found).
 */
public final class Backends {
    /** The system property naming the backend. */
    public static final String PROPERTY = "expanse.backend";

    private Backends() {
    }

    /**
     * The backend named by {@code expanse.backend}, see the class comment.
     *
     * @throws IllegalStateException    when OpenCL was asked for explicitly and cannot be used
     * @throws IllegalArgumentException when the property holds something else than the values above
     */
    public static Backend select() {
        return select(System.getProperty(PROPERTY, "auto"));
    }

    /** As {@link #select()}, with the choice given directly instead of by the property. */
    public static Backend select(String choice) {
        String c = choice.strip();
        String lower = c.toLowerCase(Locale.ROOT);
        if (lower.equals("cpu")) {
            return cpu("expanse.backend=cpu");
        }
        if (lower.equals("auto") || lower.isEmpty()) {
            return auto();
        }
        if (lower.equals("opencl")) {
            return explicitOpenCl(d -> true, "any OpenCL device");
        }
        if (lower.startsWith("opencl:")) {
            String text = c.substring("opencl:".length()).strip();
            return explicitOpenCl(d -> d.matches(text), "an OpenCL device matching '" + text + "'");
        }
        throw new IllegalArgumentException(PROPERTY + "=" + choice + ": expected cpu, opencl, opencl:<device or platform name> or auto");
    }

    /** True when an OpenCL platform with at least one device can be used (for tests). */
    public static boolean openClAvailable() {
        return openClUnavailableReason() == null;
    }

    /** Why OpenCL cannot be used here, or null when at least one device is present. */
    public static String openClUnavailableReason() {
        String missing = OpenClLibrary.missingReason();
        if (missing != null) {
            return missing;
        }
        try {
            return OpenClDevice.all().isEmpty() ? "no OpenCL platform or device found" : null;
        } catch (LinkageError | RuntimeException e) {
            return describe(e);
        }
    }

    private static Backend auto() {
        String missing = OpenClLibrary.missingReason();
        if (missing != null) {
            return cpu("auto: OpenCL unavailable: " + missing);
        }
        String hazard = OpenClLibrary.signalHazard();
        if (hazard != null) {
            return cpu("auto: OpenCL not probed: " + hazard);
        }
        List<OpenClDevice> devices;
        try {
            devices = OpenClDevice.all();
        } catch (LinkageError | RuntimeException e) {
            return cpu("auto: OpenCL unavailable: " + describe(e));
        }
        OpenClDevice gpu = devices.stream().filter(OpenClDevice::isGpu).findFirst().orElse(null);
        if (devices.isEmpty()) {
            return cpu("auto: no OpenCL platform or device");
        }
        if (gpu == null) {
            return cpu("auto: no OpenCL GPU (found " + list(devices) + "; -D" + PROPERTY + "=opencl uses them)");
        }
        try {
            OpenClBackend backend = openTested(gpu);
            info("backend " + backend.name() + " (auto: OpenCL GPU found; -D" + PROPERTY + "=cpu to use the CPU)");
            return backend;
        } catch (LinkageError | RuntimeException e) {
            warn("OpenCL GPU " + gpu + " failed, using the CPU backend: " + describe(e));
            return cpu("auto: OpenCL GPU failed");
        }
    }

    private static Backend explicitOpenCl(Predicate<OpenClDevice> wanted, String what) {
        String hazard = OpenClLibrary.signalHazard();
        if (hazard != null) {
            warn(hazard);
        }
        List<OpenClDevice> devices;
        try {
            devices = OpenClDevice.all();
        } catch (LinkageError | RuntimeException e) {
            throw new IllegalStateException(PROPERTY + " asks for " + what + ", but OpenCL is unavailable: " + describe(e), e);
        }
        OpenClDevice device = devices.stream().filter(wanted).findFirst().orElseThrow(() -> new IllegalStateException(
                PROPERTY + " asks for " + what + ", but none was found; devices: "
                        + (devices.isEmpty() ? "none" : list(devices))));
        try {
            OpenClBackend backend = openTested(device);
            info("backend " + backend.name() + " (" + PROPERTY + " asks for " + what + ")");
            return backend;
        } catch (LinkageError | RuntimeException e) {
            throw new IllegalStateException("OpenCL device " + device + " failed: " + describe(e), e);
        }
    }

    private static OpenClBackend openTested(OpenClDevice device) {
        OpenClBackend backend = new OpenClBackend(device);
        try {
            backend.selfTest();
            return backend;
        } catch (RuntimeException | LinkageError e) {
            try {
                backend.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Backend cpu(String why) {
        CpuBackend backend = CpuBackend.fromProperties();
        info("backend " + backend.name() + " (" + why + ")");
        return backend;
    }

    private static String list(List<OpenClDevice> devices) {
        return devices.stream().map(OpenClDevice::toString).collect(Collectors.joining(", "));
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String logLevel() {
        return System.getProperty("expanse.log", "info").strip().toLowerCase(Locale.ROOT);
    }

    private static void info(String message) {
        if (logLevel().equals("info") || logLevel().equals("debug")) {
            System.err.println("[expanse] " + message);
        }
    }

    private static void warn(String message) {
        if (!logLevel().equals("error") && !logLevel().equals("off")) {
            System.err.println("[expanse] warning: " + message);
        }
    }
}
