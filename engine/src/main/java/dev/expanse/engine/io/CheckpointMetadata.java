package dev.expanse.engine.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.nn.Growth;
import dev.expanse.engine.nn.Layer;
import dev.expanse.engine.nn.LayerSpec;
import dev.expanse.engine.nn.Layers;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.FrozenBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code expanse} metadata document of a {@link Checkpoint}, and the model it describes:
 * <pre>{@code
 * {"input": [1, 28, 28],
 *  "trunk": [{"kind": "dense", "name": "dense1", "in": 784, "out": 300}, ...],
 *  "heads": [[...], ...],
 *  "parameters": {"dense1.weight": {"frozen": "300xall", "old": [300, 784]}, ...},
 *  "classes": [{"head": 0, "output": 0, "dataset": "mnist", "label": 0, "experience": "mnist 0-4"}, ...],
 *  "history": [{"plan": {"dense1": 200}, "new_neurons": "he-normal", "new_to_old": "zeros",
 *               "seed": 1, "frozen": "old rows"}, ...],
 *  "provenance": {"tool": "expanse 0.1.0", ...},
 *  "optimizer": {"kind": "adam", "step": 938, "settings": {"learning_rate": 0.001, ...}}}
 * }</pre>
 */
final class CheckpointMetadata {
    private CheckpointMetadata() {
    }

    static String write(Sequential trunk, List<List<Layer>> heads, ModelInfo info, Optimizer.State state) {
        JsonObject doc = new JsonObject();
        doc.add("input", ints(trunk.inputShape()));
        doc.add("trunk", specs(trunk.layers()));
        JsonArray hs = new JsonArray();
        for (List<Layer> h : heads) hs.add(specs(h));
        doc.add("heads", hs);
        JsonObject params = new JsonObject();
        List<Layer> all = new ArrayList<>(trunk.layers());
        heads.forEach(all::addAll);
        for (Layer l : all) {
            for (Parameter p : l.parameters()) {
                JsonObject o = new JsonObject();
                o.addProperty("frozen", p.frozen().toString());
                o.add("old", ints(new int[] {p.oldRows(), p.oldCols()}));
                params.add(p.name(), o);
            }
        }
        doc.add("parameters", params);
        Gson gson = new Gson();
        doc.add("classes", gson.toJsonTree(info.classes()));
        JsonArray history = new JsonArray();
        for (Growth g : trunk.history()) {
            JsonObject o = new JsonObject();
            o.add("plan", gson.toJsonTree(g.plan()));
            o.addProperty("new_neurons", g.newNeurons());
            o.addProperty("new_to_old", g.newToOld());
            if (g.seed() != null) o.addProperty("seed", g.seed());
            o.addProperty("frozen", g.frozen());
            history.add(o);
        }
        doc.add("history", history);
        doc.add("provenance", gson.toJsonTree(info.provenance()));
        if (state != null) {
            JsonObject o = new JsonObject();
            o.addProperty("kind", state.kind());
            o.addProperty("step", state.step());
            o.add("settings", gson.toJsonTree(state.settings()));
            doc.add("optimizer", o);
        }
        return doc.toString();
    }

    private static JsonArray specs(List<Layer> layers) {
        JsonArray a = new JsonArray();
        for (Layer l : layers) {
            LayerSpec s = l.spec();
            JsonObject o = new JsonObject();
            o.addProperty("kind", s.kind());
            o.addProperty("name", s.name());
            s.config().forEach((k, v) -> o.add(k, v instanceof Integer i ? new JsonPrimitive(i) : new JsonPrimitive((String) v)));
            a.add(o);
        }
        return a;
    }

    private static JsonArray ints(int[] v) {
        JsonArray a = new JsonArray();
        for (int x : v) a.add(x);
        return a;
    }

    // ---------------------------------------------------------------- reading

    /** Builds the model of {@code json} and fills it from {@code tensors}; every fault names {@code file}. */
    static Checkpoint.Contents read(Path file, String json, Map<String, Safetensors.Entry> tensors, Backend be)
            throws CheckpointException {
        JsonObject doc;
        try {
            doc = new Gson().fromJson(json, JsonObject.class);
            if (doc == null) throw new JsonParseException("empty");
        } catch (JsonParseException e) {
            throw new CheckpointException(file, "the 'expanse' metadata is not a JSON object");
        }
        List<Layer> built = new ArrayList<>();
        try {
            Sequential trunk = new Sequential(be, intArray(doc.getAsJsonArray("input")), layers(be, doc.getAsJsonArray("trunk"), built));
            List<List<Layer>> heads = new ArrayList<>();
            JsonArray hs = doc.has("heads") ? doc.getAsJsonArray("heads") : new JsonArray();
            for (JsonElement h : hs) heads.add(List.of(head(be, trunk, h.getAsJsonArray(), built)));
            checkTensors(file, built, tensors, doc.get("optimizer") != null);
            fill(built, tensors, doc.getAsJsonObject("parameters"));
            for (JsonElement g : doc.getAsJsonArray("history")) trunk.addHistory(growth(g.getAsJsonObject()));
            ModelInfo info = new ModelInfo(classes(doc.getAsJsonArray("classes")), strings(doc.getAsJsonObject("provenance")));
            Optimizer.State state = doc.has("optimizer") ? optimizer(doc.getAsJsonObject("optimizer"), built, tensors) : null;
            return new Checkpoint.Contents(trunk, heads, info, state);
        } catch (CheckpointException e) {
            built.forEach(Layer::close);
            throw e;
        } catch (RuntimeException e) {
            // A missing key (NullPointerException), a wrong type (ClassCastException,
            // IllegalStateException, UnsupportedOperationException, NumberFormatException) or an
            // invalid layer (IllegalArgumentException): all the same fault, a document that does
            // not match the format.
            built.forEach(Layer::close);
            String why = e instanceof IllegalArgumentException && !(e instanceof NumberFormatException) && e.getMessage() != null ? e.getMessage()
                    : e instanceof NullPointerException ? "a required value is missing" : "a value has the wrong type or range";
            throw new CheckpointException(file, "the 'expanse' metadata does not describe a model: " + Safetensors.excerpt(why));
        }
    }

    private static Layer[] layers(Backend be, JsonArray specs, List<Layer> built) {
        Layer[] out = new Layer[specs.size()];
        for (int i = 0; i < out.length; i++) {
            JsonObject o = specs.get(i).getAsJsonObject();
            Map<String, Object> config = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                if (e.getKey().equals("kind") || e.getKey().equals("name")) continue;
                JsonPrimitive v = e.getValue().getAsJsonPrimitive();
                config.put(e.getKey(), v.isNumber() ? (Object) v.getAsBigDecimal().intValueExact() : v.getAsString());
            }
            out[i] = Layers.build(be, new LayerSpec(o.get("kind").getAsString(), o.get("name").getAsString(), config));
            built.add(out[i]);
        }
        return out;
    }

    /** A head's layers, checked to fit the trunk's output. */
    private static Layer[] head(Backend be, Sequential trunk, JsonArray specs, List<Layer> built) {
        Layer[] h = layers(be, specs, built);
        int[] s = trunk.outputShape();
        for (Layer l : h) s = l.outputShape(s);
        return h;
    }

    /** Every parameter has its tensor with its shape; nothing else is in the file but optimizer state. */
    private static void checkTensors(Path file, List<Layer> layers, Map<String, Safetensors.Entry> tensors, boolean optimizer)
            throws CheckpointException {
        Set<String> expected = new HashSet<>();
        for (Layer l : layers) {
            for (Parameter p : l.parameters()) {
                expected.add(p.name());
                Safetensors.Entry e = tensors.get(p.name());
                if (e == null) throw new CheckpointException(file, "no tensor for parameter " + Safetensors.quote(p.name()));
                if (!Arrays.equals(e.shape(), l.tensorShape(p))) {
                    throw new CheckpointException(file, "tensor " + Safetensors.quote(p.name()) + " has shape " + Arrays.toString(e.shape())
                            + ", its layer '" + l.name() + "' needs " + Arrays.toString(l.tensorShape(p)));
                }
            }
        }
        for (Map.Entry<String, Safetensors.Entry> t : tensors.entrySet()) {
            String name = t.getKey();
            if (expected.contains(name)) continue;
            int slash = name.lastIndexOf('/');
            boolean state = optimizer && name.startsWith(Checkpoint.OPTIMIZER_PREFIX) && slash > Checkpoint.OPTIMIZER_PREFIX.length();
            String param = state ? name.substring(Checkpoint.OPTIMIZER_PREFIX.length(), slash) : null;
            if (param == null || !expected.contains(param) || !Arrays.equals(t.getValue().shape(), tensors.get(param).shape())) {
                throw new CheckpointException(file, "tensor " + Safetensors.quote(name) + " belongs to no parameter of the model");
            }
        }
    }

    private static void fill(List<Layer> layers, Map<String, Safetensors.Entry> tensors, JsonObject params) {
        for (Layer l : layers) {
            for (Parameter p : l.parameters()) {
                JsonObject o = params.getAsJsonObject(p.name());
                if (o == null) throw new IllegalArgumentException("no entry for parameter '" + p.name() + "' in 'parameters'");
                FrozenBlock frozen = frozenBlock(o.get("frozen").getAsString());
                int[] old = intArray(o.getAsJsonArray("old"));
                if (old.length != 2) throw new IllegalArgumentException("parameter '" + p.name() + "': 'old' needs [rows, cols]");
                p.set(tensors.get(p.name()).values());
                p.freeze(frozen);
                p.markOld(old[0], old[1]);
            }
        }
    }

    /** "RxC" or "Rxall", as {@link FrozenBlock#toString()} writes it. */
    static FrozenBlock frozenBlock(String s) {
        String[] rc = s.split("x", -1);
        try {
            if (rc.length != 2) throw new NumberFormatException();
            int cols = rc[1].equals("all") ? FrozenBlock.ALL : Integer.parseInt(rc[1]);
            return new FrozenBlock(Integer.parseInt(rc[0]), cols);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("frozen block '" + Safetensors.excerpt(s) + "' is not ROWSxCOLS");
        }
    }

    private static Growth growth(JsonObject o) {
        Map<String, Integer> plan = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("plan").entrySet()) plan.put(e.getKey(), e.getValue().getAsInt());
        Long seed = o.has("seed") ? o.get("seed").getAsLong() : null;
        return new Growth(plan, o.get("new_neurons").getAsString(), o.get("new_to_old").getAsString(), seed,
                o.get("frozen").getAsString());
    }

    private static List<ModelInfo.OutputClass> classes(JsonArray a) {
        List<ModelInfo.OutputClass> out = new ArrayList<>();
        for (JsonElement e : a) {
            JsonObject o = e.getAsJsonObject();
            out.add(new ModelInfo.OutputClass(o.get("head").getAsInt(), o.get("output").getAsInt(), o.get("dataset").getAsString(),
                    o.get("label").getAsInt(), o.get("experience").getAsString()));
        }
        return out;
    }

    private static Optimizer.State optimizer(JsonObject o, List<Layer> layers, Map<String, Safetensors.Entry> tensors) {
        Map<String, Double> settings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("settings").entrySet()) settings.put(e.getKey(), e.getValue().getAsDouble());
        Map<String, List<float[]>> slots = new LinkedHashMap<>();
        for (Layer l : layers) {
            for (Parameter p : l.parameters()) {
                List<float[]> v = new ArrayList<>();
                for (int i = 0; tensors.containsKey(Checkpoint.OPTIMIZER_PREFIX + p.name() + "/" + i); i++) {
                    v.add(tensors.get(Checkpoint.OPTIMIZER_PREFIX + p.name() + "/" + i).values());
                }
                if (!v.isEmpty()) slots.put(p.name(), v);
            }
        }
        return new Optimizer.State(o.get("kind").getAsString(), settings, o.get("step").getAsLong(), slots);
    }

    private static Map<String, String> strings(JsonObject o) {
        Map<String, String> m = new LinkedHashMap<>();
        if (o != null) for (Map.Entry<String, JsonElement> e : o.entrySet()) m.put(e.getKey(), e.getValue().getAsString());
        return m;
    }

    private static int[] intArray(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsInt();
        return v;
    }
}
