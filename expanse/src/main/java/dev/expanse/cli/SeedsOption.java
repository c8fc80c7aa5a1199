package dev.expanse.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** {@code --seeds}: one run per seed, results summarised over them. */
final class SeedsOption {

    @Option(names = "--seeds", split = ",", paramLabel = "SEED",
            description = "Comma-separated seeds; results are mean ± sd over them. Default: ${DEFAULT-VALUE}")
    List<Long> seeds = List.of(1L, 2L, 3L);

    /** The seeds, checked: at least one, none twice. */
    List<Long> get() {
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: give at least one seed");
        if (seeds.stream().distinct().count() != seeds.size()) throw new IllegalArgumentException("--seeds: a seed repeats in " + seeds);
        return seeds;
    }

    /** As {@link #get()}, as an array. */
    long[] array() {
        return get().stream().mapToLong(Long::longValue).toArray();
    }
}
