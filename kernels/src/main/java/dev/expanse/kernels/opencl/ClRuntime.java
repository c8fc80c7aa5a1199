package dev.expanse.kernels.opencl;

import static dev.expanse.kernels.opencl.Cl.check;
import static dev.expanse.kernels.opencl.Cl.checked;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * The OpenCL objects of one backend: context, in-order queue, the programs built from the
 * {@code .cl} resources (built once per source and options, then cached) and their kernels, and
 * grow-only scratch buffers for temporaries such as packed GEMM operands.
 *
 * <p>Scratch slots are reused across calls without synchronisation: the queue is in order, so a
 * kernel that overwrites a slot runs after every kernel that read it earlier.
 */
final class ClRuntime implements AutoCloseable {
    private static final String RESOURCE_DIR = "/dev/expanse/kernels/opencl/";

    final OpenClDevice device;
    final cl_context context;
    final cl_command_queue queue;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, ClKernel> kernels = new HashMap<>();
    private final Map<String, cl_mem> scratch = new HashMap<>();
    private final Map<String, Long> scratchSize = new HashMap<>();

    ClRuntime(OpenClDevice device) {
        this.device = device;
        int[] err = new int[1];
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform);
        this.context = checked(CL.clCreateContext(props, 1, new cl_device_id[] {device.device}, null, null, err),
                err, "clCreateContext(" + device.name() + ")");
        cl_command_queue q;
        try {
            // clCreateCommandQueue is deprecated in 2.0 but is the OpenCL 1.2 entry point.
            @SuppressWarnings("deprecation")
            cl_command_queue created = CL.clCreateCommandQueue(context, device.device, 0, err);
            q = checked(created, err, "clCreateCommandQueue(" + device.name() + ")");
        } catch (RuntimeException e) {
            CL.clReleaseContext(context);
            throw e;
        }
        this.queue = q;
    }

    /** True when the device is a CPU (e.g. PoCL), which gets the CPU kernel variants. */
    boolean isCpu() {
        return device.isCpu();
    }

    /** Work-group size of 1-D elementwise launches. */
    int local1d() {
        return isCpu() ? 64 : 256;
    }

    /** Work-group size of 2-D launches over (columns, rows): one row segment, so accesses stay contiguous. */
    long[] local2d() {
        return new long[] {64, 1};
    }

    /** Global size of a 2-D launch over (cols, rows), rounded up to {@link #local2d()}. */
    long[] global2d(int cols, int rows) {
        return new long[] {ClKernel.roundUp(cols, 64), rows};
    }

    /**
     * Work-group size of 3-D launches that walk rows of {@code width} elements along dimension 0
     * (image rows, planes): one row per work-group, the row rounded up to a power of two in
     * [8, 64]. Few distinct sizes, because PoCL compiles a kernel again for each work-group size.
     */
    static long[] rowLocal(int width) {
        return new long[] {Math.min(64, Math.max(8, Integer.highestOneBit(Math.max(1, width - 1)) << 1)), 1, 1};
    }

    /** Global size (width rounded up to {@link #rowLocal}, d1, d2). */
    static long[] rowGlobal(int width, int d1, int d2) {
        return new long[] {ClKernel.roundUp(width, rowLocal(width)[0]), d1, d2};
    }

    /** The kernel {@code name} of resource {@code file}, built with {@code options} (e.g. "-DMR=8"). */
    synchronized ClKernel kernel(String file, String options, String name) {
        String key = file + '|' + options + '|' + name;
        ClKernel k = kernels.get(key);
        if (k == null) {
            int[] err = new int[1];
            cl_kernel raw = CL.clCreateKernel(program(file, options), name, err);
            k = new ClKernel(checked(raw, err, "clCreateKernel(" + file + ": " + name + ")"), queue, name);
            kernels.put(key, k);
        }
        return k;
    }

    private cl_program program(String file, String options) {
        String key = file + '|' + options;
        cl_program p = programs.get(key);
        if (p != null) {
            return p;
        }
        String source = loadSource(file);
        int[] err = new int[1];
        p = checked(CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, err),
                err, "clCreateProgramWithSource(" + file + ")");
        String allOptions = ("-cl-std=CL1.2 " + options).trim();
        int built = CL.clBuildProgram(p, 1, new cl_device_id[] {device.device}, allOptions, null, null);
        if (built != CL.CL_SUCCESS) {
            String log = buildLog(p);
            CL.clReleaseProgram(p);
            throw new OpenClException("building " + file + " [" + allOptions + "] for " + device.name() + " failed: "
                    + CL.stringFor_errorCode(built) + "\n" + log, built);
        }
        programs.put(key, p);
        return p;
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        if (CL.clGetProgramBuildInfo(p, device.device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size) != CL.CL_SUCCESS) {
            return "(no build log)";
        }
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(p, device.device, CL.CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        return new String(bytes, StandardCharsets.UTF_8).trim();
    }

    private static String loadSource(String file) {
        try (InputStream in = ClRuntime.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new OpenClException("kernel source " + RESOURCE_DIR + file + " not found on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel source " + file, e);
        }
    }

    /** A device buffer of at least {@code floats} floats (>= 1) for temporaries; its contents are undefined. */
    synchronized cl_mem scratch(String slot, long floats) {
        long need = Math.max(1, floats);
        Long have = scratchSize.get(slot);
        if (have != null && have >= need) {
            return scratch.get(slot);
        }
        if (have != null) {
            check(CL.clReleaseMemObject(scratch.remove(slot)), "clReleaseMemObject(scratch " + slot + ")");
        }
        // Grow geometrically so that a slowly growing workload does not reallocate every call.
        long size = have == null ? need : Math.max(need, have + have / 2);
        scratch.put(slot, createBuffer(size, "scratch " + slot));
        scratchSize.put(slot, size);
        return scratch.get(slot);
    }

    /** A new device buffer of {@code floats} floats (>= 1), contents undefined. */
    cl_mem createBuffer(long floats, String what) {
        int[] err = new int[1];
        cl_mem mem = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, Math.max(1, floats) * Float.BYTES, null, err);
        return checked(mem, err, "clCreateBuffer(" + what + ", " + floats + " floats)");
    }

    /** Releases scratch buffers, kernels, programs, the queue and the context, reporting the first failure. */
    @Override
    public synchronized void close() {
        List<Runnable> releases = new ArrayList<>();
        releases.add(() -> check(CL.clFinish(queue), "clFinish"));
        for (cl_mem m : scratch.values()) {
            releases.add(() -> check(CL.clReleaseMemObject(m), "clReleaseMemObject(scratch)"));
        }
        for (ClKernel k : kernels.values()) {
            releases.add(k::release);
        }
        for (cl_program p : programs.values()) {
            releases.add(() -> check(CL.clReleaseProgram(p), "clReleaseProgram"));
        }
        releases.add(() -> check(CL.clReleaseCommandQueue(queue), "clReleaseCommandQueue"));
        releases.add(() -> check(CL.clReleaseContext(context), "clReleaseContext"));
        scratch.clear();
        scratchSize.clear();
        kernels.clear();
        programs.clear();
        RuntimeException first = null;
        for (Runnable r : releases) {
            try {
                r.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
