package dev.expanse.engine.train;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The model's answer for one input: outputs ranked by probability (softmax of the logits). */
public record Prediction(List<Scored> top) {

    /** Output {@code output} with probability {@code probability}. */
    public record Scored(int output, double probability) {
    }

    public Prediction {
        top = List.copyOf(top);
    }

    /** The most probable output. */
    public int best() {
        return top.get(0).output();
    }

    /**
     * The {@code k} most probable outputs for each of the {@code n} inputs in {@code images}
     * ({@code n x features}, row-major, each of the model's input shape).
     */
    public static List<Prediction> of(Model model, float[] images, int n, int k) {
        int features = 1;
        for (int d : model.inputShape()) features *= d;
        if (images.length != (long) n * features) {
            throw new IllegalArgumentException("need " + n + " inputs of " + features + " values, got " + images.length + " values");
        }
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        float[] logits;
        int cols;
        try (Tape tape = new Tape(model.backend(), false)) {
            Tensor y = model.forward(tape, tape.constant(images, Trainer.batchShape(n, model.inputShape())));
            logits = y.toArray();
            cols = y.cols();
        }
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(ranked(Arrays.copyOfRange(logits, i * cols, (i + 1) * cols), k));
        return out;
    }

    /** Softmax in double (stable: shifted by the maximum), then the k largest. */
    static Prediction ranked(float[] logits, int k) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float z : logits) max = Math.max(max, z);
        double[] p = new double[logits.length];
        for (int c = 0; c < p.length; c++) sum += p[c] = Math.exp(logits[c] - max);
        List<Scored> all = new ArrayList<>();
        for (int c = 0; c < p.length; c++) all.add(new Scored(c, p[c] / sum));
        all.sort(Comparator.comparingDouble(Scored::probability).reversed().thenComparingInt(Scored::output));
        return new Prediction(all.subList(0, Math.min(k, all.size())));
    }
}
