package dev.expanse.kernels.opencl;

/**
 * An OpenCL call failed, a program did not build, or no usable device was found. The message
 * names the failing call and the OpenCL error code (or carries the build log).
 */
public final class OpenClException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The OpenCL error code, or 0 when the failure did not come from an OpenCL call. */
    private final int code;

    OpenClException(String message, int code) {
        super(message);
        this.code = code;
    }

    OpenClException(String message) {
        this(message, 0);
    }

    public int code() {
        return code;
    }
}
