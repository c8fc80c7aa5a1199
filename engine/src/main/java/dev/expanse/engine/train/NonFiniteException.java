package dev.expanse.engine.train;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.data.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * Training met a NaN or an infinity: the loss of a step was not finite. Thrown by
 * {@link Trainer#step} before the optimizer's update, so the weights stay those of the last good
 * step (and the gradients are zeroed). The message says which step and what is not finite: the
 * batch's input, the weights or the gradients of the parameters named, or, when all of those are
 * finite, that the logits overflowed.
 */
public final class NonFiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    private static final int NAMED = 3;

    private final long step;
    private final String parameter;

    /**
     * @param step      the optimizer step (1-based) that was refused
     * @param parameter the first parameter found non-finite, or null if none
     */
    public NonFiniteException(String message, long step, String parameter) {
        super(message);
        this.step = step;
        this.parameter = parameter;
    }

    /** The optimizer step, counted from 1, whose loss was not finite. */
    public long step() {
        return step;
    }

    /**
     * The first parameter whose weights hold a NaN or an infinity, else the first whose gradient
     * does; null if none (the input, or an overflow of the logits).
     */
    public String parameter() {
        return parameter;
    }

    /** The same fault, with where it happened in a training loop (e.g. "epoch 2, batch 7/94") in front. */
    public NonFiniteException at(String where) {
        NonFiniteException e = new NonFiniteException(where + ": " + getMessage(), step, parameter);
        e.initCause(this);
        return e;
    }

    /**
     * Looks at the batch, then at every parameter's weights and gradient (after the backward
     * pass, before the update) and says what is not finite. Reads only.
     */
    static NonFiniteException diagnose(float loss, long step, Batch batch, List<Parameter> params) {
        String head = "loss " + loss + " at optimizer step " + step + "; the update was not applied: ";
        String input = scan(batch.x(), batch.x().length / Math.max(1, batch.size()));
        if (input != null) return new NonFiniteException(head + "the input batch " + input, step, null);
        List<String> weights = new ArrayList<>(), grads = new ArrayList<>(), badWeights = new ArrayList<>(),
                badGrads = new ArrayList<>();
        for (Parameter p : params) {
            String w = scan(p.toArray(), p.cols()), g = scan(p.gradToArray(), p.cols());
            if (w != null) {
                weights.add("weights of " + p.name() + " " + w);
                badWeights.add(p.name());
            }
            if (g != null) {
                grads.add("gradient of " + p.name() + " " + g);
                badGrads.add(p.name());
            }
        }
        List<String> found = weights.isEmpty() ? grads : weights; // non-finite weights are the cause
        String first = weights.isEmpty() ? (badGrads.isEmpty() ? null : badGrads.get(0)) : badWeights.get(0);
        if (found.isEmpty()) {
            return new NonFiniteException(head + "the input, weights and gradients are finite, the logits "
                    + "overflowed (is the learning rate too high?)", step, null);
        }
        String more = found.size() > NAMED ? "; and " + (found.size() - NAMED) + " more parameters" : "";
        String why = weights.isEmpty() ? "the weights are finite, but the " : "";
        String hint = weights.isEmpty() ? " (overflow: is the learning rate too high?)" : "";
        return new NonFiniteException(head + why + String.join("; ", found.subList(0, Math.min(NAMED, found.size())))
                + more + hint, step, first);
    }

    /** "has 3 NaN and 1 infinite values, the first at [row, col]", or null if every value is finite. */
    private static String scan(float[] v, int cols) {
        int nan = 0, inf = 0, firstAt = -1;
        for (int i = 0; i < v.length; i++) {
            if (Float.isFinite(v[i])) continue;
            if (Float.isNaN(v[i])) nan++;
            else inf++;
            if (firstAt < 0) firstAt = i;
        }
        if (firstAt < 0) return null;
        int c = Math.max(1, cols);
        return "has " + nan + " NaN and " + inf + " infinite values, the first at [" + firstAt / c + ", " + firstAt % c + "]";
    }
}
