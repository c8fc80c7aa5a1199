package dev.expanse.method.explain;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Links from the page to the source files that did what a picture shows. When the page is
 * written inside the checkout the links are relative (they work offline, in a browser or a Git
 * host's file view); elsewhere the page shows each file's path in the checkout as text, since a
 * relative link would point nowhere and an absolute one would break when the page is moved.
 */
final class CodeLinks {
    static final String PARAMETER = "engine/src/main/java/dev/expanse/engine/Parameter.java";
    static final String FROZEN_BLOCK = "kernels/src/main/java/dev/expanse/kernels/FrozenBlock.java";
    static final String SEQUENTIAL = "engine/src/main/java/dev/expanse/engine/nn/Sequential.java";
    static final String DENSE = "engine/src/main/java/dev/expanse/engine/nn/Dense.java";
    static final String CONV2D = "engine/src/main/java/dev/expanse/engine/nn/Conv2d.java";
    static final String LINEAR = "engine/src/main/java/dev/expanse/engine/ops/Linear.java";
    static final String CONV = "engine/src/main/java/dev/expanse/engine/ops/Conv.java";
    static final String OPTIMIZER = "engine/src/main/java/dev/expanse/engine/optim/Optimizer.java";
    static final String ADAM = "engine/src/main/java/dev/expanse/engine/optim/Adam.java";
    static final String CPU_OPTIMIZERS = "kernels/src/main/java/dev/expanse/kernels/cpu/CpuOptimizers.java";
    static final String TAPE = "engine/src/main/java/dev/expanse/engine/Tape.java";
    static final String TRAINER = "engine/src/main/java/dev/expanse/engine/train/Trainer.java";
    static final String MULTI_HEAD = "expanse/src/main/java/dev/expanse/method/strategy/MultiHeadNet.java";
    static final String FROZEN_EXPANSE = "expanse/src/main/java/dev/expanse/method/strategy/FrozenExpanse.java";
    static final String PUBLISHED_EXPANSE = "expanse/src/main/java/dev/expanse/method/strategy/PublishedExpanse.java";
    static final String NET_SPEC = "expanse/src/main/java/dev/expanse/method/strategy/NetSpec.java";
    static final String ACCURACY_MATRIX = "expanse/src/main/java/dev/expanse/method/metrics/AccuracyMatrix.java";
    static final String GEMM_INVARIANCE = "kernels/src/test/java/dev/expanse/kernels/cpu/CpuGemmGrowthInvarianceTest.java";
    static final String METHOD_RESULTS = "docs/method-results.md";
    static final String EXPANSION_RUN = "expanse/src/main/java/dev/expanse/method/explain/ExpansionRun.java";

    private final String prefix; // relative path from the page's folder to the checkout, or null

    private CodeLinks(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Links for a page written into {@code outDir}: relative when {@code outDir} lies inside the
     * checkout {@code root} (the folder holding this project's sources), text otherwise, or when
     * {@code root} is null.
     */
    static CodeLinks forPage(Path outDir, Path root) {
        if (root == null) return new CodeLinks(null);
        Path out = outDir.toAbsolutePath().normalize(), r = root.toAbsolutePath().normalize();
        if (!out.startsWith(r)) return new CodeLinks(null);
        String rel = out.relativize(r).toString().replace('\\', '/');
        return new CodeLinks(rel.isEmpty() ? "" : rel + "/");
    }

    /** The checkout above the working directory (the first folder that holds this project's Parameter.java), or null. */
    static Path findRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(PARAMETER))) return p;
        }
        return null;
    }

    /** True when the links are relative links into the checkout. */
    boolean linked() {
        return prefix != null;
    }

    /** {@code name} in code type, linked to {@code file} (a path in the checkout) when possible. */
    String code(String file, String name) {
        if (prefix == null) return "<code title=\"" + file + "\">" + Html.escape(name) + "</code>";
        return "<a href=\"" + prefix + file + "\"><code>" + Html.escape(name) + "</code></a>";
    }

    /** The file itself: its path, linked when possible. */
    String file(String file) {
        return prefix == null ? "<code>" + file + "</code>" : "<a href=\"" + prefix + file + "\"><code>" + file + "</code></a>";
    }
}
