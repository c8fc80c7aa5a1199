package dev.expanse.engine.io;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors file format, F32 only: an 8-byte little-endian header length, a JSON header
 * ({@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}), then the raw little-endian data. Files written here are
 * read by the Hugging Face {@code safetensors} library, and files it writes (F32) are read here.
 *
 * <p>The reader trusts nothing: the header length is bounded before anything is allocated, the
 * header is parsed as a stream against the format (every key, type and bound), the entry count
 * is bounded, and the tensors' offsets must tile the data region exactly (no gap, no overlap, no
 * byte left over), so a header that is a few bytes short or long cannot shift the data silently.
 * Every fault is a {@link CheckpointException} naming the file, with at most a short excerpt.
 */
public final class Safetensors {
    /** Header bytes at most: far above a model's (a few KiB per hundred tensors), far below the heap. */
    static final long MAX_HEADER = 8L << 20;
    /** Tensors per file at most. */
    static final int MAX_ENTRIES = 100_000;
    /** Dimensions per tensor at most. */
    static final int MAX_RANK = 8;

    private Safetensors() {
    }

    /** One tensor: its shape and its values, row-major. */
    public record Entry(int[] shape, float[] values) {
        /** @throws IllegalArgumentException if the values do not fill the shape */
        public Entry {
            if (count(shape) != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count(shape)
                        + " values, got " + values.length);
            }
        }
    }

    /** What a file holds: tensors in header order, and the string metadata. */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {
    }

    /** Writes {@code tensors} (in map order) and {@code metadata} to {@code out}; the data is 8-aligned. */
    public static void write(OutputStream out, Map<String, Entry> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (Entry e : tensors.values()) {
            ByteBuffer bb = ByteBuffer.allocate(4 * e.values().length).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(e.values());
            out.write(bb.array());
        }
    }

    private static byte[] header(Map<String, Entry> tensors, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonWriter w = new JsonWriter(new OutputStreamWriter(json, StandardCharsets.UTF_8))) {
            w.beginObject();
            long offset = 0;
            for (Map.Entry<String, Entry> t : tensors.entrySet()) {
                if (t.getKey().equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is not a tensor name");
                w.name(t.getKey()).beginObject().name("dtype").value("F32").name("shape").beginArray();
                for (int d : t.getValue().shape()) w.value(d);
                long end = offset + 4L * t.getValue().values().length;
                w.endArray().name("data_offsets").beginArray().value(offset).value(end).endArray().endObject();
                offset = end;
            }
            w.name("__metadata__").beginObject();
            for (Map.Entry<String, String> m : metadata.entrySet()) w.name(m.getKey()).value(m.getValue());
            w.endObject().endObject();
        }
        int pad = (8 - json.size() % 8) % 8; // the data starts 8-aligned, as the reference writer does
        for (int i = 0; i < pad; i++) json.write(' ');
        return json.toByteArray();
    }

    /**
     * Reads and validates a whole file.
     *
     * @throws CheckpointException naming the file and the fault when it is not a valid F32 safetensors file
     * @throws IOException         when it cannot be read
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new CheckpointException(file, "file is " + size + " bytes, shorter than the 8-byte header length");
            long n = readAll(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 2 || n > MAX_HEADER || n > size - 8) {
                throw new CheckpointException(file, "header length " + n + " does not fit a file of " + size
                        + " bytes (at most " + MAX_HEADER + ")");
            }
            long dataLength = size - 8 - n;
            if (dataLength > Integer.MAX_VALUE - 8) throw new CheckpointException(file, "data of " + dataLength + " bytes is too large");
            Header h = parse(file, utf8(file, readAll(ch, 8, (int) n)));
            checkTiling(file, h.tensors, dataLength);
            ByteBuffer data = readAll(ch, 8 + n, (int) dataLength).order(ByteOrder.LITTLE_ENDIAN);
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Raw r : h.tensors) {
                float[] v = new float[(int) (r.count)];
                data.position((int) r.begin);
                data.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                out.put(r.name, new Entry(r.shape, v));
            }
            return new Contents(out, h.metadata);
        }
    }

    /** A tensor's header entry before its data is read. */
    private record Raw(String name, int[] shape, long count, long begin, long end) {
    }

    private record Header(List<Raw> tensors, Map<String, String> metadata) {
    }

    private static String utf8(Path file, ByteBuffer bytes) throws CheckpointException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file, "header is not UTF-8 text");
        }
    }

    /** Parses the header as a stream: exactly the format's structure, nothing else. */
    private static Header parse(Path file, String json) throws CheckpointException {
        List<Raw> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setLenient(false);
            r.beginObject();
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (r.hasNext()) {
                String name = r.nextName();
                if (!seen.add(name)) throw new CheckpointException(file, "header names " + quote(name) + " twice");
                if (name.equals("__metadata__")) {
                    readMetadata(file, r, metadata);
                } else {
                    if (tensors.size() == MAX_ENTRIES) throw new CheckpointException(file, "more than " + MAX_ENTRIES + " tensors");
                    tensors.add(readTensor(file, r, name));
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) throw new CheckpointException(file, "text after the header's JSON object");
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new CheckpointException(file, "malformed header: " + excerpt(e.getMessage()));
        }
        return new Header(tensors, metadata);
    }

    private static void readMetadata(Path file, JsonReader r, Map<String, String> out) throws IOException {
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            if (r.peek() != JsonToken.STRING) throw new CheckpointException(file, "metadata " + quote(key) + " is not a string");
            if (out.put(key, r.nextString()) != null) throw new CheckpointException(file, "metadata names " + quote(key) + " twice");
        }
        r.endObject();
    }

    private static Raw readTensor(Path file, JsonReader r, String name) throws IOException {
        String dtype = null;
        int[] shape = null;
        long[] offsets = null;
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            switch (key) {
                case "dtype" -> dtype = string(r);
                case "shape" -> shape = readShape(file, r, name);
                case "data_offsets" -> offsets = readOffsets(file, r, name);
                default -> throw new CheckpointException(file, "tensor " + quote(name) + " has an unknown field " + quote(key));
            }
        }
        r.endObject();
        if (dtype == null || shape == null || offsets == null) {
            throw new CheckpointException(file, "tensor " + quote(name) + " needs dtype, shape and data_offsets");
        }
        if (!dtype.equals("F32")) throw new CheckpointException(file, "tensor " + quote(name) + " has dtype " + quote(dtype) + "; only F32 is supported");
        long count = count(shape);
        if (offsets[1] - offsets[0] != 4 * count) {
            throw new CheckpointException(file, "tensor " + quote(name) + " of shape " + Arrays.toString(shape)
                    + " needs " + 4 * count + " bytes, its offsets span " + (offsets[1] - offsets[0]));
        }
        return new Raw(name, shape, count, offsets[0], offsets[1]);
    }

    private static int[] readShape(Path file, JsonReader r, String name) throws IOException {
        List<Integer> dims = new ArrayList<>();
        long count = 1;
        r.beginArray();
        while (r.hasNext()) {
            long d = number(r);
            if (d < 0 || d > Integer.MAX_VALUE || dims.size() == MAX_RANK) {
                throw new CheckpointException(file, "tensor " + quote(name) + " has a bad shape (dimension " + d
                        + ", at most " + MAX_RANK + " dimensions)");
            }
            dims.add((int) d);
            count *= Math.max(d, 1);
            if (count > Integer.MAX_VALUE / 4) throw new CheckpointException(file, "tensor " + quote(name) + " is too large");
        }
        r.endArray();
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] readOffsets(Path file, JsonReader r, String name) throws IOException {
        r.beginArray();
        long begin = number(r), end = number(r);
        if (r.hasNext()) throw new CheckpointException(file, "tensor " + quote(name) + " has more than two data_offsets");
        r.endArray();
        if (begin < 0 || end < begin) throw new CheckpointException(file, "tensor " + quote(name) + " has offsets [" + begin + ", " + end + "]");
        return new long[] {begin, end};
    }

    /** The next value, which must be a JSON number holding an integer (Gson would also take "12"). */
    private static long number(JsonReader r) throws IOException {
        if (r.peek() != JsonToken.NUMBER) throw new IllegalStateException("expected a number, found " + r.peek());
        return r.nextLong();
    }

    /** The next value, which must be a JSON string (Gson would also take a number). */
    private static String string(JsonReader r) throws IOException {
        if (r.peek() != JsonToken.STRING) throw new IllegalStateException("expected a string, found " + r.peek());
        return r.nextString();
    }

    /** The tensors' byte ranges, in offset order, must cover [0, dataLength) exactly once. */
    private static void checkTiling(Path file, List<Raw> tensors, long dataLength) throws CheckpointException {
        List<Raw> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(Raw::begin).thenComparingLong(Raw::end));
        long at = 0;
        for (Raw t : byOffset) {
            if (t.begin != at) {
                throw new CheckpointException(file, "tensor " + quote(t.name) + " starts at data byte " + t.begin + ", expected " + at
                        + (t.begin < at ? " (it overlaps the tensor before)" : " (a gap before it)"));
            }
            at = t.end;
        }
        if (at != dataLength) {
            throw new CheckpointException(file, "the tensors cover " + at + " data bytes but the file holds " + dataLength
                    + (at > dataLength ? " (truncated file?)" : " (bytes left over: wrong header length?)"));
        }
    }

    private static ByteBuffer readAll(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) throw new IOException("unexpected end of file");
        }
        return b.flip();
    }

    private static long count(int[] shape) {
        long c = 1;
        for (int d : shape) c *= d;
        return c;
    }

    /** A name or value from the file, quoted and cut to a readable length. */
    static String quote(String s) {
        return "'" + excerpt(s) + "'";
    }

    /** At most 60 characters of {@code s}. */
    static String excerpt(String s) {
        if (s == null) return "";
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
