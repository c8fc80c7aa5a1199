package dev.expanse.engine.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a layer is, in words: its kind, its name and its geometry, enough to build it again
 * (weights aside). Checkpoints store one per layer, and {@link Layers#build} turns it back into a
 * layer.
 *
 * @param kind   "dense", "conv2d", "maxpool2d", "flatten" or "activation"
 * @param name   the layer's name in its model
 * @param config geometry, in a stable order: integer or string values (e.g. "in" 784, "out" 300;
 *               "function" "relu")
 */
public record LayerSpec(String kind, String name, Map<String, Object> config) {

    public LayerSpec {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** A spec from alternating keys and values: {@code of("dense", "d1", "in", 784, "out", 300)}. */
    public static LayerSpec of(String kind, String name, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("keys and values must pair up");
        Map<String, Object> c = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) c.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return new LayerSpec(kind, name, c);
    }

    /**
     * The integer {@code key}.
     *
     * @throws IllegalArgumentException naming the layer and the key if it is missing or not an integer
     */
    public int integer(String key) {
        if (config.get(key) instanceof Integer i) return i;
        throw new IllegalArgumentException(kind + " layer '" + name + "' needs an integer '" + key + "', got " + config.get(key));
    }

    /**
     * The string {@code key}.
     *
     * @throws IllegalArgumentException naming the layer and the key if it is missing or not a string
     */
    public String string(String key) {
        if (config.get(key) instanceof String s) return s;
        throw new IllegalArgumentException(kind + " layer '" + name + "' needs a string '" + key + "', got " + config.get(key));
    }
}
