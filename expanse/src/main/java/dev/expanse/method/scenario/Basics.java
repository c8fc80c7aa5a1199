package dev.expanse.method.scenario;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.kernels.Backend;
import dev.expanse.method.basics.GlyphBasics;
import dev.expanse.method.basics.PrototypeBasics;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where the "basics" come from: a small set of clean, prototypical examples of every class, trained
 * on first (two-step training) and kept in every later training phase.
 */
@FunctionalInterface
public interface Basics {

    /**
     * Basics for every class of {@code train}'s task, labelled like {@code train} (same
     * {@code numClasses}, same image shape). {@code rng} draws any random choice; a rule that
     * trains a model trains it on {@code be}.
     */
    Dataset basics(Dataset train, Rng rng, Backend be);

    /**
     * The {@code perClass} most typical training examples of each class, by {@code rule}
     * ({@link PrototypeBasics}, which rejects {@code perClass < 1}).
     */
    static Basics prototypes(int perClass, PrototypeBasics.Rule rule) {
        return (train, rng, be) -> PrototypeBasics.select(train, perClass, rule, rng, be);
    }

    /**
     * The digits 0-9 rendered in every usable installed font, {@code copies} per glyph (the first
     * clean, the others jittered), as the EXPANSE authors typed them ({@link GlyphBasics}); for
     * digit datasets only. {@link GlyphBasics} rejects {@code copies < 1}.
     */
    static Basics glyphs(int copies) {
        return (train, rng, be) -> GlyphBasics.render(copies, rng);
    }

    /** The kinds of basics a run can ask for by name. */
    enum Kind {
        /** Glyphs for MNIST, nearest-mean prototypes for any other dataset. */
        AUTO,
        /** {@link #glyphs}: rendered digits, for MNIST only. */
        GLYPHS,
        /** {@link #prototypes} by {@link PrototypeBasics.Rule#NEAREST_MEAN}. */
        NEAREST_MEAN,
        /** {@link #prototypes} by {@link PrototypeBasics.Rule#CONFIDENT_LINEAR}. */
        CONFIDENT_LINEAR;

        /** The spelling on the command line: auto, glyphs, nearest-mean, confident-linear. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * The kind spelt {@code name} (see {@link #cliName()}).
         *
         * @throws IllegalArgumentException listing the kinds if there is none
         */
        public static Kind parse(String name) {
            for (Kind k : values()) if (k.cliName().equals(name)) return k;
            throw new IllegalArgumentException("unknown basics '" + name + "'; basics are "
                    + Arrays.stream(values()).map(Kind::cliName).toList());
        }

        /**
         * The basics of this kind for a task of {@code data}.
         *
         * @param perClass   examples per class of the prototype rules
         * @param glyphCopies copies per rendered glyph
         * @throws IllegalArgumentException for glyphs on a dataset that is not of digits
         */
        public Basics of(DataSource data, int perClass, int glyphCopies) {
            return switch (this) {
                case AUTO -> (data == DataSource.MNIST ? GLYPHS : NEAREST_MEAN).of(data, perClass, glyphCopies);
                case GLYPHS -> {
                    if (data != DataSource.MNIST) {
                        throw new IllegalArgumentException("glyph basics are rendered digits: they suit mnist, not "
                                + data.id() + " (use a prototype rule there)");
                    }
                    yield glyphs(glyphCopies);
                }
                case NEAREST_MEAN -> prototypes(perClass, PrototypeBasics.Rule.NEAREST_MEAN);
                case CONFIDENT_LINEAR -> prototypes(perClass, PrototypeBasics.Rule.CONFIDENT_LINEAR);
            };
        }
    }
}
