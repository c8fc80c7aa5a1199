package dev.expanse.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.FrozenBlock;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    private final Backend be = CpuBackend.scalar();

    private Parameter random(String name, int rows, int cols, int capRows, int capCols, long seed) {
        Parameter p = new Parameter(name, be, rows, cols, capRows, capCols);
        Rng rng = new Rng(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        p.set(v);
        return p;
    }

    @Test
    void roundTripKeepsValuesAndFrozenBlocksAcrossLeadingDimensions(@TempDir Path dir) throws IOException {
        Parameter w = random("w", 5, 3, 8, 7, 1), b = random("b", 5, 1, 5, 1, 2);
        w.freeze(new FrozenBlock(2, 3));
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(file, List.of(w, b), Map.of("note", "test"));

        Parameter w2 = new Parameter("w", be, 5, 3), b2 = new Parameter("b", be, 5, 1);
        Safetensors.load(file, List.of(w2, b2));
        assertArrayEquals(w.toArray(), w2.toArray());
        assertArrayEquals(b.toArray(), b2.toArray());
        assertEquals(new FrozenBlock(2, 3), w2.frozen());
        assertEquals("test", Safetensors.metadata(file).get("note"));
        assertArrayEquals(new int[] {5, 3}, Safetensors.read(file).get("w").shape());
        // no temporary file is left beside the checkpoint
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void fileLayoutFollowsTheSafetensorsSpec(@TempDir Path dir) throws IOException {
        Parameter p = new Parameter("x", be, 1, 2);
        p.set(new float[] {1.5f, -2f});
        Path file = dir.resolve("x.safetensors");
        Safetensors.save(file, List.of(p), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"x\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}"), header);
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) n, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.5f, data.getFloat());
        assertEquals(-2f, data.getFloat());
        assertEquals(8 + n + 8, bytes.length);
    }

    @Test
    void errorsNameTheFileAndTheTensor(@TempDir Path dir) throws IOException {
        Parameter w = random("w", 4, 4, 4, 4, 3);
        Path file = dir.resolve("m.safetensors");
        Safetensors.save(file, List.of(w), Map.of());

        Parameter wrongShape = new Parameter("w", be, 4, 5);
        IOException e = assertThrows(IOException.class, () -> Safetensors.load(file, List.of(wrongShape)));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'w'"), e.getMessage());

        Parameter missing = new Parameter("v", be, 4, 4);
        e = assertThrows(IOException.class, () -> Safetensors.load(file, List.of(missing)));
        assertTrue(e.getMessage().contains("'v'"), e.getMessage());

        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("t.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        e = assertThrows(IOException.class, () -> Safetensors.read(truncated));
        assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path garbage = dir.resolve("g.safetensors");
        Files.write(garbage, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 1, 2});
        e = assertThrows(IOException.class, () -> Safetensors.read(garbage));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }
}
