package dev.expanse.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.fuzz.FuzzRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during saves: the target is always absent or whole, and temporary files do not pile up.
 * 60 kills in the ordinary build (about 15 s); the fuzz profile sets {@code expanse.fuzz.kills}.
 */
class AtomicFileKillTest {

    @Test
    void killsLeaveNoCorruptFileAndNoLeftovers(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("expanse.fuzz.kills", 60);
        KillTrial.Result r = KillTrial.run(dir, kills, 13);
        FuzzRun.report("kills", "### kill -9 during saves\n\n" + r.line() + "\n");
        assertEquals(0, r.corrupt(), r.line());
        assertEquals(kills, r.absent() + r.whole(), r.line());
        assertEquals(0, r.tempsAfterNextSave(), r.line());
        assertTrue(r.leftTemporary() > 0, "no kill landed inside a save, the trial tests nothing: " + r.line());
    }
}
