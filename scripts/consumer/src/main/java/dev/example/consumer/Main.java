package dev.example.consumer;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Batch;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Backends;
import java.util.Locale;

/**
 * Builds an MLP 16-8-3, trains it on one batch of seeded random data and prints the loss before
 * and after; exits with 1 unless the loss fell.
 */
public final class Main {
    public static void main(String[] args) {
        Rng rng = new Rng(7);
        int n = 32;
        float[] x = new float[n * 16];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat();
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(3);
        Dataset data = Dataset.of(x, y, 1, 4, 4, 3);
        Batch batch = data.batches(n, null).iterator().next();
        try (Backend be = Backends.select("cpu")) {
            Sequential net = Architectures.mlp(be, rng.fork("init"), 16, new int[] {8}, 3);
            Adam adam = new Adam(net::parameters, 0.02f);
            float first = Trainer.step(net, adam, batch).loss(), last = first;
            for (int s = 1; s < 50; s++) last = Trainer.step(net, adam, batch).loss();
            System.out.printf(Locale.ROOT, "consumer %s: module %s, MLP 16-8-3, loss %.4f -> %.4f after 50 steps%n",
                    last < first ? "ok" : "FAILED", Trainer.class.getModule().getName(), first, last);
            if (!(last < first)) System.exit(1);
        }
    }
}
