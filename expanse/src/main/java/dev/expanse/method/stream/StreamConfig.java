package dev.expanse.method.stream;

import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Transfer;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * One stream run's settings.
 *
 * @param stream    the experiences
 * @param net       the network family and its widths for the first experience ({@link NetSpec#source()})
 * @param growth    how every trunk layer grows before each later experience (strategies that expand)
 * @param rehearsal which earlier images the rehearsing strategies see again
 * @param mode      class-incremental ({@link Transfer.Mode#GROW_HEAD}: one head grows, no task id at
 *                  test time) or task-incremental ({@link Transfer.Mode#NEW_HEAD}: a head per
 *                  experience, the task id given)
 * @param hyper     training settings: the first experience trains as a source (basics, then basics
 *                  and data), each later one for {@link Hyper#targetEpochs()}
 * @param fixtures  the committed fixtures instead of the full datasets
 * @param router    class-incremental: after each experience, rehearsing strategies train a small
 *                  router that tells the experiences apart, and predictions combine it with each
 *                  experience's own logits ({@link Router})
 */
public record StreamConfig(StreamSpec stream, NetSpec net, Growth growth, Rehearsal rehearsal, Transfer.Mode mode,
                           Hyper hyper, boolean fixtures, boolean router) implements Serializable {

    public StreamConfig {
        growth.next(net.source()); // checks the number of layers now, not after the first experience
        if (router && mode != Transfer.Mode.GROW_HEAD) {
            throw new IllegalArgumentException("--router: a router chooses between the experiences of one growing head; task-incremental runs are told the experience");
        }
    }

    /** These settings without a router. */
    public StreamConfig(StreamSpec stream, NetSpec net, Growth growth, Rehearsal rehearsal, Transfer.Mode mode, Hyper hyper,
                        boolean fixtures) {
        this(stream, net, growth, rehearsal, mode, hyper, fixtures, false);
    }

    /** True for class-incremental evaluation. */
    public boolean classIncremental() {
        return mode == Transfer.Mode.GROW_HEAD;
    }

    /** Trunk widths while experience {@code i} trains, for the strategies that expand. */
    public int[] widths(int i) {
        int[] w = net.source();
        for (int k = 0; k < i; k++) w = growth.next(w);
        return w;
    }

    /** The expansion before experience {@code i} >= 1: from the widths of {@code i - 1} to those of {@code i}. */
    public NetSpec expansion(int i) {
        return new NetSpec(net.kind(), widths(i - 1), widths(i), net.progressive());
    }

    /** From the first widths to the last: what the first network reserves room for, and joint training's size. */
    public NetSpec whole() {
        return new NetSpec(net.kind(), widths(0), widths(stream.size() - 1), net.progressive());
    }

    /** "class-incremental" or "task-incremental". */
    public String modeName() {
        return classIncremental() ? "class-incremental" : "task-incremental";
    }

    /** A file-name-safe id, e.g. "split-mnist-mlp-class-b2000". */
    public String id() {
        return stream.id() + "-" + net.kind().name().toLowerCase(Locale.ROOT) + "-" + (classIncremental() ? "class" : "task")
                + "-" + rehearsal.id() + (router ? "-router" : "");
    }

    /** For plots: "split-mnist, class-incremental, mlp, buffer 2000", marked "(fixtures)" when so. */
    public String shortTitle() {
        return stream.id() + ", " + modeName() + ", " + net.kind().name().toLowerCase(Locale.ROOT) + ", " + rehearsal
                + (router ? ", router" : "") + (fixtures ? " (fixtures)" : "");
    }

    /** For reports: "split-mnist (...), class-incremental, mlp [300, 200] grown +200,+100 per experience, buffer 2000". */
    public String title() {
        return stream.title() + ", " + modeName() + ", " + net.kind().name().toLowerCase(Locale.ROOT) + " "
                + Arrays.toString(net.source()) + " grown " + growth + " per experience, " + rehearsal
                + (router ? ", router" : "") + (fixtures ? " (fixtures)" : "");
    }
}
