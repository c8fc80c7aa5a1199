package dev.expanse.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file reader against mutated files: every input succeeds or fails as its format documents
 * (an IdxFormatException or a CheckpointException naming the file). 3000 inputs per reader in the
 * ordinary build; the fuzz profile ({@code scripts/fuzz.sh}) runs 10^5 under {@code -Xmx512m}.
 */
class FileFormatFuzzTest {

    static Stream<FileFormat> formats() {
        return Stream.of(new IdxFormat(), new CheckpointFormat());
    }

    @ParameterizedTest
    @MethodSource("formats")
    void everyMutatedFileIsReadOrRefusedAsDocumented(FileFormat format, @TempDir Path dir) throws Exception {
        int n = FuzzRun.inputs(3000);
        Tally t = FileFuzz.run(format, n, 1, () -> FuzzRun.workFile(dir));
        FuzzRun.report(t);
        assertEquals(n, t.total());
        assertEquals(0, t.count(Outcome.Kind.UNEXPECTED), t.markdown());
        assertTrue(t.count(Outcome.Kind.DOCUMENTED) > n / 2 && t.count(Outcome.Kind.SUCCESS) > 0, t.markdown());
    }
}
