package dev.expanse.engine.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.expanse.engine.Parameter;
import dev.expanse.kernels.FrozenBlock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints in the safetensors format (8-byte little-endian header length, a JSON header, then
 * raw little-endian F32 data), readable by the Hugging Face {@code safetensors} library.
 *
 * <p>Each parameter is stored under its name as a {@code [rows, cols]} tensor (no padding). Its
 * frozen block is kept in {@code __metadata__} as {@code "<name>.frozen": "RxC"}, so an expanded
 * and partly frozen model resumes exactly. Saving writes a temporary file next to the target and
 * renames it, so a crash never leaves a half-written checkpoint.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** One tensor read from a file. */
    public record Entry(int[] shape, float[] values) {
    }

    /** Saves {@code params} (names must be unique) and string metadata to {@code file}, atomically. */
    public static void save(Path file, List<Parameter> params, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        long offset = 0;
        for (Parameter p : params) {
            if (header.has(p.name())) throw new IllegalArgumentException("duplicate parameter name '" + p.name() + "'");
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            shape.add(p.rows());
            shape.add(p.cols());
            t.add("shape", shape);
            JsonArray offs = new JsonArray();
            offs.add(offset);
            offset += 4L * p.size();
            offs.add(offset);
            t.add("data_offsets", offs);
            header.add(p.name(), t);
            meta.addProperty(p.name() + ".frozen", p.frozen().toString());
        }
        header.add("__metadata__", meta);
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8; // data starts 8-aligned, as the reference writer does
        byte[] padded = new byte[json.length + pad];
        System.arraycopy(json, 0, padded, 0, json.length);
        for (int i = json.length; i < padded.length; i++) padded[i] = ' ';

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length);
                out.write(len.array());
                out.write(padded);
                for (Parameter p : params) {
                    float[] v = p.toArray();
                    ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                    bb.asFloatBuffer().put(v);
                    out.write(bb.array());
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads every F32 tensor of a safetensors file, in header order. */
    public static Map<String, Entry> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw bad(file, "file is " + size + " bytes, shorter than the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n < 2 || n > MAX_HEADER || 8 + n > size) {
                throw bad(file, "header length " + n + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            JsonObject header;
            try {
                header = new Gson().fromJson(new String(hb.array(), StandardCharsets.UTF_8), JsonObject.class);
            } catch (JsonParseException e) {
                throw bad(file, "header is not valid JSON: " + e.getMessage());
            }
            long dataStart = 8 + n, dataLen = size - dataStart;
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) continue;
                out.put(e.getKey(), entry(file, ch, e.getKey(), e.getValue().getAsJsonObject(), dataStart, dataLen));
            }
            return out;
        } catch (IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw bad(file, "malformed header: " + e.getMessage());
        }
    }

    /** The {@code __metadata__} strings of a file (empty if none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n < 2 || n > MAX_HEADER || 8 + n > ch.size()) throw bad(file, "bad header length " + n);
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            JsonObject header = new Gson().fromJson(new String(hb.array(), StandardCharsets.UTF_8), JsonObject.class);
            Map<String, String> out = new LinkedHashMap<>();
            if (header.has("__metadata__")) {
                header.getAsJsonObject("__metadata__").entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
            }
            return out;
        }
    }

    /**
     * Loads values (and frozen blocks) into {@code params} by name. Every parameter must be in the
     * file with its current shape; otherwise an IOException names the file and the tensor, and no
     * parameter has been changed.
     */
    public static void load(Path file, List<Parameter> params) throws IOException {
        Map<String, Entry> entries = read(file);
        Map<String, String> meta = metadata(file);
        for (Parameter p : params) {
            Entry e = entries.get(p.name());
            if (e == null) throw bad(file, "no tensor '" + p.name() + "'");
            if (e.shape().length != 2 || e.shape()[0] != p.rows() || e.shape()[1] != p.cols()) {
                throw bad(file, "tensor '" + p.name() + "' has shape " + java.util.Arrays.toString(e.shape())
                        + ", the model's is [" + p.rows() + ", " + p.cols() + "]");
            }
        }
        for (Parameter p : params) {
            p.set(entries.get(p.name()).values());
            String frozen = meta.get(p.name() + ".frozen");
            if (frozen != null) {
                String[] rc = frozen.split("x");
                int cols = rc[1].equals("all") ? FrozenBlock.ALL : Integer.parseInt(rc[1]);
                p.freeze(new FrozenBlock(Integer.parseInt(rc[0]), cols));
            }
        }
    }

    private static Entry entry(Path file, FileChannel ch, String name, JsonObject t, long dataStart, long dataLen)
            throws IOException {
        String dtype = t.get("dtype").getAsString();
        if (!dtype.equals("F32")) throw bad(file, "tensor '" + name + "' has dtype " + dtype + ", only F32 is supported");
        JsonArray s = t.getAsJsonArray("shape");
        int[] shape = new int[s.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = s.get(i).getAsLong();
            if (d < 0 || d > Integer.MAX_VALUE) throw bad(file, "tensor '" + name + "' has dimension " + d);
            shape[i] = (int) d;
            count *= d;
            if (count > Integer.MAX_VALUE / 4) throw bad(file, "tensor '" + name + "' is too large");
        }
        JsonArray o = t.getAsJsonArray("data_offsets");
        long begin = o.get(0).getAsLong(), end = o.get(1).getAsLong();
        if (begin < 0 || end < begin || end > dataLen || end - begin != 4 * count) {
            throw bad(file, "tensor '" + name + "' has offsets [" + begin + ", " + end + "] for " + count
                    + " floats in " + dataLen + " data bytes (truncated file?)");
        }
        ByteBuffer bb = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, bb, dataStart + begin);
        float[] v = new float[(int) count];
        bb.flip().asFloatBuffer().get(v);
        return new Entry(shape, v);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) throw new IOException("unexpected end of file");
            pos += r;
        }
    }

    private static IOException bad(Path file, String why) {
        return new IOException(file + ": " + why);
    }
}
