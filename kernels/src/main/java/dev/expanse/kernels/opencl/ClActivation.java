package dev.expanse.kernels.opencl;

import dev.expanse.kernels.Activation;
import java.util.Locale;
import org.jocl.cl_mem;

/**
 * Host side of activation.cl: every {@link Activation}, forward and backward, in one pair of
 * kernels that switch on the activation's code.
 *
 * <p>The codes are the enum's ordinals, handed to the compiler as {@link #OPTIONS} (generated
 * from {@link Activation#values()}), so activation.cl's case labels follow the enum and nobody
 * keeps a table of numbers in step with it. A new activation is one enum constant and one
 * {@code case} in activation.cl (with its {@code #ifndef} default, for compiling the file alone).
 */
final class ClActivation {
    private static final String FILE = "activation.cl";

    /**
     * The build options of activation.cl: {@code -DACT_<NAME>=<ordinal>} for every activation,
     * then the enum's constants ({@code -DLEAKY_SLOPE=0.01f ...}).
     */
    static final String OPTIONS = options();

    private final ClRuntime rt;

    ClActivation(ClRuntime rt) {
        this.rt = rt;
    }

    /** y = f(x) over n > 0 elements; y may alias x. */
    void forward(Activation f, int n, cl_mem x, cl_mem y) {
        rt.kernel(FILE, OPTIONS, "activation_forward").launch1d(n, rt.local1d(), f.ordinal(), n, x, y);
    }

    /** dx += f'(x) dy over n > 0 elements, given y = f(x). */
    void backward(Activation f, int n, cl_mem x, cl_mem y, cl_mem dy, cl_mem dx) {
        rt.kernel(FILE, OPTIONS, "activation_backward").launch1d(n, rt.local1d(), f.ordinal(), n, x, y, dy, dx);
    }

    private static String options() {
        StringBuilder o = new StringBuilder();
        for (Activation a : Activation.values()) {
            o.append("-DACT_").append(a.name()).append('=').append(a.ordinal()).append(' ');
        }
        // Float literals: Java's shortest round-trip spelling, which C reads back as the same float.
        o.append("-DLEAKY_SLOPE=").append(floatLiteral(Activation.LEAKY_SLOPE));
        o.append(" -DGELU_K0=").append(floatLiteral((float) Activation.GELU_K0));
        o.append(" -DGELU_K1=").append(floatLiteral((float) Activation.GELU_K1));
        return o.toString();
    }

    private static String floatLiteral(float v) {
        return Float.toString(v).toLowerCase(Locale.ROOT) + "f";
    }
}
