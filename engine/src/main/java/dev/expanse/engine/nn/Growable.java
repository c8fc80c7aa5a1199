package dev.expanse.engine.nn;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import java.util.List;

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

    /**
     * Checks, changing nothing, that {@code outputs} new outputs and {@code inputs} new inputs
     * would fit: the weight (the first parameter) gains {@code outputs} rows and
     * {@code inputs * columnsPerInput()} columns, every other parameter (the bias) {@code outputs}
     * rows. Sizes are longs so that a plan's products cannot wrap.
     *
     * @throws IllegalArgumentException naming the parameter if a size would exceed an int or a buffer
     */
    default void checkGrowth(long outputs, long inputs) {
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).checkGrowth(outputs, i == 0 ? saturatedProduct(inputs, columnsPerInput()) : 0);
        }
    }

    /** {@code a * b} for non-negative values, or Long.MAX_VALUE where it would overflow. */
    static long saturatedProduct(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /** A layer below that grows gives this layer new inputs: it absorbs the growth ({@link #growInputs}). */
    @Override
    default InputGrowth inputGrowth(int[] inputShape) {
        return InputGrowth.ABSORBED;
    }
}
