package dev.expanse.kernels.opencl;

import org.jocl.CL;

/** Error checking for raw JOCL calls: every return code goes through {@link #check}. */
final class Cl {
    private Cl() {
    }

    /** Throws an {@link OpenClException} naming {@code call} unless {@code err} is CL_SUCCESS. */
    static void check(int err, String call) {
        if (err != CL.CL_SUCCESS) {
            throw new OpenClException(call + " failed: " + CL.stringFor_errorCode(err) + " (" + err + ")", err);
        }
    }

    /** Checks the error slot of a create-style call, then returns its result. */
    static <T> T checked(T result, int[] err, String call) {
        check(err[0], call);
        if (result == null) {
            throw new OpenClException(call + " returned no object");
        }
        return result;
    }
}
