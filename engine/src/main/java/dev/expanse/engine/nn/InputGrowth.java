package dev.expanse.engine.nn;

/**
 * What a layer does with new units in its input, when a layer below it grows (new neurons of a
 * dense layer, new filters of a convolution): it passes them on, each new input unit becoming
 * {@link #factor()} new output units (1 for an activation or a pooling; H*W at a flatten of
 * [C, H, W]), or it absorbs them as new inputs of its own weight matrix, and the growth stops
 * there. {@link Sequential#grow} asks each layer, so it keeps no list of layer types.
 *
 * @param factor new output units per new input unit when the growth passes through; 0 when the
 *               layer absorbs it; -1 when growth cannot pass this layer
 */
public record InputGrowth(int factor) {

    /** Passes through unchanged: one new output unit per new input unit (activations, pooling). */
    public static final InputGrowth UNCHANGED = new InputGrowth(1);

    /** The layer takes the new units as new inputs ({@link Growable#growInputs}). */
    public static final InputGrowth ABSORBED = new InputGrowth(0);

    /** Growth cannot pass this layer; the default of {@link Layer#inputGrowth}. */
    public static final InputGrowth REFUSED = new InputGrowth(-1);

    /** @throws IllegalArgumentException if {@code factor < -1} */
    public InputGrowth {
        if (factor < -1) throw new IllegalArgumentException("input growth factor must be >= -1, got " + factor);
    }

    /** Each new input unit becomes {@code factor >= 1} new output units (e.g. H*W at a flatten). */
    public static InputGrowth multiplied(int factor) {
        if (factor < 1) throw new IllegalArgumentException("a growth passing through needs factor >= 1, got " + factor);
        return new InputGrowth(factor);
    }

    /** True when the layer takes the growth as new inputs. */
    public boolean absorbs() {
        return factor == 0;
    }

    /** True when the growth goes on to the next layer. */
    public boolean passes() {
        return factor >= 1;
    }
}
