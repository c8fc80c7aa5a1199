package dev.expanse.cli;

/**
 * A command that checks all its options, output paths included, before any work: its
 * {@code call()} starts with {@link #check()}, which loads no data, opens no backend and trains
 * nothing. The argument fuzzer runs only this part of each command.
 */
interface Checked {
    /** @throws IllegalArgumentException naming the option and what is wrong with its value */
    void check();
}
