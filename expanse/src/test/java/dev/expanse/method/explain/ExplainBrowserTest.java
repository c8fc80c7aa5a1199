package dev.expanse.method.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.scenario.DataSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The page of {@code expanse explain} in a real browser: headless Chromium renders it, every
 * expected figure is there and not blank, the page logs no error and asks for nothing outside
 * itself, its source links lead to files of the checkout, and a screenshot is kept in
 * {@code target/explain-browser/} (CI keeps it as a build artifact). Outside CI the test is
 * skipped, saying so, when Chromium is missing; in CI a missing Chromium fails it.
 */
class ExplainBrowserTest {
    private static final Path DIR = Path.of("target", "explain-browser");

    /** Every figure a default (MLP) page must have, written out independently of the page code. */
    static List<String> expectedFigures() {
        List<String> ids = new ArrayList<>();
        List<String> matrices = List.of("dense1-weight", "dense2-weight", "head-weight");
        List<String> strategies = List.of("frozen-expanse", "published-expanse");
        for (String m : matrices) ids.add("before-" + m);
        for (String kind : List.of("expanded", "gradient", "trained", "difference")) {
            for (String s : strategies) for (String m : matrices) ids.add(kind + "-" + s + "-" + m);
        }
        ids.add("first-layer-source");
        ids.add("probes");
        for (String s : strategies) {
            ids.add("first-layer-" + s);
            ids.add("activations-" + s + "-relu1");
            ids.add("activations-" + s + "-relu2");
            ids.add("accuracy-" + s);
        }
        return ids;
    }

    // For each figure: its rendered and natural size, its caption, and whether its pixels hold more than one colour.
    private static final String FIGURES_SCRIPT = """
            Array.from(document.querySelectorAll('figure[data-figure]')).map(function (f) {
              var img = f.querySelector('img'), r = img.getBoundingClientRect(), colours = 0;
              if (img.complete && img.naturalWidth > 0) {
                var c = document.createElement('canvas');
                c.width = img.naturalWidth; c.height = img.naturalHeight;
                var g = c.getContext('2d');
                g.drawImage(img, 0, 0);
                var d = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();
                for (var i = 0; i < d.length && seen.size < 3; i += 4) seen.add(d[i] * 65536 + d[i + 1] * 256 + d[i + 2]);
                colours = seen.size;
              }
              var cap = f.querySelector('figcaption');
              return {id: f.dataset.figure, width: r.width, height: r.height, naturalWidth: img.naturalWidth,
                      colours: colours, caption: cap ? cap.textContent.trim() : ''};
            })
            """;

    @Test
    void thePageRendersEveryFigureOfflineWithoutErrors() throws Exception {
        if (!Files.isExecutable(Chromium.BINARY)) {
            if ("true".equals(System.getenv("CI"))) fail(Chromium.BINARY + " is missing in CI: scripts/setup.sh installs the Debian package chromium");
            Assumptions.abort("skipped outside CI: " + Chromium.BINARY + " is missing (scripts/setup.sh installs the Debian package chromium)");
        }
        Chromium.deleteTree(DIR);
        Path out = DIR.resolve("page");
        try (Backend be = CpuBackend.vector(2)) {
            ExplainConfig c = new ExplainConfig(ExplainConfig.Arch.MLP, DataSource.MNIST, true, 3, 2, 0.1);
            Explain.write(ExpansionRun.run(c, be, Progress.silent()), out, Explain.checkoutRoot());
        }
        Path page = out.resolve(Explain.PAGE);
        String html = Files.readString(page);
        checkSelfContained(html, out);
        Map<String, byte[]> inline = inlinePictures(html);
        for (String id : expectedFigures()) {
            byte[] file = Files.readAllBytes(out.resolve(Explain.FIGURES).resolve(id + ".png"));
            assertArrayEquals(file, inline.get(id), "figures/" + id + ".png is the picture the page shows");
            assertTrue(colours(file) > 1, id + ".png is not one flat colour");
        }

        Chromium.PageReport r;
        try (Chromium browser = new Chromium(Files.createDirectories(DIR.resolve("profile")).toAbsolutePath())) {
            r = browser.open(page.toAbsolutePath(), 1280, FIGURES_SCRIPT);
            checkTheHarnessSeesErrorsAndRequests(browser);
        }
        Files.write(DIR.resolve("explain.png"), r.screenshot());
        assertEquals(List.of(), r.errors(), "console errors");
        for (String url : r.requests()) {
            assertTrue(url.equals(page.toAbsolutePath().toUri().toString()) || url.startsWith("data:"), "a request outside the page: " + url);
        }
        TreeSet<String> shown = new TreeSet<>();
        for (JsonObject f : Chromium.objects(r.found())) {
            String id = f.get("id").getAsString();
            assertTrue(shown.add(id), "figure " + id + " appears once");
            assertTrue(f.get("width").getAsDouble() > 0 && f.get("height").getAsDouble() > 0, id + " has a size on the page: " + f);
            assertTrue(f.get("naturalWidth").getAsInt() > 0, id + " decoded: " + f);
            assertTrue(f.get("colours").getAsInt() > 1, id + " is not blank in the browser: " + f);
            assertTrue(f.get("caption").getAsString().length() > 20, id + " has a caption: " + f);
        }
        assertEquals(new TreeSet<>(expectedFigures()), shown, "the figures on the page");
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(r.screenshot()));
        assertTrue(shot.getWidth() == 1280 && shot.getHeight() > 5000, "a whole-page screenshot: " + shot.getWidth() + "x" + shot.getHeight());
    }

    /** No attribute refers outside the page, and every relative link (to the sources) names a file of the checkout. */
    private static void checkSelfContained(String html, Path out) {
        assertTrue(!html.contains("://"), "no absolute URL of any scheme in the page");
        Matcher m = Pattern.compile("\\b(src|href)=\"([^\"]*)\"").matcher(html);
        int links = 0;
        while (m.find()) {
            String v = m.group(2);
            if (v.startsWith("data:image/png;base64,") || v.startsWith("#")) continue;
            assertTrue(!v.startsWith("//") && !v.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*"), "a reference outside the page: " + v);
            assertTrue(Files.isRegularFile(out.resolve(v).normalize()), "the link " + v + " leads to a file of the checkout");
            links++;
        }
        assertTrue(links > 10, "the page links its sources (written inside the checkout): " + links + " links");
    }

    /** The figure id and bytes of every inline picture. */
    private static Map<String, byte[]> inlinePictures(String html) {
        Map<String, byte[]> out = new HashMap<>();
        Matcher m = Pattern.compile("data-figure=\"([^\"]+)\">\\s*<div class=\"frame\"><img alt=\"[^\"]*\" src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
        while (m.find()) out.put(m.group(1), Base64.getDecoder().decode(m.group(2)));
        return out;
    }

    private static int colours(byte[] png) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight() && seen.size() < 2; y++) {
            for (int x = 0; x < img.getWidth() && seen.size() < 2; x++) seen.add(img.getRGB(x, y));
        }
        return seen.size();
    }

    /** The same checks on a page that breaks both rules must find both breaks, or the checks above prove nothing. */
    private static void checkTheHarnessSeesErrorsAndRequests(Chromium browser) throws Exception {
        Path bad = DIR.resolve("bad.html").toAbsolutePath();
        Files.writeString(bad, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\">"
                + "<script>console.error('planted error')</script></body></html>");
        Chromium.PageReport r = browser.open(bad, 400, "document.images.length");
        assertTrue(r.errors().stream().anyMatch(e -> e.contains("planted error")), "the planted console error is seen: " + r.errors());
        assertTrue(r.requests().contains("http://127.0.0.1:9/x.png"), "the planted request is seen: " + r.requests());
    }
}
