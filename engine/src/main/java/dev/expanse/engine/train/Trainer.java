package dev.expanse.engine.train;

import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.data.Batch;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.ops.SoftmaxCrossEntropy;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import java.util.Arrays;

/** Mini-batch training with softmax cross-entropy, and evaluation. */
public final class Trainer {
    private Trainer() {
    }

    /** Mean training loss and accuracy of one epoch, and its wall time. */
    public record EpochStats(double loss, double accuracy, double seconds) {
    }

    /**
     * One epoch over {@code data} in shuffled mini-batches (shuffled by {@code rng}; in order when
     * null): forward, loss, backward, optimizer step.
     */
    public static EpochStats epoch(Model model, Optimizer optimizer, Dataset data, int batchSize, Rng rng,
                                   Progress progress, String label) {
        checkInput(model, data);
        long t0 = System.nanoTime();
        Backend be = model.backend();
        double lossSum = 0;
        long correct = 0;
        int done = 0, batches = data.batchCount(batchSize), b = 0;
        for (Batch batch : data.batches(batchSize, rng)) {
            try (Tape tape = new Tape(be, true)) {
                Tensor x = tape.constant(batch.x(), batchShape(batch.size(), model.inputShape()));
                Tensor y = tape.constant(batch.y(), batch.size());
                Tensor logits = model.forward(tape, x);
                Tensor loss = SoftmaxCrossEntropy.forward(tape, logits, y);
                tape.backward(loss);
                optimizer.step();
                lossSum += loss.toArray()[0] * batch.size();
                correct += countCorrect(be, logits, batch.labels());
            }
            done += batch.size();
            progress.tick(label, ++b, batches);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new EpochStats(done == 0 ? 0 : lossSum / done, done == 0 ? 0 : (double) correct / done, secs);
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

    private static long countCorrect(Backend be, Tensor logits, int[] labels) {
        int[] p = argmax(be, logits);
        long ok = 0;
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
