package dev.expanse.method.strategy;

/**
 * The network a strategy trains in the target phase.
 *
 * @param net        the network (the source copy changed in place, or a new one)
 * @param sourceHead the head that scores the source classes
 * @param targetHead the head that scores the target classes (the same head when the head grew)
 */
public record Adapted(MultiHeadNet net, int sourceHead, int targetHead) {
}
