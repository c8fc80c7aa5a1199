package dev.expanse.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw format: layout per the spec, round trips, and a reader that refuses every malformed file. */
class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, Safetensors.Entry> two() {
        Map<String, Safetensors.Entry> t = new LinkedHashMap<>();
        t.put("w", new Safetensors.Entry(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        t.put("b", new Safetensors.Entry(new int[] {2}, new float[] {-1.5f, 0.25f}));
        return t;
    }

    private Path write(String name, Map<String, Safetensors.Entry> tensors, Map<String, String> meta) throws IOException {
        Path f = dir.resolve(name);
        AtomicFile.write(f, out -> Safetensors.write(out, tensors, meta));
        return f;
    }

    /** A file with a hand-written header and {@code data} after it. */
    private Path raw(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        Path f = dir.resolve(name);
        Files.write(f, out.toByteArray());
        return f;
    }

    private static String refused(Path f) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().length() < 400, "a short message: " + e.getMessage());
        return e.reason();
    }

    @Test
    void roundTripKeepsShapesValuesAndMetadata() throws IOException {
        Path f = write("m.safetensors", two(), Map.of("note", "test"));
        Safetensors.Contents c = Safetensors.read(f);
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("w").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.tensors().get("w").values());
        assertArrayEquals(new float[] {-1.5f, 0.25f}, c.tensors().get("b").values());
        assertEquals("test", c.metadata().get("note"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left beside it");
        }
    }

    @Test
    void fileLayoutFollowsTheSafetensorsSpec() throws IOException {
        Map<String, Safetensors.Entry> t = Map.of("x", new Safetensors.Entry(new int[] {1, 2}, new float[] {1.5f, -2f}));
        byte[] bytes = Files.readAllBytes(write("x.safetensors", t, Map.of()));
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "the data starts 8-aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"x\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}"), header);
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) n, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.5f, data.getFloat());
        assertEquals(-2f, data.getFloat());
        assertEquals(8 + n + 8, bytes.length);
    }

    @Test
    void truncatedAndShiftedFilesAreRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(write("m.safetensors", two(), Map.of()));
        Path truncated = dir.resolve("t.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertTrue(refused(truncated).contains("truncated"));
        // a header length 4 bytes short (cutting only padding) would shift every tensor by 4 bytes
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}    ";
        Path shifted = raw("s.safetensors", header, new byte[4]);
        byte[] s = Files.readAllBytes(shifted);
        ByteBuffer.wrap(s, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length() - 4);
        Files.write(shifted, s);
        assertTrue(refused(shifted).contains("left over"), refused(shifted));
    }

    @Test
    void offsetsMustTileTheDataExactly() throws IOException {
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertTrue(refused(raw("o.safetensors", overlap, new byte[12])).contains("overlaps"));
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertTrue(refused(raw("g.safetensors", gap, new byte[12])).contains("gap"));
        // many entries aliasing one region would otherwise cost memory per alias
        StringBuilder alias = new StringBuilder("{");
        for (int i = 0; i < 300; i++) alias.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}");
        assertTrue(refused(raw("a.safetensors", alias + "}", new byte[16])).contains("overlaps"));
        String size = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertTrue(refused(raw("z.safetensors", size, new byte[8])).contains("needs 12 bytes"));
    }

    @Test
    void theHeaderMustFollowTheFormat() throws IOException {
        String[][] cases = {
            {"{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", "only F32"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", "unknown field"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", "needs dtype, shape and data_offsets"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "bad shape"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}", "malformed header"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{}}", "twice"},
            {"{\"__metadata__\":{\"k\":5},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "not a string"},
            {"[1,2,3]", "malformed header"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} x", "malformed header"},
            {"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", "malformed header"},
        };
        for (String[] c : cases) {
            String why = refused(raw("h.safetensors", c[0], new byte[4]));
            assertTrue(why.contains(c[1]), c[0] + " -> " + why);
        }
    }

    @Test
    void boundsComeBeforeAnyAllocation() throws IOException {
        Path huge = dir.resolve("huge.safetensors");
        byte[] b = new byte[16];
        ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        Files.write(huge, b);
        assertTrue(refused(huge).contains("header length"));
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(refused(tiny).contains("shorter than"));
        Path notUtf8 = raw("u.safetensors", "{\"a\":1}", new byte[0]);
        byte[] u = Files.readAllBytes(notUtf8);
        u[9] = (byte) 0xff;
        Files.write(notUtf8, u);
        assertTrue(refused(notUtf8).contains("UTF-8"));
        // a long name is quoted only in part
        String longName = "n".repeat(100_000);
        String why = refused(raw("l.safetensors", "{\"" + longName + "\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]));
        assertTrue(why.length() < 200, why);
    }
}
