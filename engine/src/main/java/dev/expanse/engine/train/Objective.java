package dev.expanse.engine.train;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.data.Batch;
import dev.expanse.engine.ops.SoftmaxCrossEntropy;

/**
 * What a training step minimises: a loss recorded on the tape from the batch's logits, plus
 * optionally a penalty on the parameters whose gradient has a closed form (EWC's quadratic pull
 * towards earlier weights), added straight into the gradients.
 */
public interface Objective {

    /** Mean softmax cross-entropy against the batch's labels: what {@link Trainer#step} minimises by default. */
    Objective CROSS_ENTROPY = (tape, logits, labels, batch) -> SoftmaxCrossEntropy.forward(tape, logits, labels);

    /**
     * The scalar loss of one batch, recorded on {@code tape}.
     *
     * @param logits [N, K] logits of the batch
     * @param labels [N] labels as floats
     * @param batch  the batch itself (its {@link Batch#indices()} name the examples)
     */
    Tensor loss(Tape tape, Tensor logits, Tensor labels, Batch batch);

    /**
     * Called after the backward pass and before the update: adds the penalty's gradient to the
     * parameters' gradients and returns the penalty's value, which the step adds to the reported
     * loss. None by default.
     */
    default float addPenalty() {
        return 0f;
    }
}
