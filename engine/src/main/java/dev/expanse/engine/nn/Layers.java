package dev.expanse.engine.nn;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;

/**
 * Builds a layer again from its {@link LayerSpec}, with zero weights (a checkpoint then fills
 * them). The one place that maps kinds to classes: a new layer kind that should be saved adds
 * its {@link Layer#spec()} and one case here.
 */
public final class Layers {
    private Layers() {
    }

    /**
     * The layer {@code spec} describes, on {@code be}.
     *
     * @throws IllegalArgumentException naming the layer if the kind is unknown or the geometry is
     *         missing or invalid
     */
    public static Layer build(Backend be, LayerSpec spec) {
        Rng none = new Rng(0); // zero init draws nothing
        String n = spec.name();
        return switch (spec.kind()) {
            case "dense" -> new Dense(n, be, spec.integer("in"), spec.integer("out"), Init.ZEROS, none);
            case "conv2d" -> new Conv2d(n, be, spec.integer("in"), spec.integer("filters"), spec.integer("kh"),
                    spec.integer("kw"), spec.integer("stride"), spec.integer("pad"), Init.ZEROS, none);
            case "maxpool2d" -> new MaxPool2d(n, spec.integer("k"), spec.integer("stride"));
            case "flatten" -> new Flatten(n);
            case "activation" -> new ActivationLayer(n, Activation.byId(spec.string("function")));
            default -> throw new IllegalArgumentException("layer '" + n + "' has unknown kind '" + spec.kind()
                    + "' (dense, conv2d, maxpool2d, flatten, activation)");
        };
    }
}
