package dev.expanse.engine.nn;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;

/**
 * A layer whose weight matrix grows in place: new rows are new outputs (neurons or filters), new
 * columns are new inputs (the layer below grew). The layer and its parameters stay the same
 * objects.
 */
public interface Growable extends Layer {

    /** Output units: neurons or filters. */
    int outputs();

    /** Input units: features or channels. */
    int inputs();

    /** Matrix columns per input unit: 1 for dense, KH*KW for conv. */
    int columnsPerInput();

    /**
     * Adds {@code k} outputs. Their weights (to every input, old and new) are drawn from
     * {@code init}; their biases are zero.
     */
    void growOutputs(int k, Init init, Rng rng);

    /**
     * Adds {@code k} inputs at the end. The weights from them to the existing outputs (new-to-old
     * connections) are drawn from {@code init}: zeros keep the old outputs unchanged.
     */
    void growInputs(int k, Init init, Rng rng);

    /** A layer below that grows gives this layer new inputs: it absorbs the growth ({@link #growInputs}). */
    @Override
    default InputGrowth inputGrowth(int[] inputShape) {
        return InputGrowth.ABSORBED;
    }
}
