package dev.expanse.method.strategy;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.io.Checkpoint;
import dev.expanse.engine.io.ModelInfo;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.nn.Growable;
import dev.expanse.engine.nn.Layer;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.train.Model;
import dev.expanse.kernels.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A shared trunk with one or more heads. A head is a short chain of layers whose first layer is a
 * Dense on the trunk's features and whose last is a Dense giving the logits. {@link #view(int)}
 * is the trunk plus one head as a {@link Model}, for training and evaluation.
 *
 * <p>The trunk grows in place with {@link #growTrunk}; the first Dense of every head then takes the
 * new trunk features as new input columns.
 */
public final class MultiHeadNet {
    private final Sequential trunk;
    private final List<List<Layer>> heads = new ArrayList<>();

    public MultiHeadNet(Sequential trunk) {
        this.trunk = trunk;
    }

    public Sequential trunk() { return trunk; }

    public Backend backend() { return trunk.backend(); }

    /** Features the trunk gives each example. */
    public int trunkFeatures() {
        int[] s = trunk.outputShape();
        int n = 1;
        for (int d : s) n *= d;
        return n;
    }

    /**
     * Appends a head; returns its index.
     *
     * @throws IllegalArgumentException if the first layer is not a Dense on {@link #trunkFeatures()}
     *         or the last is not a Dense
     */
    public int addHead(Layer... layers) {
        heads.add(checkHead(List.of(layers)));
        return heads.size() - 1;
    }

    /** Number of heads. */
    public int headCount() {
        return heads.size();
    }

    /** The name of the logits layer of the next head {@link #addHead} appends: "head", "head2", "head3", ... */
    public String nextHeadName() {
        return heads.isEmpty() ? "head" : "head" + (heads.size() + 1);
    }

    /** Replaces head {@code i} (its parameters are dropped). */
    public void replaceHead(int i, Layer... layers) {
        heads.set(i, checkHead(List.of(layers)));
    }

    /** The logits layer of head {@code i}. */
    public Dense headOutput(int i) {
        List<Layer> h = heads.get(i);
        return (Dense) h.get(h.size() - 1);
    }

    /** Trunk and head {@code i} as one model. */
    public Model view(int i) {
        List<Layer> head = heads.get(i);
        return new Model() {
            @Override public Backend backend() { return trunk.backend(); }

            @Override public int[] inputShape() { return trunk.inputShape(); }

            @Override
            public Tensor forward(Tape tape, Tensor x) {
                Tensor h = trunk.forward(tape, x); // [N, features]: the trunk ends flat
                for (Layer l : head) h = l.forward(tape, h);
                return h;
            }

            @Override
            public List<Parameter> parameters() {
                List<Parameter> ps = new ArrayList<>(trunk.parameters());
                for (Layer l : head) ps.addAll(l.parameters());
                return ps;
            }
        };
    }

    /** Every parameter: trunk, then heads in order. */
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(trunk.parameters());
        for (List<Layer> h : heads) for (Layer l : h) ps.addAll(l.parameters());
        return ps;
    }

    /** Every growable layer: trunk, then heads. */
    public List<Growable> growables() {
        List<Growable> gs = new ArrayList<>();
        for (Layer l : trunk.layers()) if (l instanceof Growable g) gs.add(g);
        for (List<Layer> h : heads) for (Layer l : h) if (l instanceof Growable g) gs.add(g);
        return gs;
    }

    /**
     * Widens the trunk by {@code plan} (see {@link Sequential#grow}); the first Dense of every head
     * receives the new trunk features as new columns drawn from {@code newToOld}.
     */
    public void growTrunk(Map<String, Integer> plan, Init newNeurons, Init newToOld, Rng rng) {
        int before = trunkFeatures();
        trunk.grow(plan, newNeurons, newToOld, rng);
        int added = trunkFeatures() - before;
        for (List<Layer> h : heads) {
            for (Parameter p : h.get(0).parameters()) p.markOld();
            ((Growable) h.get(0)).growInputs(added, newToOld, rng);
        }
    }

    /** Freezes every row that exists now, over all its columns; rows added later are trainable. */
    public void freezeAll() {
        for (Parameter p : parameters()) p.freezeAll();
    }

    /**
     * Freezes, in every parameter, the rows that existed when the last {@link #growTrunk} started,
     * over all their columns ({@link Parameter#freezeOld()}); parameters made since stay trainable.
     */
    public void freezeOld() {
        for (Parameter p : parameters()) p.freezeOld();
    }

    /** Logical cells of every parameter. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.size();
        return n;
    }

    /** Cells an optimizer may change: all minus the frozen blocks. */
    public long trainableCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.size() - p.frozenCount();
        return n;
    }

    /** Copies of every parameter's values, in {@link #parameters()} order. */
    public List<float[]> snapshot() {
        List<float[]> s = new ArrayList<>();
        for (Parameter p : parameters()) s.add(p.toArray());
        return s;
    }

    /**
     * Overwrites every parameter from a {@link #snapshot()} of a network of the same shape.
     *
     * @throws IllegalArgumentException naming the first parameter whose size differs
     */
    public void restore(List<float[]> values) {
        List<Parameter> ps = parameters();
        if (ps.size() != values.size()) {
            throw new IllegalArgumentException("snapshot has " + values.size() + " parameters, network has " + ps.size());
        }
        for (int i = 0; i < ps.size(); i++) ps.get(i).set(values.get(i));
    }

    /** Saves the trunk and every head (head 0 first) to {@code file}, with {@code info}; see {@link Checkpoint}. */
    public void save(Path file, ModelInfo info) throws IOException {
        Checkpoint.save(file, trunk, heads, info, null);
    }

    /**
     * The network saved in {@code file} by {@link #save}, on {@code be}.
     *
     * @throws IOException naming the file if it is not a valid checkpoint or its heads do not fit
     */
    public static MultiHeadNet load(Path file, Backend be) throws IOException {
        Checkpoint.Contents c = Checkpoint.load(file, be);
        MultiHeadNet net = new MultiHeadNet(c.trunk());
        try {
            for (List<Layer> h : c.heads()) net.addHead(h.toArray(new Layer[0]));
        } catch (IllegalArgumentException e) {
            c.close();
            throw new dev.expanse.engine.io.CheckpointException(file, e.getMessage());
        }
        return net;
    }

    /** Frees every parameter's buffers; the network is unusable afterwards. */
    public void release() {
        for (Parameter p : parameters()) p.close();
    }

    private List<Layer> checkHead(List<Layer> layers) {
        if (layers.isEmpty() || !(layers.get(0) instanceof Dense first) || !(layers.get(layers.size() - 1) instanceof Dense)) {
            throw new IllegalArgumentException("a head must start and end with a Dense layer, got " + layers);
        }
        if (first.inputs() != trunkFeatures()) {
            throw new IllegalArgumentException("head layer '" + first.name() + "' takes " + first.inputs()
                    + " inputs but the trunk gives " + trunkFeatures());
        }
        return new ArrayList<>(layers);
    }

    /** The trunk summary followed by one line per head. */
    public String summary() {
        StringBuilder sb = new StringBuilder(trunk.summary());
        for (int i = 0; i < heads.size(); i++) sb.append("head ").append(i).append(": ").append(heads.get(i)).append('\n');
        return sb.toString();
    }
}
