package dev.expanse.method.scenario;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.method.basics.GlyphBasics;
import dev.expanse.method.basics.PrototypeBasics;

/**
 * Where the "basics" come from: a small set of clean, prototypical examples of every class, trained
 * on first (two-step training) and kept in every later training phase.
 */
@FunctionalInterface
public interface Basics {

    /**
     * Basics for every class of {@code train}'s task, labelled like {@code train} (same
     * {@code numClasses}, same image shape). {@code rng} draws any random choice.
     */
    Dataset basics(Dataset train, Rng rng);

    /** The {@code perClass} most typical training examples of each class, by {@code rule} ({@link PrototypeBasics}). */
    static Basics prototypes(int perClass, PrototypeBasics.Rule rule) {
        if (perClass < 1) throw new IllegalArgumentException("basics per class must be >= 1, got " + perClass);
        return (train, rng) -> PrototypeBasics.select(train, perClass, rule, rng);
    }

    /**
     * The digits 0-9 rendered in every usable installed font, {@code copies} per glyph (the first
     * clean, the others jittered), as the EXPANSE authors typed them ({@link GlyphBasics}); for
     * digit datasets only.
     */
    static Basics glyphs(int copies) {
        if (copies < 1) throw new IllegalArgumentException("glyph copies must be >= 1, got " + copies);
        return (train, rng) -> GlyphBasics.render(copies, rng);
    }
}
