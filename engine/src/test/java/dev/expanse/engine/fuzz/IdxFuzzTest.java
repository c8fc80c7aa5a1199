package dev.expanse.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IDX reader against mutated files: every input succeeds or fails with an
 * IdxFormatException naming the file. 3000 inputs in the ordinary build; the fuzz profile
 * ({@code scripts/fuzz.sh}) runs 10^5 under {@code -Xmx512m}.
 */
class IdxFuzzTest {

    @Test
    void everyMutatedFileIsReadOrRefusedAsDocumented(@TempDir Path dir) throws Exception {
        int n = FuzzRun.inputs(3000);
        Tally t = FileFuzz.run(new IdxFormat(), n, 1, () -> FuzzRun.workFile(dir));
        FuzzRun.report(t);
        assertEquals(n, t.total());
        assertEquals(0, t.count(Outcome.Kind.UNEXPECTED), t.markdown());
        assertTrue(t.count(Outcome.Kind.DOCUMENTED) > n / 2 && t.count(Outcome.Kind.SUCCESS) > 0, t.markdown());
    }
}
