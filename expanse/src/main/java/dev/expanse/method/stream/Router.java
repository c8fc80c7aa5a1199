package dev.expanse.method.stream;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.nn.ActivationLayer;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Model;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.FrozenBlock;
import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.scenario.Training;
import dev.expanse.method.strategy.MultiHeadNet;
import java.util.ArrayList;
import java.util.List;

/**
 * Task inference for class-incremental streams: a small head on the trunk's features that tells
 * which experience an image belongs to, trained on the rehearsed and the new images with
 * everything else frozen. A prediction is then the class with the largest
 * {@code z_c + w * log p_router(e(c) | x)}: the router's belief about the experience added to the
 * logits, with the weight w chosen on the validation images (0, the plain argmax, among them).
 * The own logits are not touched, so a strategy that keeps them bit-identical still does.
 */
final class Router {
    /** Hidden units of the router. */
    static final int HIDDEN = 100;
    /** Epochs of router training after each experience. */
    static final int EPOCHS = 3;

    private Router() {
    }

    /**
     * Trains a fresh router over the experiences {@code 0..i} on {@code data} (labels as the stream
     * numbers its outputs) and puts it in {@code head}, or appends it when {@code head < 0}.
     *
     * @return the router's head index
     */
    static int train(MultiHeadNet net, int head, StreamSpec stream, int i, Dataset data, Hyper h, Rng rng,
                     Progress progress, String label) {
        Dense hidden = new Dense("router1", net.backend(), net.trunkFeatures(), HIDDEN, Init.HE_NORMAL, rng);
        Dense out = new Dense("router", net.backend(), HIDDEN, i + 1, Init.XAVIER_NORMAL, rng);
        ActivationLayer relu = new ActivationLayer("router-relu1", Activation.RELU);
        if (head < 0) head = net.addHead(hidden, relu, out);
        else net.replaceHead(head, hidden, relu, out);
        Model view = net.view(head);
        List<Parameter> own = new ArrayList<>(hidden.parameters());
        own.addAll(out.parameters());
        // Everything but the router frozen while it trains, so no other weight moves and no other
        // weight gradient is computed; the blocks are put back afterwards.
        List<Parameter> others = new ArrayList<>(net.trunk().parameters());
        List<FrozenBlock> blocks = new ArrayList<>();
        for (Parameter p : others) {
            blocks.add(p.frozen());
            p.freezeAll();
        }
        try {
            Dataset byExperience = data.relabel(experienceOf(stream, data.numClasses()), i + 1);
            Adam adam = new Adam(() -> own, h.learningRate());
            Rng shuffle = rng.fork("router/shuffle");
            for (int e = 1; e <= EPOCHS; e++) {
                adam.setLearningRate(h.learningRate(e, EPOCHS));
                Trainer.EpochStats st = Training.epoch(List.of(new Training.Stream(view, byExperience)), adam, h.targetBatch(),
                        shuffle, progress, label + " router epoch " + e + "/" + EPOCHS);
                progress.line(String.format(java.util.Locale.ROOT, "%s router epoch %d/%d  loss %.4f  experience accuracy %.2f%%",
                        label, e, EPOCHS, st.loss(), 100 * st.accuracy()));
            }
        } finally {
            for (int k = 0; k < others.size(); k++) others.get(k).freeze(blocks.get(k));
        }
        return head;
    }

    /** The experience of every output of the stream. */
    static int[] experienceOf(StreamSpec stream, int outputs) {
        int[] map = new int[outputs];
        for (int e = 0; e < stream.size(); e++) {
            for (int k = 0; k < stream.get(e).size(); k++) map[stream.offset(e) + k] = e;
        }
        return map;
    }

    /** The router weights tried on the validation images; 0 is the plain argmax. */
    static final double[] WEIGHTS = {0, 0.25, 0.5, 1, 2, 4, 8};

    /**
     * The weight of {@link #WEIGHTS} with the best accuracy on {@code val} after experience
     * {@code i}; ties go to the smaller weight.
     */
    static double fitWeight(MultiHeadNet net, int router, StreamSpec stream, int i, Dataset val) {
        Scores s = scores(net, router, i, val);
        double best = 0;
        long bestOk = -1;
        for (double w : WEIGHTS) {
            int[] p = s.predict(stream, w);
            long ok = 0;
            for (int k = 0; k < p.length; k++) if (p[k] == val.label(k)) ok++;
            if (ok > bestOk) {
                bestOk = ok;
                best = w;
            }
        }
        return best;
    }

    /**
     * The predicted output of every image of {@code data} after experience {@code i}: the class
     * with the largest {@code z_c + weight * log p_router(e(c) | x)}, from head 0's logits z and the
     * router's.
     */
    static int[] predict(MultiHeadNet net, int router, StreamSpec stream, int i, Dataset data, double weight) {
        return scores(net, router, i, data).predict(stream, weight);
    }

    private static Scores scores(MultiHeadNet net, int router, int i, Dataset data) {
        return new Scores(Trainer.logits(net.view(0), data, 500), Trainer.logits(net.view(router), data, 500), data.size(), i + 1);
    }

    /** Head 0's logits and the router's of {@code n} images. */
    record Scores(float[] z, float[] r, int n, int exps) {
        int[] predict(StreamSpec stream, double weight) {
            int cols = n == 0 ? 0 : z.length / n;
            int[] out = new int[n];
            for (int x = 0; x < n; x++) {
                double[] logRouter = logSoftmax(r, x * exps, exps);
                double best = Double.NEGATIVE_INFINITY;
                for (int e = 0; e < exps; e++) {
                    int off = stream.offset(e), k = stream.get(e).size();
                    for (int c = 0; c < k; c++) {
                        double s = z[x * cols + off + c] + weight * logRouter[e];
                        if (s > best) {
                            best = s;
                            out[x] = off + c;
                        }
                    }
                }
            }
            return out;
        }
    }

    private static double[] logSoftmax(float[] v, int off, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) max = Math.max(max, v[off + c]);
        double s = 0;
        for (int c = 0; c < k; c++) s += Math.exp(v[off + c] - max);
        double log = max + Math.log(s);
        double[] out = new double[k];
        for (int c = 0; c < k; c++) out[c] = v[off + c] - log;
        return out;
    }
}
