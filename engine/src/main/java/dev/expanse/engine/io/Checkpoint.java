package dev.expanse.engine.io;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.nn.Growth;
import dev.expanse.engine.nn.Layer;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.kernels.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model in one safetensors file that describes itself, so it can be used with no code that
 * knows how it was built.
 *
 * <p>Tensors follow PyTorch's conventions ({@link Layer#tensorShape}): a dense weight is
 * {@code [out, in]} and its bias {@code [out]}, a conv weight {@code [F, C, KH, KW]} and its bias
 * {@code [F]}, under the parameter's name ("dense1.weight"). The optional optimizer state is
 * stored as tensors "optimizer/&lt;parameter&gt;/&lt;slot&gt;". The {@code __metadata__} holds
 * {@code format} ({@value #FORMAT}), {@code format_version} ({@value #VERSION}) and under
 * {@code expanse} one JSON document ({@link CheckpointMetadata}): the input shape, every layer's
 * kind, name and geometry (the trunk, then any heads), per parameter its frozen block and old
 * size, the class map, the growth history, the provenance, and the optimizer's settings.
 *
 * <p>{@link #load} checks everything (the file's format, then every tensor's name, shape and
 * dtype against the layers the metadata describes) before it returns a model, and throws a
 * {@link CheckpointException} naming the file and the fault otherwise.
 */
public final class Checkpoint {
    /** The value of the {@code format} metadata key. */
    public static final String FORMAT = "expanse-checkpoint";
    /** The value of the {@code format_version} metadata key written here. */
    public static final String VERSION = "2";
    static final String OPTIMIZER_PREFIX = "optimizer/";

    private Checkpoint() {
    }

    /**
     * What a checkpoint holds. Closing it frees the model's buffers.
     *
     * @param trunk     the model (for a single-head model, all of it)
     * @param heads     further layer chains on the trunk's output (multi-head models), often none
     * @param info      class map and provenance
     * @param optimizer the optimizer's state, or null if none was saved
     */
    public record Contents(Sequential trunk, List<List<Layer>> heads, ModelInfo info, Optimizer.State optimizer)
            implements AutoCloseable {
        @Override
        public void close() {
            trunk.close();
            for (List<Layer> h : heads) for (Layer l : h) l.close();
        }
    }

    /** Saves a single-head model; see {@link #save(Path, Sequential, List, ModelInfo, Optimizer)}. */
    public static void save(Path file, Sequential model, ModelInfo info, Optimizer optimizer) throws IOException {
        save(file, model, List.of(), info, optimizer);
    }

    /**
     * Writes {@code trunk} and {@code heads} (every layer must describe itself, {@link Layer#spec()}),
     * {@code info} and, when {@code optimizer} is not null, its state, atomically: a crash never
     * leaves a half-written file.
     *
     * @throws UnsupportedOperationException naming a layer that cannot be saved
     */
    public static void save(Path file, Sequential trunk, List<List<Layer>> heads, ModelInfo info, Optimizer optimizer)
            throws IOException {
        List<Layer> all = new ArrayList<>(trunk.layers());
        for (List<Layer> h : heads) all.addAll(h);
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        for (Layer l : all) {
            for (Parameter p : l.parameters()) {
                if (tensors.put(p.name(), new Safetensors.Entry(l.tensorShape(p), p.toArray())) != null) {
                    throw new IllegalArgumentException("two parameters are called '" + p.name() + "'");
                }
            }
        }
        Optimizer.State state = optimizer == null ? null : optimizer.state();
        if (state != null) {
            state.slots().forEach((name, slots) -> {
                int[] shape = tensors.get(name).shape();
                for (int i = 0; i < slots.size(); i++) tensors.put(OPTIMIZER_PREFIX + name + "/" + i, new Safetensors.Entry(shape, slots.get(i)));
            });
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", VERSION);
        meta.put("expanse", CheckpointMetadata.write(trunk, heads, info, state));
        AtomicFile.write(file, out -> Safetensors.write(out, tensors, meta));
    }

    /**
     * Reads {@code file} and builds the model it describes on {@code be}, with its weights, frozen
     * blocks, old sizes and history.
     *
     * @throws CheckpointException naming the file and the fault if it is not a valid checkpoint
     *         (a file of the first format, without an architecture, gets a message saying so)
     * @throws IOException         when it cannot be read
     */
    public static Contents load(Path file, Backend be) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            boolean legacy = meta.keySet().stream().anyMatch(k -> k.endsWith(".frozen"));
            throw new CheckpointException(file, legacy
                    ? "written by Expanse before checkpoints described their model (no architecture in its metadata):"
                    + " train it again, or read its tensors with Safetensors.read"
                    : "not an Expanse checkpoint (no 'format: " + FORMAT + "' in its metadata)");
        }
        if (!VERSION.equals(meta.get("format_version"))) {
            throw new CheckpointException(file, "format version " + Safetensors.quote(meta.get("format_version"))
                    + "; this Expanse reads version " + VERSION);
        }
        String json = meta.get("expanse");
        if (json == null) throw new CheckpointException(file, "no 'expanse' metadata");
        return CheckpointMetadata.read(file, json, c.tensors(), be);
    }
}
