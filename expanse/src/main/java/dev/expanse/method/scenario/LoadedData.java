package dev.expanse.method.scenario;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** The datasets a runner has read, each read once however many cells, streams or seeds use it. */
public final class LoadedData {
    private final Map<String, Dataset> loaded = new HashMap<>();

    /** {@link DataSource#load}, from memory after the first time. */
    public Dataset get(DataSource ds, Datasets.Part part, boolean fixture) throws IOException {
        String key = ds.id() + "/" + part + "/" + fixture;
        Dataset d = loaded.get(key);
        if (d == null) {
            d = ds.load(part, fixture);
            loaded.put(key, d);
        }
        return d;
    }
}
