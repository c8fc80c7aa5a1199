package dev.expanse.method.scenario;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.data.IdxFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The image sets every command can use, each either in full from the data cache or as its small
 * committed fixture: this is the one place a dataset's name is read.
 */
public enum DataSource {
    MNIST("mnist"),
    FASHION("fashion-mnist");

    private final String id;

    DataSource(String id) {
        this.id = id;
    }

    /** The name used on the command line and in file names: "mnist" or "fashion-mnist". */
    public String id() { return id; }

    /** Both datasets hold one-channel 28 x 28 images: {@code [channels, height, width]}. */
    private static final int[] IMAGE = {1, 28, 28};

    /**
     * Loads the training or test part, from the fixtures when {@code fixture}, else from the data
     * cache, and checks its image shape, so that a file of another size fails here, naming it,
     * and not after an epoch of training.
     *
     * @throws IdxFormatException if the images are not 28 x 28 (or the files are malformed)
     */
    public Dataset load(Datasets.Part part, boolean fixture) throws IOException {
        Dataset d = fixture ? Datasets.fixture(id, part) : this == MNIST ? Datasets.mnist(part) : Datasets.fashionMnist(part);
        if (d.channels() != IMAGE[0] || d.height() != IMAGE[1] || d.width() != IMAGE[2]) {
            Path folder = (fixture ? Datasets.fixturesDir() : Datasets.cacheDir()).resolve(id);
            throw new IdxFormatException(folder.resolve(part.prefix() + "-images-idx3-ubyte"), "images of "
                    + d.height() + " x " + d.width() + " pixels, but " + id + " images are " + IMAGE[1] + " x " + IMAGE[2]);
        }
        return d;
    }

    /**
     * The files {@link #load} reads for {@code part}, images then labels.
     *
     * @throws dev.expanse.engine.data.MissingDataException naming the file, if one is missing
     */
    public List<Path> files(Datasets.Part part, boolean fixture) throws IOException {
        return Datasets.files(id, part, fixture);
    }

    /** The other dataset: the default target of a distant transfer from this one. */
    public DataSource other() {
        return this == MNIST ? FASHION : MNIST;
    }

    /**
     * Parses "mnist", "fashion-mnist" or "fashion".
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static DataSource parse(String s) {
        if (s.equals("fashion")) return FASHION;
        for (DataSource d : values()) if (d.id.equals(s)) return d;
        throw new IllegalArgumentException("unknown dataset '" + s + "'; datasets are "
                + Arrays.stream(values()).map(DataSource::id).toList());
    }
}
