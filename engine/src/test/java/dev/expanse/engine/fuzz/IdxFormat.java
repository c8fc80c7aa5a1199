package dev.expanse.engine.fuzz;

import dev.expanse.engine.data.Idx;
import dev.expanse.engine.data.IdxFormatException;
import dev.expanse.engine.data.IdxWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The IDX reader under fuzzing: images and labels files, raw or gzip; faults are {@link IdxFormatException}s. */
public final class IdxFormat implements FileFormat {
    private static final int[][] SHAPES = {{3, 4, 5}, {1, 1, 1}, {10, 28, 28}, {7}, {1}, {300}};

    private final List<Seed> seeds = new ArrayList<>();

    public IdxFormat() {
        SplittableRandom rng = new SplittableRandom(2024);
        for (int[] shape : SHAPES) {
            int n = 1;
            for (int d : shape) n *= d;
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) data[i] = (byte) rng.nextInt(shape.length == 1 ? 10 : 256);
            List<SizeField> sizes = new ArrayList<>();
            for (int d = 0; d < shape.length; d++) sizes.add(new SizeField(4 + 4 * d, 4, true));
            seeds.add(new Seed(shape.length == 3 ? "images" : "labels", IdxWriter.encode(shape, data), sizes));
        }
    }

    @Override public String name() { return "IDX reader"; }

    @Override public List<Seed> seeds() { return seeds; }

    @Override
    public void read(Path file, Seed seed) throws IOException {
        if (seed.kind().equals("images")) Idx.readImages(file);
        else Idx.readLabels(file);
    }

    @Override public Class<? extends IOException> fault() { return IdxFormatException.class; }

    @Override public boolean gzip() { return true; }
}
