package dev.expanse.engine.nn;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.io.Checkpoint;
import dev.expanse.engine.io.CheckpointException;
import dev.expanse.engine.io.ModelInfo;
import dev.expanse.engine.train.Model;
import dev.expanse.kernels.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chain of layers with a known input shape (without the batch dimension), that can be widened
 * in place by {@link #grow}.
 */
public final class Sequential implements Model, AutoCloseable {
    private final Backend backend;
    private final int[] inputShape;
    private final List<Layer> layers = new ArrayList<>();
    private final List<Growth> history = new ArrayList<>();

    /** A model on {@code backend} taking {@code [N, ...inputShape]} batches; layer names must be unique. */
    public Sequential(Backend backend, int[] inputShape, Layer... layers) {
        this.backend = backend;
        this.inputShape = inputShape.clone();
        for (Layer l : layers) add(l);
    }

    /** Appends a layer (for example new layers on top of a frozen net); checks that shapes fit. */
    public Sequential add(Layer layer) {
        for (Layer l : layers) {
            if (l.name().equals(layer.name())) throw new IllegalArgumentException("duplicate layer name '" + layer.name() + "'");
        }
        layers.add(layer);
        try {
            outputShape();
        } catch (IllegalArgumentException e) {
            layers.remove(layers.size() - 1);
            throw e;
        }
        return this;
    }

    @Override
    public Backend backend() { return backend; }

    public List<Layer> layers() { return Collections.unmodifiableList(layers); }

    /** The layer called {@code name}; IllegalArgumentException listing the known names if none. */
    public Layer layer(String name) {
        for (Layer l : layers) if (l.name().equals(name)) return l;
        throw new IllegalArgumentException("unknown layer '" + name + "'; layers are " + names());
    }

    @Override
    public int[] inputShape() { return inputShape.clone(); }

    /** Output shape per example. */
    public int[] outputShape() {
        int[] s = inputShape;
        for (Layer l : layers) s = l.outputShape(s);
        return s;
    }

    /** Input shape of layer {@code index}. */
    public int[] shapeBefore(int index) {
        int[] s = inputShape;
        for (int i = 0; i < index; i++) s = layers.get(i).outputShape(s);
        return s;
    }

    /** Runs the batch {@code x} ({@code [N, ...inputShape]}) through every layer. */
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        for (Layer l : layers) x = l.forward(tape, x);
        return x;
    }

    /** Every parameter, in layer order. */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : layers) ps.addAll(l.parameters());
        return ps;
    }

    /** Zeroes every gradient. */
    public void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    // ---------------------------------------------------------------- growth

    /**
     * Widens layers in place. {@code plan} maps layer names to the number of outputs (neurons or
     * filters) to add. Each growth travels up through the layers above, each of which says what
     * it does with it ({@link Layer#inputGrowth}): an activation or a pooling passes it on, a
     * flatten of [C, H, W] multiplies it by H*W, and the next dense or conv layer absorbs it as
     * new inputs. Layers grow from the bottom up, so new neurons of a layer see the new neurons
     * below. Every parameter records its old size first ({@link Parameter#markOld()}), so
     * {@link #freezeOld()} can then freeze exactly what existed before.
     *
     * <p>All or nothing. The plan is checked whole before anything changes: a negative size, an
     * unknown or non-growable layer, a growth that a layer above refuses, a null initialiser or
     * generator, or sizes past what one buffer can hold ({@link Parameter#MAX_CELLS}, int
     * overflow included) throw IllegalArgumentException naming the layer or parameter, and leave
     * the model untouched. If the growth still fails part-way (an allocation runs out of memory,
     * an initialiser throws), every parameter is restored to its size, contents and old marks
     * before the call ({@link Parameter#restore}) and the failure is rethrown: the model runs as
     * before (its capacity may have grown, which no result depends on). The generator is consumed
     * in either case.
     *
     * @param newNeurons init of the new rows (all inputs, old and new) of grown layers
     * @param newToOld   init of the new columns of existing rows; zeros keep old outputs unchanged
     */
    public void grow(Map<String, Integer> plan, Init newNeurons, Init newToOld, Rng rng) {
        grow(plan, newNeurons, newToOld, rng, null);
    }

    /** {@link #grow(Map, Init, Init, Rng)} drawing from {@code new Rng(seed)}, with the seed kept in the history. */
    public void grow(Map<String, Integer> plan, Init newNeurons, Init newToOld, long seed) {
        grow(plan, newNeurons, newToOld, new Rng(seed), seed);
    }

    private void grow(Map<String, Integer> plan, Init newNeurons, Init newToOld, Rng rng, Long seed) {
        String missing = newNeurons == null ? "the initialiser of new neurons" : newToOld == null
                ? "the initialiser of new-to-old connections" : rng == null ? "the random generator" : null;
        if (missing != null) throw new IllegalArgumentException("grow " + plan + ": " + missing + " is null");
        // The bookkeeping is plain loops and arrays: a growth comes right after training or
        // building, on cold caches, where a stream and a few maps took longer than the upload of
        // 64 new rows of 1024 weights (bench GrowthPhases).
        Absorber[] absorbers = checkPlan(plan);
        List<Parameter> params = parameters();
        List<Parameter.Extent> before = new ArrayList<>(params.size());
        for (Parameter p : params) before.add(p.extent());
        try {
            for (Parameter p : params) p.markOld();
            for (int i = 0; i < layers.size(); i++) {
                Integer k = plan.get(layers.get(i).name());
                if (k == null || k == 0) continue;
                ((Growable) layers.get(i)).growOutputs(k, newNeurons, rng);
                Absorber a = absorbers[i];
                if (a != null) a.layer.growInputs(k * a.factor, newToOld, rng);
            }
        } catch (RuntimeException | Error e) { // OutOfMemoryError included: restoring allocates nothing
            for (int i = 0; i < params.size(); i++) params.get(i).restore(before.get(i));
            throw e;
        }
        Map<String, Integer> inOrder = new LinkedHashMap<>();
        for (Layer l : layers) if (plan.containsKey(l.name())) inOrder.put(l.name(), plan.get(l.name()));
        history.add(new Growth(inOrder, newNeurons.id(), newToOld.id(), seed, "nothing"));
    }

    /** Every expansion so far, oldest first. */
    public List<Growth> history() {
        return Collections.unmodifiableList(history);
    }

    /** Appends an expansion to the history without growing (a checkpoint restores the history so). */
    public void addHistory(Growth g) {
        history.add(g);
    }

    /**
     * Freezes, in every parameter, the rows that existed when the last {@link #grow} started,
     * over all their columns (old inputs and new): frozen EXPANSE. With zero new-to-old weights
     * the old outputs then stay bit-identical for any amount of training.
     */
    public void freezeOld() {
        for (Parameter p : parameters()) p.freezeOld();
        if (!history.isEmpty()) history.set(history.size() - 1, history.get(history.size() - 1).withFrozen("old rows"));
    }

    /** Saves this model (architecture, weights, frozen blocks, history) to {@code file}; see {@link Checkpoint}. */
    public void save(Path file) throws IOException {
        Checkpoint.save(file, this, ModelInfo.empty(), null);
    }

    /**
     * The single-head model saved in {@code file}, on {@code be}.
     *
     * @throws CheckpointException if the file is not a valid checkpoint, or holds extra heads
     *         (read those with {@link Checkpoint#load})
     */
    public static Sequential load(Path file, Backend be) throws IOException {
        Checkpoint.Contents c = Checkpoint.load(file, be);
        if (!c.heads().isEmpty()) {
            c.close();
            throw new CheckpointException(file, "holds a model with " + c.heads().size() + " extra heads: load it with Checkpoint.load");
        }
        return c.trunk();
    }

    /** Frees every layer's buffers; the model is unusable afterwards. */
    @Override
    public void close() {
        for (Layer l : layers) l.close();
    }

    private record Absorber(int index, Growable layer, int factor) {
    }

    private Absorber[] checkPlan(Map<String, Integer> plan) {
        Absorber[] absorbers = new Absorber[layers.size()]; // by the index of the growing layer
        for (Map.Entry<String, Integer> e : plan.entrySet()) {
            String name = e.getKey();
            int index = indexOf(name);
            if (index < 0) {
                throw new IllegalArgumentException("plan names unknown layer '" + name + "'; layers are " + names());
            }
            if (!(layers.get(index) instanceof Growable)) {
                throw new IllegalArgumentException("layer '" + name + "' (" + layers.get(index) + ") cannot grow");
            }
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("layer '" + name + "': growth must be >= 0, got " + e.getValue());
            }
            absorbers[index] = absorberOf(index);
        }
        checkSizes(plan, absorbers);
        return absorbers;
    }

    /** Every growable layer's new outputs and inputs fit its buffers; sums and products in long. */
    private void checkSizes(Map<String, Integer> plan, Absorber[] absorbers) {
        long[] outputs = new long[layers.size()], inputs = new long[layers.size()]; // new ones, by layer index
        for (Map.Entry<String, Integer> e : plan.entrySet()) {
            int index = indexOf(e.getKey());
            outputs[index] += e.getValue();
            Absorber a = absorbers[index];
            if (a != null) inputs[a.index] += (long) e.getValue() * a.factor;
        }
        for (int i = 0; i < layers.size(); i++) {
            if (outputs[i] == 0 && inputs[i] == 0) continue;
            Growable layer = (Growable) layers.get(i);
            try {
                layer.checkGrowth(outputs[i], inputs[i]);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("grow " + plan + ": layer '" + layer.name() + "' cannot take "
                        + outputs[i] + " more outputs and " + inputs[i] + " more inputs: " + ex.getMessage(), ex);
            }
        }
    }

    /** The layer above {@code index} that absorbs its growth, and how many inputs one new output makes there. */
    private Absorber absorberOf(int index) {
        int factor = 1;
        for (int j = index + 1; j < layers.size(); j++) {
            Layer l = layers.get(j);
            InputGrowth g = l.inputGrowth(shapeBefore(j));
            if (g.absorbs() && l instanceof Growable absorber) return new Absorber(j, absorber, factor);
            if (!g.passes()) {
                throw new IllegalArgumentException("growth of layer '" + layers.get(index).name()
                        + "' cannot pass layer '" + l.name() + "' (" + l + ")");
            }
            factor *= g.factor();
        }
        return null; // the output layer: the model's outputs grow
    }

    private int indexOf(String name) {
        for (int i = 0; i < layers.size(); i++) if (layers.get(i).name().equals(name)) return i;
        return -1;
    }

    private List<String> names() {
        List<String> n = new ArrayList<>();
        for (Layer l : layers) n.add(l.name());
        return n;
    }

    // ---------------------------------------------------------------- summary

    /**
     * A table per layer: output shape, weight shape and capacity, and parameter counts (total,
     * frozen, trainable).
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String row = "%-10s %-11s %-14s %-12s %-12s %10s %10s %10s %10s %10s%n";
        sb.append(String.format(row, "layer", "kind", "output", "weights", "capacity",
                "params", "old", "new", "frozen", "trainable"));
        int[] s = inputShape;
        long total = 0, old = 0, frozen = 0;
        for (Layer l : layers) {
            s = l.outputShape(s);
            long p = 0, o = 0, f = 0;
            String shape = "-", cap = "-";
            for (Parameter par : l.parameters()) {
                p += par.size();
                o += par.oldCount();
                f += par.frozenCount();
            }
            if (l instanceof Growable g) {
                Parameter w = g.parameters().get(0);
                shape = w.rows() + "x" + w.cols();
                cap = w.capacityRows() + "x" + w.capacityCols();
            }
            total += p;
            old += o;
            frozen += f;
            String kind = l instanceof ActivationLayer a ? a.function().id() : l.getClass().getSimpleName();
            sb.append(String.format(row, l.name(), kind, Arrays.toString(s), shape, cap,
                    p, o, p - o, f, p - f));
        }
        sb.append(String.format(row, "total", "", "", "", "", total, old, total - old, frozen, total - frozen));
        return sb.toString();
    }
}
