package dev.expanse.kernels.opencl;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Backends;

/**
 * The child JVM of {@link SignalHandlersTest}. With {@code auto} it opens the automatic backend
 * and prints its name; with {@code devices} it starts the OpenCL drivers by listing their devices.
 * Then it stays up for the given milliseconds, long enough for {@code -Xcheck:jni}'s periodic check
 * of the JVM's signal handlers to print "handler modified" if a driver replaced one.
 */
public final class SignalHandlersMain {
    private SignalHandlersMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("hazard: " + OpenClLibrary.signalHazard());
        if (args[0].equals("auto")) {
            try (Backend b = Backends.select("auto")) {
                System.out.println("backend: " + b.name());
            }
        } else {
            System.out.println("devices: " + OpenClDevice.all().size());
        }
        Thread.sleep(Long.parseLong(args[1]));
        System.out.println("done");
    }
}
