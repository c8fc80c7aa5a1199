package dev.expanse.method.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's stream table is the results page's headline, as {@code scripts/readme-table.sh}
 * copies it: a rerun of the suite that changes a number fails here until the README is regenerated.
 */
class ReadmeStreamsTableTest {
    private static final String BEGIN = "<!-- streams:begin -->\n", END = "<!-- streams:end -->";

    @Test
    void theReadmeShowsTheHeadlineOfTheResultsPage() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        String headline = Files.readString(Path.of("../docs/streams/headline.md"));
        int b = readme.indexOf(BEGIN), e = readme.indexOf(END);
        assertTrue(b >= 0 && e > b, "README.md has the stream table's markers");
        assertTrue(headline.startsWith("| stream | strategy |") && headline.lines().count() > 2, headline);
        assertEquals(headline, readme.substring(b + BEGIN.length(), e), "run scripts/readme-table.sh");
    }
}
