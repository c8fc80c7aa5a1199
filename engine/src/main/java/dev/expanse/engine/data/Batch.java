package dev.expanse.engine.data;

/**
 * One mini-batch, in fresh arrays that the receiver may keep.
 *
 * @param x the images, {@code [size, features]} row-major, values in [0, 1]
 * @param y the class indices as floats (the {@code Backend} convention for labels), {@code [size]}
 * @param labels the same class indices as ints, {@code [size]}
 * @param indices the position of each example in the dataset it came from, {@code [size]}
 * @param size the number of examples; the last batch of an epoch may be smaller than the rest
 */
public record Batch(float[] x, float[] y, int[] labels, int[] indices, int size) {}
