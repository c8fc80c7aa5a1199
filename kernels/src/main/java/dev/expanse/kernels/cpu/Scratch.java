package dev.expanse.kernels.cpu;

/**
 * Per-thread scratch arrays, grown on demand and reused from call to call, so that training loops
 * make no garbage. A slot belongs to one purpose; a kernel that hands an array of the calling
 * thread to its workers uses a caller slot for it, and the workers use worker slots, so that the
 * caller, which may run a chunk itself, never takes its own shared array for a private one.
 */
final class Scratch {
    private Scratch() {
    }

    /**
     * Caller slots: packed conv weights, the batch's padded images, each image's sums of dy's rows,
     * weight-gradient partial sums, conv weights turned half a turn.
     */
    static final int WEIGHTS = 0, IMAGES = 1, SUMS = 2, PARTIALS = 3, TURNED = 4;
    /**
     * Worker slots: one padded image, one packed B strip, one register tile, one weight-gradient
     * panel over a block of images, one image's wide conv output, a block of images' dy (transposed,
     * or at wide positions), a filter block's weight-gradient lane sums, one image's column-shifted copies.
     */
    static final int IMAGE = 5, STRIP = 6, TILE = 7, PANELS = 8, WIDE = 9, DY_BLOCK = 10, LANE_SUMS = 11,
            SHIFTED = 12;

    /** The slots, numbered 0 to the last one, SHIFTED. */
    private static final ThreadLocal<float[][]> SLOTS = ThreadLocal.withInitial(() -> new float[SHIFTED + 1][0]);

    /** This thread's array of {@code slot}, at least n long; it holds whatever its last user left there. */
    static float[] get(int slot, int n) {
        float[][] slots = SLOTS.get();
        if (slots[slot].length < n) {
            slots[slot] = new float[n];
        }
        return slots[slot];
    }
}
