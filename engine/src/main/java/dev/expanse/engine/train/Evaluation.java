package dev.expanse.engine.train;

import dev.expanse.engine.data.Dataset;

/**
 * How a model scores on a labelled set: accuracy, accuracy per class, and the confusion matrix.
 *
 * @param accuracy  fraction of examples whose argmax output equals the label
 * @param perClass  per label, the fraction of its examples classified correctly (NaN for a label with none)
 * @param confusion {@code confusion[label][output]}: examples of the label predicted as the output
 * @param counts    examples per label
 */
public record Evaluation(double accuracy, double[] perClass, long[][] confusion, long[] counts) {

    /** Evaluates {@code model} on {@code data} (labels in [0, numClasses), outputs of the model any count). */
    public static Evaluation of(Model model, Dataset data, int batchSize) {
        int[] pred = Trainer.predict(model, data, batchSize);
        int outputs = 0;
        for (int p : pred) outputs = Math.max(outputs, p + 1);
        outputs = Math.max(outputs, data.numClasses());
        long[][] confusion = new long[data.numClasses()][outputs];
        long[] counts = new long[data.numClasses()];
        long ok = 0;
        for (int i = 0; i < pred.length; i++) {
            int label = data.label(i);
            confusion[label][pred[i]]++;
            counts[label]++;
            if (pred[i] == label) ok++;
        }
        double[] perClass = new double[counts.length];
        for (int c = 0; c < counts.length; c++) perClass[c] = counts[c] == 0 ? Double.NaN : (double) confusion[c][c] / counts[c];
        return new Evaluation(pred.length == 0 ? Double.NaN : (double) ok / pred.length, perClass, confusion, counts);
    }
}
