package dev.expanse.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The child of {@link KillTrial}: saves {@code target} with {@link AtomicFile} over and over
 * until it is killed. Each file says whether it is whole: {@code "SAVE"}, its total length
 * (int), a sequence number (long), random bytes, and the CRC-32 of everything before it (int).
 * Files are 64 KiB to 1 MiB, made and written in 8 KiB pieces inside the save, so that nearly
 * every kill lands inside one.
 *
 * <p>Usage: {@code java -cp <test class path> dev.expanse.engine.io.SaveLoop TARGET SEED}; it
 * prints {@code ready} once its first save has begun.
 */
public final class SaveLoop {
    static final int MAGIC = 0x53415645; // "SAVE"
    private static final int HEADER = 16;

    private SaveLoop() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        SplittableRandom rng = new SplittableRandom(Long.parseLong(args[1]));
        PrintStream out = System.out;
        for (long seq = 0; ; seq++) {
            int length = (64 << 10) + rng.nextInt(960 << 10);
            long s = seq;
            AtomicFile.write(target, o -> { // the bytes are made inside the save
                if (s == 0) { // the first save has begun: the parent may start its clock
                    out.println("ready");
                    out.flush();
                }
                write(o, s, length, rng);
            });
        }
    }

    /** Writes a whole file of {@code length} bytes in 8 KiB pieces. */
    static void write(OutputStream o, long seq, int length, SplittableRandom rng) throws IOException {
        CRC32 crc = new CRC32();
        byte[] piece = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(length).putLong(seq).array();
        o.write(piece);
        crc.update(piece);
        piece = new byte[8192];
        for (int left = length - HEADER - 4; left > 0; left -= piece.length) {
            int n = Math.min(piece.length, left);
            for (int i = 0; i < n; i++) piece[i] = (byte) rng.nextInt(256);
            o.write(piece, 0, n);
            crc.update(piece, 0, n);
        }
        o.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** True if {@code f} holds one whole file as {@link #file} makes them. */
    static boolean whole(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        if (b.length < HEADER + 4) return false;
        ByteBuffer bb = ByteBuffer.wrap(b);
        if (bb.getInt(0) != MAGIC || bb.getInt(4) != b.length) return false;
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        return bb.getInt(b.length - 4) == (int) crc.getValue();
    }

    /** Writes one whole file, as the parent's "next save". */
    static void saveOnce(Path target, long seq) throws IOException {
        AtomicFile.write(target, o -> write(o, seq, 4096, new SplittableRandom(seq)));
    }
}
