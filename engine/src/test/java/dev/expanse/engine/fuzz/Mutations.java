package dev.expanse.engine.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Seeded byte-level mutations of a valid file. Each names itself for the reproducer line.
 *
 * <ul>
 *   <li>bit flips (1-8 bits) and byte sets (1-4 bytes to 0, 1, 0x7f, 0x80, 0xff or random);</li>
 *   <li>truncation at every class of offset: inside the first 64 bytes (the header), at the
 *       last 16, anywhere, or to nothing; and extension by 1-64 random bytes;</li>
 *   <li>forged sizes: a header size field set to 0, 1, -1, 2^31 - 1, 2^31, 2^16, 2^24, its
 *       value +- 1, twice it, or random;</li>
 *   <li>for gzip formats, the mutated bytes compressed; then possibly the compressed stream
 *       corrupted (flips, byte sets, truncation) or followed by garbage.</li>
 * </ul>
 */
final class Mutations {
    private static final int[] BYTES = {0, 1, 0x7f, 0x80, 0xff};
    private static final long[] SIZES = {0, 1, -1, Integer.MAX_VALUE, 1L << 31, 1 << 16, 1 << 24};

    private Mutations() {
    }

    /** A mutated copy of {@code seed}; {@code log} receives the steps taken. */
    static byte[] mutate(FileFormat.Seed seed, boolean gzip, SplittableRandom rng, StringBuilder log) {
        byte[] b = seed.bytes().clone();
        int steps = 1 + rng.nextInt(3);
        for (int s = 0; s < steps; s++) b = plain(b, seed.sizes(), rng, log);
        if (!gzip || rng.nextInt(3) != 0) return b;
        b = gzip(b);
        log.append(" gzip");
        return rng.nextBoolean() ? b : corruptGzip(b, rng, log);
    }

    private static byte[] plain(byte[] b, List<FileFormat.SizeField> sizes, SplittableRandom rng, StringBuilder log) {
        switch (rng.nextInt(sizes.isEmpty() ? 5 : 7)) {
            case 0: return flip(b, rng, log);
            case 1: return set(b, rng, log);
            case 2: return truncate(b, rng, log);
            case 3: return extend(b, rng, log);
            case 4: return rng.nextBoolean() ? flip(b, rng, log) : set(b, rng, log);
            default: return forge(b, sizes.get(rng.nextInt(sizes.size())), rng, log);
        }
    }

    private static byte[] flip(byte[] b, SplittableRandom rng, StringBuilder log) {
        if (b.length == 0) return b;
        int n = 1 + rng.nextInt(8);
        for (int i = 0; i < n; i++) {
            int at = rng.nextInt(b.length), bit = rng.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            log.append(" flip@").append(at).append('.').append(bit);
        }
        return b;
    }

    private static byte[] set(byte[] b, SplittableRandom rng, StringBuilder log) {
        if (b.length == 0) return b;
        int n = 1 + rng.nextInt(4);
        for (int i = 0; i < n; i++) {
            int at = rng.nextInt(b.length), v = rng.nextInt(6) == 5 ? rng.nextInt(256) : BYTES[rng.nextInt(BYTES.length)];
            b[at] = (byte) v;
            log.append(" set@").append(at).append('=').append(v);
        }
        return b;
    }

    private static byte[] truncate(byte[] b, SplittableRandom rng, StringBuilder log) {
        int to;
        switch (rng.nextInt(4)) {
            case 0: to = rng.nextInt(Math.min(64, b.length) + 1); break; // in the header
            case 1: to = Math.max(0, b.length - 1 - rng.nextInt(16)); break; // near the end
            case 2: to = rng.nextInt(b.length + 1); break;
            default: to = 0;
        }
        log.append(" cut@").append(to);
        return Arrays.copyOf(b, to);
    }

    private static byte[] extend(byte[] b, SplittableRandom rng, StringBuilder log) {
        int n = 1 + rng.nextInt(64);
        byte[] out = Arrays.copyOf(b, b.length + n);
        for (int i = b.length; i < out.length; i++) out[i] = (byte) rng.nextInt(256);
        log.append(" extend+").append(n);
        return out;
    }

    private static byte[] forge(byte[] b, FileFormat.SizeField f, SplittableRandom rng, StringBuilder log) {
        if (f.offset() + f.width() > b.length) return b;
        long old = read(b, f);
        int pick = rng.nextInt(SIZES.length + 4);
        long v = pick < SIZES.length ? SIZES[pick] : switch (pick - SIZES.length) {
            case 0 -> old + 1;
            case 1 -> old - 1;
            case 2 -> old * 2;
            default -> rng.nextLong();
        };
        for (int i = 0; i < f.width(); i++) {
            int shift = 8 * (f.bigEndian() ? f.width() - 1 - i : i);
            b[f.offset() + i] = (byte) (v >>> shift);
        }
        log.append(" size@").append(f.offset()).append('=').append(v);
        return b;
    }

    private static long read(byte[] b, FileFormat.SizeField f) {
        long v = 0;
        for (int i = 0; i < f.width(); i++) {
            int shift = 8 * (f.bigEndian() ? f.width() - 1 - i : i);
            v |= (b[f.offset() + i] & 0xFFL) << shift;
        }
        return v;
    }

    private static byte[] corruptGzip(byte[] gz, SplittableRandom rng, StringBuilder log) {
        log.append(" corrupt:");
        switch (rng.nextInt(4)) {
            case 0: return flip(gz, rng, log);
            case 1: return set(gz, rng, log);
            case 2: return truncate(gz, rng, log);
            default: return extend(gz, rng, log); // garbage after the member
        }
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
