package dev.expanse.kernels.opencl;

import static dev.expanse.kernels.opencl.Cl.check;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** One OpenCL device as reported by the installed platforms (ICDs). */
public final class OpenClDevice {
    final cl_platform_id platform;
    final cl_device_id device;
    private final String platformName;
    private final String platformVendor;
    private final String name;
    private final long type;
    private final int nativeFloatWidth;

    private OpenClDevice(cl_platform_id platform, cl_device_id device, String platformName, String platformVendor,
                         String name, long type, int nativeFloatWidth) {
        this.platform = platform;
        this.device = device;
        this.platformName = platformName;
        this.platformVendor = platformVendor;
        this.name = name;
        this.type = type;
        this.nativeFloatWidth = nativeFloatWidth;
    }

    /**
     * Every device of every platform, GPUs first (otherwise in platform order).
     *
     * @return an empty list when the OpenCL loader finds no platform
     * @throws OpenClException      when an OpenCL call fails
     * @throws UnsatisfiedLinkError when JOCL or the OpenCL library cannot be loaded
     */
    public static List<OpenClDevice> all() {
        int[] count = new int[1];
        int err = CL.clGetPlatformIDs(0, null, count);
        if (err == CL.CL_PLATFORM_NOT_FOUND_KHR || (err == CL.CL_SUCCESS && count[0] == 0)) {
            return List.of();
        }
        check(err, "clGetPlatformIDs");
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        List<OpenClDevice> gpus = new ArrayList<>();
        List<OpenClDevice> others = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            String platformName = platformString(p, CL.CL_PLATFORM_NAME);
            String platformVendor = platformString(p, CL.CL_PLATFORM_VENDOR);
            int[] n = new int[1];
            err = CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, n);
            if (err == CL.CL_DEVICE_NOT_FOUND) {
                continue;
            }
            check(err, "clGetDeviceIDs(" + platformName + ")");
            cl_device_id[] devices = new cl_device_id[n[0]];
            check(CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, devices.length, devices, null),
                    "clGetDeviceIDs(" + platformName + ")");
            for (cl_device_id d : devices) {
                long[] type = new long[1];
                check(CL.clGetDeviceInfo(d, CL.CL_DEVICE_TYPE, Sizeof.cl_ulong, Pointer.to(type), null),
                        "clGetDeviceInfo(CL_DEVICE_TYPE)");
                int[] width = new int[1];
                check(CL.clGetDeviceInfo(d, CL.CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT, Sizeof.cl_uint, Pointer.to(width), null),
                        "clGetDeviceInfo(CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT)");
                OpenClDevice dev = new OpenClDevice(p, d, platformName, platformVendor, deviceString(d, CL.CL_DEVICE_NAME),
                        type[0], width[0]);
                (dev.isGpu() ? gpus : others).add(dev);
            }
        }
        gpus.addAll(others);
        return gpus;
    }

    /** The platform name, e.g. "Portable Computing Language" or "NVIDIA CUDA". */
    public String platformName() {
        return platformName;
    }

    /** The device name, e.g. "pthread-skylake-avx512-AMD EPYC". */
    public String name() {
        return name;
    }

    /**
     * Floats in one of the device's native vector registers (CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT):
     * 8 for PoCL on AVX2, 16 on AVX-512, usually 1 on GPUs.
     */
    public int nativeFloatWidth() {
        return nativeFloatWidth;
    }

    public boolean isGpu() {
        return (type & CL.CL_DEVICE_TYPE_GPU) != 0;
    }

    public boolean isCpu() {
        return (type & CL.CL_DEVICE_TYPE_CPU) != 0;
    }

    /**
     * True when {@code text} occurs, ignoring case, in the device name, the platform name or the
     * platform vendor (so "pocl" finds PoCL, whose platform is "Portable Computing Language" by
     * "The pocl project").
     */
    public boolean matches(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return name.toLowerCase(Locale.ROOT).contains(t) || platformName.toLowerCase(Locale.ROOT).contains(t)
                || platformVendor.toLowerCase(Locale.ROOT).contains(t);
    }

    String typeName() {
        return isGpu() ? "GPU" : isCpu() ? "CPU" : "accelerator";
    }

    @Override
    public String toString() {
        return name + " (" + typeName() + ", " + platformName + ")";
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        check(CL.clGetDeviceInfo(d, param, 0, null, size), "clGetDeviceInfo");
        byte[] bytes = new byte[(int) size[0]];
        check(CL.clGetDeviceInfo(d, param, bytes.length, Pointer.to(bytes), null), "clGetDeviceInfo");
        return cString(bytes);
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        check(CL.clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        check(CL.clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        check(CL.clGetPlatformInfo(p, param, 0, null, size), "clGetPlatformInfo");
        byte[] bytes = new byte[(int) size[0]];
        check(CL.clGetPlatformInfo(p, param, bytes.length, Pointer.to(bytes), null), "clGetPlatformInfo");
        return cString(bytes);
    }

    private static String cString(byte[] bytes) {
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8).trim();
    }
}
