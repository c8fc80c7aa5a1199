package dev.expanse.engine.fuzz;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.io.Checkpoint;
import dev.expanse.engine.io.CheckpointException;
import dev.expanse.engine.io.ModelInfo;
import dev.expanse.engine.io.Safetensors;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The checkpoint reader under fuzzing ({@link Checkpoint#load}: the safetensors layer and the
 * model metadata): small real checkpoints (an MLP grown and frozen, with Adam's state; a CNN),
 * and the same with their metadata document mangled (values of the wrong type or range, keys
 * missing, shapes swapped, a truncated document, another version) before the byte mutations.
 * Faults are {@link CheckpointException}s.
 */
public final class CheckpointFormat implements FileFormat {
    private static final Backend BE = CpuBackend.scalar();
    private final List<Seed> seeds = new ArrayList<>();

    public CheckpointFormat() {
        try {
            Path dir = Files.createTempDirectory("checkpoint-seeds");
            for (byte[] valid : List.of(mlp(dir), cnn(dir))) {
                seeds.add(seed(valid));
                for (UnaryOperator<String> m : MANGLINGS) seeds.add(seed(mangled(valid, m, dir)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Edits of the metadata document, each a way a header can be wrong while still parsing as JSON. */
    private static final List<UnaryOperator<String>> MANGLINGS = List.of(
            d -> d.replaceFirst("\"frozen\":\"[^\"]*\"", "\"frozen\":\"abc\""),
            d -> d.replaceFirst("\"frozen\":\"[^\"]*\"", "\"frozen\":\"5\""),
            d -> d.replaceFirst("\"frozen\":\"[^\"]*\"", "\"frozen\":\"-1x3\""),
            d -> d.replaceFirst("\"in\":(\\d+)", "\"in\":\"$1\""),
            d -> d.replaceFirst("\"in\":(\\d+)", "\"in\":-3"),
            d -> d.replaceFirst("\"in\":(\\d+)", "\"in\":2147483648"),
            d -> d.replaceFirst("\"out\":(\\d+)", "\"out\":1.5"),
            d -> d.replaceFirst("\"kind\":\"dense\",", ""),
            d -> d.replaceFirst("\"trunk\":\\[", "\"trunk\":{\"x\":[").replaceFirst("],\"heads\"", "]},\"heads\""),
            d -> d.replaceFirst("\"input\":\\[(\\d+)", "\"input\":[$1,0"),
            d -> d.replaceFirst("\"old\":\\[(\\d+),(\\d+)]", "\"old\":[$1]"),
            d -> d.replaceFirst("\"history\":\\[", "\"history\":[{\"plan\":7},"),
            d -> d.replaceFirst("\"step\":(\\d+)", "\"step\":-4"),
            d -> d.replaceFirst("\"classes\":\\[", "\"classes\":[null,"),
            d -> d.substring(0, d.length() / 2));

    private static byte[] mlp(Path dir) throws IOException {
        Rng rng = new Rng(1);
        Sequential m = Architectures.mlp(BE, rng, 8, new int[] {6, 4}, 3, Activation.TANH);
        Adam adam = new Adam(m::parameters, 1e-2f);
        m.grow(Map.of("dense1", 2, "head", 2), Init.HE_NORMAL, Init.ZEROS, 5L);
        m.freezeOld();
        ModelInfo info = ModelInfo.empty().withClasses(0, 0, "mnist", new int[] {0, 1, 2}, "mnist 0-2");
        return saved(dir.resolve("mlp.safetensors"), f -> Checkpoint.save(f, m, info, adam));
    }

    private static byte[] cnn(Path dir) throws IOException {
        Sequential m = Architectures.lenet(BE, new Rng(2), 1, 16, 16, 2, 2, 3);
        return saved(dir.resolve("cnn.safetensors"), f -> Checkpoint.save(f, m, ModelInfo.empty(), null));
    }

    private interface Save {
        void to(Path f) throws IOException;
    }

    private static byte[] saved(Path f, Save s) throws IOException {
        s.to(f);
        return Files.readAllBytes(f);
    }

    /** The checkpoint with its metadata document edited and the file written again (a valid safetensors file). */
    private static byte[] mangled(byte[] valid, UnaryOperator<String> edit, Path dir) throws IOException {
        Path f = dir.resolve("m.safetensors");
        Files.write(f, valid);
        Safetensors.Contents c = Safetensors.read(f);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put("expanse", edit.apply(meta.get("expanse")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, c.tensors(), meta);
        return out.toByteArray();
    }

    private static Seed seed(byte[] bytes) {
        return new Seed("checkpoint", bytes, List.of(new SizeField(0, 8, false)));
    }

    @Override public String name() { return "checkpoint reader"; }

    @Override public List<Seed> seeds() { return seeds; }

    @Override
    public void read(Path file, Seed seed) throws IOException {
        Checkpoint.load(file, BE).close();
    }

    @Override public Class<? extends IOException> fault() { return CheckpointException.class; }
}
