package dev.expanse.engine.data;

import java.nio.file.Path;

/**
 * The content of one IDX file of unsigned bytes: its shape (e.g. images {@code [N, rows, cols]},
 * labels {@code [N]}) and its data, row-major. Bytes are unsigned: read them as
 * {@code data[i] & 0xFF}.
 *
 * @param file where it was read from, for messages
 * @param shape every dimension, each at least 1
 * @param data the product of {@code shape} bytes
 */
public record IdxData(Path file, int[] shape, byte[] data) {
    /** The first dimension: the number of items. */
    public int count() {
        return shape[0];
    }

    /** Bytes per item: the product of all but the first dimension (1 for labels). */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < shape.length; i++) {
            s *= shape[i];
        }
        return s;
    }

    /** The unsigned byte at flat position {@code i}. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }
}
