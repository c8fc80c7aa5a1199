package dev.expanse.method.strategy;

/**
 * What a strategy starts the target phase from.
 *
 * @param source        a private copy of the trained source network (one head, index 0); the
 *                      strategy may change it in place and return it
 * @param spec          the trunk shapes, source and expanded
 * @param inputShape    per-example input shape, e.g. {@code [1, 28, 28]}
 * @param mode          whether the target classes extend head 0 or get a head of their own
 * @param sourceClasses outputs of the source head
 * @param targetClasses classes the target phase adds
 */
public record Transfer(MultiHeadNet source, NetSpec spec, int[] inputShape, Mode mode, int sourceClasses,
                       int targetClasses) {

    /** How target classes reach the outputs. */
    public enum Mode {
        /** Class-incremental: head 0 grows from the source classes to source + target classes. */
        GROW_HEAD,
        /** Distant transfer: a second head for the target task; head 0 stays the source head. */
        NEW_HEAD
    }

    public Transfer {
        inputShape = inputShape.clone();
        if (sourceClasses < 1 || targetClasses < 1) {
            throw new IllegalArgumentException("need at least one source and one target class, got "
                    + sourceClasses + " and " + targetClasses);
        }
    }

    @Override
    public int[] inputShape() { return inputShape.clone(); }
}
