/** A user's module: the Expanse jars are automatic modules, named by their manifests. */
module dev.example.consumer {
    requires dev.expanse.engine;
    requires dev.expanse.kernels;
}
