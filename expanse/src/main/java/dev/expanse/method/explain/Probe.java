package dev.expanse.method.explain;

import java.util.List;

/**
 * What a network computes for a few images: the output of every activation layer of the trunk,
 * and the logits.
 *
 * @param layers one per activation layer, bottom up
 * @param logits {@code [image][class]}
 */
public record Probe(List<Activity> layers, float[][] logits) {

    /**
     * One layer's output for every probed image.
     *
     * @param name         the activation layer's name, e.g. "relu1"
     * @param units        neurons (dense) or filters (conv)
     * @param cellsPerUnit 1 for a dense layer, H*W for a conv feature map
     * @param cells        {@code [image][units * cellsPerUnit]}, unit-major
     */
    public record Activity(String name, int units, int cellsPerUnit, float[][] cells) {

        /** The unit's value for one image: the activation, or the mean over its feature map. */
        public float unit(int image, int unit) {
            float[] x = cells[image];
            double s = 0;
            for (int i = 0; i < cellsPerUnit; i++) s += x[unit * cellsPerUnit + i];
            return (float) (s / cellsPerUnit);
        }

        /**
         * How many cells of the first {@code oldUnits} units are bit-identical to {@code before}'s
         * (a probe of the same images), out of how many.
         */
        public int[] identicalOld(Activity before, int oldUnits) {
            int same = 0, n = 0;
            for (int i = 0; i < cells.length; i++) {
                for (int k = 0; k < oldUnits * cellsPerUnit; k++) {
                    n++;
                    if (Float.floatToRawIntBits(cells[i][k]) == Float.floatToRawIntBits(before.cells[i][k])) same++;
                }
            }
            return new int[] {same, n};
        }
    }

    /** How many of the first {@code classes} logits are bit-identical to {@code before}'s, out of how many. */
    public int[] identicalLogits(Probe before, int classes) {
        int same = 0, n = 0;
        for (int i = 0; i < logits.length; i++) {
            for (int c = 0; c < classes; c++) {
                n++;
                if (Float.floatToRawIntBits(logits[i][c]) == Float.floatToRawIntBits(before.logits[i][c])) same++;
            }
        }
        return new int[] {same, n};
    }
}
