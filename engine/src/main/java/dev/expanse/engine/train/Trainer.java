package dev.expanse.engine.train;

import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.data.Batch;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Mini-batch training with softmax cross-entropy, and evaluation. */
public final class Trainer {
    private Trainer() {
    }

    /**
     * What one training step saw, in the forward pass before its update: the batch's mean softmax
     * cross-entropy, and how many of its {@code examples} the logits classify correctly (argmax).
     */
    public record StepStats(float loss, int correct, int examples) {
    }

    /** Mean training loss and accuracy of one epoch, and its wall time. */
    public record EpochStats(double loss, double accuracy, double seconds) {
        /**
         * The example-weighted means of {@code steps} (0 for none), with {@code seconds} as the
         * wall time.
         */
        public static EpochStats of(List<StepStats> steps, double seconds) {
            double lossSum = 0;
            long correct = 0, seen = 0;
            for (StepStats s : steps) {
                lossSum += s.loss() * s.examples(); // a float product, as the loss is a float
                correct += s.correct();
                seen += s.examples();
            }
            return new EpochStats(seen == 0 ? 0 : lossSum / seen, seen == 0 ? 0 : (double) correct / seen, seconds);
        }
    }

    /**
     * One training step on {@code batch}: forward to logits, softmax cross-entropy against the
     * batch's labels, backward (gradients accumulate into the parameters' grad buffers), then
     * {@code optimizer.step()}. Every training loop goes through here, so they all do the same
     * arithmetic in the same order.
     *
     * <p>The loss is checked every step (it is read anyway). When it is NaN or infinite, the
     * update is not applied, the gradients are zeroed, and a {@link NonFiniteException} says which
     * step and what is not finite (the input, or the weights or gradients of which parameter).
     * The check only reads: a finite step computes exactly what it did without it.
     *
     * @param batch examples of {@code model.inputShape()}, see {@link Dataset#batches}
     * @return the loss and correct count of the forward pass (before the update)
     * @throws NonFiniteException if the loss is not finite; the model keeps its weights
     */
    public static StepStats step(Model model, Optimizer optimizer, Batch batch) {
        return step(model, optimizer, batch, Objective.CROSS_ENTROPY);
    }

    /**
     * {@link #step(Model, Optimizer, Batch)} minimising {@code objective} instead of plain
     * cross-entropy; the reported loss is the objective's loss plus its penalty.
     */
    public static StepStats step(Model model, Optimizer optimizer, Batch batch, Objective objective) {
        Backend be = model.backend();
        try (Tape tape = new Tape(be, true)) {
            Tensor x = tape.constant(batch.x(), batchShape(batch.size(), model.inputShape()));
            Tensor y = tape.constant(batch.y(), batch.size());
            Tensor logits = model.forward(tape, x);
            Tensor loss = objective.loss(tape, logits, y, batch);
            tape.backward(loss);
            float value = loss.toArray()[0] + objective.addPenalty();
            if (!Float.isFinite(value)) {
                NonFiniteException e = NonFiniteException.diagnose(value, optimizer.updates() + 1, batch, model.parameters());
                optimizer.zeroGrad();
                throw e;
            }
            optimizer.step();
            return new StepStats(value, countCorrect(be, logits, batch.labels()), batch.size());
        }
    }

    /**
     * One epoch over {@code data} in shuffled mini-batches (shuffled by {@code rng}; in order when
     * null), one {@link #step} per batch.
     *
     * @throws NonFiniteException if a step's loss is not finite, naming the label and the batch
     */
    public static EpochStats epoch(Model model, Optimizer optimizer, Dataset data, int batchSize, Rng rng,
                                   Progress progress, String label) {
        checkInput(model, data);
        long t0 = System.nanoTime();
        List<StepStats> steps = new ArrayList<>();
        int batches = data.batchCount(batchSize);
        for (Batch batch : data.batches(batchSize, rng)) {
            StepStats s = guarded(model, optimizer, batch, label, steps.size() + 1, batches);
            steps.add(s);
            progress.tick(label, steps.size(), batches, s);
        }
        return EpochStats.of(steps, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * {@link #step}, with a {@link NonFiniteException} told where it happened: {@code "<label>,
     * batch <b>/<batches>"}, e.g. "epoch 2, batch 7/94". Training loops call this.
     */
    public static StepStats guarded(Model model, Optimizer optimizer, Batch batch, String label, int b, int batches) {
        return guarded(model, optimizer, batch, Objective.CROSS_ENTROPY, label, b, batches);
    }

    /** {@link #guarded(Model, Optimizer, Batch, String, int, int)} minimising {@code objective}. */
    public static StepStats guarded(Model model, Optimizer optimizer, Batch batch, Objective objective, String label,
                                    int b, int batches) {
        try {
            return step(model, optimizer, batch, objective);
        } catch (NonFiniteException e) {
            throw e.at("training stopped at " + label + ", batch " + b + "/" + batches);
        }
    }

    /** Fraction of {@code data} whose argmax logit equals the label. */
    public static double accuracy(Model model, Dataset data, int batchSize) {
        int[] pred = predict(model, data, batchSize);
        int[] labels = data.labels();
        long ok = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) ok++;
        return pred.length == 0 ? 0 : (double) ok / pred.length;
    }

    /** The argmax class of every example, in dataset order. */
    public static int[] predict(Model model, Dataset data, int batchSize) {
        checkInput(model, data);
        int[] out = new int[data.size()];
        int i = 0;
        for (Batch batch : data.batches(batchSize, null)) {
            try (Tape tape = new Tape(model.backend(), false)) {
                Tensor x = tape.constant(batch.x(), batchShape(batch.size(), model.inputShape()));
                int[] p = argmax(model.backend(), model.forward(tape, x));
                System.arraycopy(p, 0, out, i, p.length);
                i += p.length;
            }
        }
        return out;
    }

    /** Logits of every example, {@code [N, classes]} row-major, in dataset order. */
    public static float[] logits(Model model, Dataset data, int batchSize) {
        checkInput(model, data);
        float[] out = null;
        int i = 0;
        for (Batch batch : data.batches(batchSize, null)) {
            try (Tape tape = new Tape(model.backend(), false)) {
                Tensor x = tape.constant(batch.x(), batchShape(batch.size(), model.inputShape()));
                float[] l = model.forward(tape, x).toArray();
                if (out == null) out = new float[data.size() * (l.length / batch.size())];
                System.arraycopy(l, 0, out, i, l.length);
                i += l.length;
            }
        }
        return out == null ? new float[0] : out;
    }

    static int[] argmax(Backend be, Tensor logits) {
        int n = logits.rows();
        try (Buffer idx = be.allocate(n)) {
            be.argmaxRows(n, logits.cols(), logits.data(), idx);
            float[] f = new float[n];
            be.download(idx, 0, f, 0, n);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = (int) f[i];
            return out;
        }
    }

    private static int countCorrect(Backend be, Tensor logits, int[] labels) {
        int[] p = argmax(be, logits);
        int ok = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == labels[i]) ok++;
        return ok;
    }

    /** The shape of a batch of {@code n} examples: {@code [n, ...inputShape]}. */
    public static int[] batchShape(int n, int[] inputShape) {
        int[] s = new int[inputShape.length + 1];
        s[0] = n;
        System.arraycopy(inputShape, 0, s, 1, inputShape.length);
        return s;
    }

    private static void checkInput(Model model, Dataset data) {
        int need = 1;
        for (int d : model.inputShape()) need *= d;
        if (need != data.features()) {
            throw new IllegalArgumentException("model takes " + Arrays.toString(model.inputShape()) + " (" + need
                    + " features) but dataset " + data + " has " + data.features() + " features");
        }
    }
}
