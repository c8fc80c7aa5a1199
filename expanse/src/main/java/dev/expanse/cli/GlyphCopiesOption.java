package dev.expanse.cli;

import picocli.CommandLine.Option;

/** {@code --glyph-copies}: how many images of each rendered digit the glyph basics hold. */
final class GlyphCopiesOption {

    @Option(names = "--glyph-copies", paramLabel = "N",
            description = "Glyph basics: copies of each rendered digit (the first clean, the others jittered). Default: ${DEFAULT-VALUE}")
    int copies = 2;
}
