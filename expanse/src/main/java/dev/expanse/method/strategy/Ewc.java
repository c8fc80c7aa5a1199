package dev.expanse.method.strategy;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.data.Batch;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.ops.SoftmaxCrossEntropy;
import dev.expanse.engine.train.Model;
import dev.expanse.engine.train.Objective;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elastic Weight Consolidation (Kirkpatrick et al. 2017) as Avalanche's {@code EWC} defines it in
 * its "separate" mode: fine-tuning without rehearsal, whose loss adds
 * {@code lambda * sum_e sum_p F_e,p * (p - p*_e)^2}, one term per earlier experience e, where
 * {@code p*_e} are the weights after e and {@code F_e} the mean over e's mini-batches of the
 * squared gradient of the cross-entropy (the empirical Fisher diagonal). A parameter that grew
 * since is pulled only over the cells it had then. Lambda is {@link #LAMBDA}.
 */
public final class Ewc implements Strategy {
    /** The penalty's weight. */
    public static final float LAMBDA = 1e4f;
    private final FineTune fineTune = new FineTune();

    @Override public String id() { return "ewc"; }

    @Override public String description() { return "fine-tune without rehearsal, pulled towards earlier weights by their Fisher importance (EWC)"; }

    @Override public boolean rehearses() { return false; }

    @Override
    public Adapted adapt(Transfer t, Rng rng) {
        return fineTune.adapt(t, rng);
    }

    @Override
    public Regularizer regularizer() {
        return new Consolidation(LAMBDA);
    }

    /** One parameter's anchor after one experience: its values and importances over the cells it had. */
    record Anchor(Parameter p, int rows, int cols, float[] values, float[] importance) {
    }

    /** The importances of every experience so far, and the penalty they make. */
    static final class Consolidation implements Regularizer {
        private final float lambda;
        private final List<Anchor> anchors = new ArrayList<>();

        Consolidation(float lambda) {
            this.lambda = lambda;
        }

        List<Anchor> anchors() {
            return anchors;
        }

        @Override
        public Objective objective(Model view, Dataset data, int oldOutputs, int experience) {
            return new Objective() {
                @Override
                public Tensor loss(Tape tape, Tensor logits, Tensor labels, Batch batch) {
                    return SoftmaxCrossEntropy.forward(tape, logits, labels);
                }

                @Override
                public float addPenalty() {
                    return penalty(true);
                }
            };
        }

        /** The penalty's value; with {@code addGradients}, also adds its gradient into the parameters'. */
        float penalty(boolean addGradients) {
            // One download and upload per parameter, however many experiences anchor it; the
            // terms are still added anchor by anchor, in the order the experiences came.
            Map<Parameter, float[]> values = new IdentityHashMap<>(), grads = new IdentityHashMap<>();
            Map<Parameter, Integer> rows = new IdentityHashMap<>(), cols = new IdentityHashMap<>();
            double sum = 0;
            for (Anchor a : anchors) {
                Parameter p = a.p();
                float[] w = values.computeIfAbsent(p, Parameter::toArray);
                float[] g = addGradients ? grads.computeIfAbsent(p, Parameter::gradToArray) : null;
                rows.merge(p, a.rows(), Math::max);
                cols.merge(p, a.cols(), Math::max);
                for (int r = 0; r < a.rows(); r++) {
                    for (int c = 0; c < a.cols(); c++) {
                        int i = r * a.cols() + c, j = r * p.cols() + c;
                        float d = w[j] - a.values()[i], f = a.importance()[i];
                        sum += (double) f * d * d;
                        if (g != null) g[j] += 2 * lambda * f * d;
                    }
                }
            }
            for (Map.Entry<Parameter, float[]> e : grads.entrySet()) {
                Parameter p = e.getKey();
                Backend be = p.backend();
                for (int r = 0; r < rows.get(p); r++) be.upload(e.getValue(), r * p.cols(), p.grad(), (long) r * p.ld(), cols.get(p));
            }
            return (float) (lambda * sum);
        }

        @Override
        public void consolidate(Model view, Dataset data, int batchSize) {
            List<Parameter> ps = view.parameters();
            List<float[]> sq = new ArrayList<>();
            for (Parameter p : ps) sq.add(new float[(int) p.size()]);
            int batches = 0;
            for (Batch b : data.batches(batchSize, null)) {
                for (Parameter p : ps) p.zeroGrad();
                try (Tape tape = new Tape(view.backend(), true)) {
                    Tensor x = tape.constant(b.x(), Trainer.batchShape(b.size(), view.inputShape()));
                    tape.backward(SoftmaxCrossEntropy.forward(tape, view.forward(tape, x), tape.constant(b.y(), b.size())));
                }
                for (int k = 0; k < ps.size(); k++) {
                    float[] g = ps.get(k).gradToArray(), s = sq.get(k);
                    for (int i = 0; i < g.length; i++) s[i] += g[i] * g[i];
                }
                batches++;
            }
            for (int k = 0; k < ps.size(); k++) {
                Parameter p = ps.get(k);
                p.zeroGrad();
                float[] s = sq.get(k);
                if (batches > 0) for (int i = 0; i < s.length; i++) s[i] /= batches;
                anchors.add(new Anchor(p, p.rows(), p.cols(), p.toArray(), s));
            }
        }
    }
}
