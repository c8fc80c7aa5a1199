package dev.expanse.engine.ops;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Backend;

/** Mean softmax cross-entropy over a batch, fused, forward and backward side by side. */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * @param logits [N, K] dense logits
     * @param labels [N] class indices held as floats, each in [0, K)
     * @return the scalar mean loss, shape [1]
     */
    public static Tensor forward(Tape tape, Tensor logits, Tensor labels) {
        int n = logits.rows(), k = logits.cols();
        if (logits.ld() != k || labels.size() != n) {
            throw new IllegalArgumentException("cross-entropy needs dense [N, K] logits and N labels, got "
                    + logits + " and " + labels);
        }
        Backend be = tape.backend();
        Tensor probs = tape.alloc(false, n, k);
        Tensor losses = tape.alloc(false, n);
        Tensor loss = tape.alloc(true, 1);
        be.softmaxCrossEntropyForward(n, k, logits.data(), labels.data(), probs.data(), losses.data());
        be.sumOverColumns(1, n, losses.data(), n, 0f, loss.data());
        be.scale(1, n == 0 ? 0f : 1f / n, loss.data());
        tape.record(() -> {
            if (!loss.hasGrad() || !logits.requiresGrad() || n == 0) return;
            float[] seed = new float[1];
            be.download(loss.grad(), 0, seed, 0, 1); // one float: usually 1, unless the loss was scaled
            be.softmaxCrossEntropyBackward(n, k, probs.data(), labels.data(), seed[0] / n, logits.grad());
        });
        return loss;
    }
}
