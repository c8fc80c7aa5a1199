package dev.expanse.method.explain;

import java.util.Base64;
import java.util.List;

/**
 * The page as one self-contained HTML file: every picture is a {@code data:} PNG, the style and
 * the one small script are inline, and nothing refers to another file or host, so it opens
 * offline and can be mailed around.
 */
final class ExplainPage {
    private ExplainPage() {
    }

    private static final String CSS = """
            :root { --ink: #191919; --muted: #5a5a5a; --rule: #d8d8d8; --paper: #ffffff; --tint: #f6f6f3; }
            * { box-sizing: border-box; }
            body { margin: 0; background: var(--paper); color: var(--ink);
                   font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
            main { max-width: 1720px; margin: 0 auto; padding: 24px 28px 64px; }
            h1 { font-size: 26px; margin: 0 0 4px; }
            h2 { font-size: 20px; margin: 40px 0 8px; padding-top: 12px; border-top: 1px solid var(--rule); }
            p { max-width: 860px; margin: 8px 0; }
            code { font: 13px/1.4 "DejaVu Sans Mono", ui-monospace, monospace; background: var(--tint); padding: 0 3px; border-radius: 3px; }
            a { color: #1f5fa8; }
            pre { font: 12px/1.35 "DejaVu Sans Mono", ui-monospace, monospace; background: var(--tint);
                  padding: 10px 12px; overflow-x: auto; border-radius: 4px; }
            nav ul { columns: 2; max-width: 760px; margin: 8px 0; padding-left: 0; list-style: none; }
            .lead { color: var(--muted); margin-bottom: 12px; }
            .row { display: flex; flex-wrap: wrap; gap: 18px 28px; align-items: flex-start; margin: 14px 0; overflow-x: auto; }
            figure { margin: 0; flex: 0 0 auto; max-width: 100%; width: max(var(--w), 320px); }
            figure img { display: block; width: var(--w); max-width: 100%; height: auto; border: 1px solid var(--rule);
                         image-rendering: pixelated; cursor: zoom-in; }
            figure.zoom, figure.zoom img { width: calc(2 * var(--w)); max-width: none; }
            figure.zoom img { cursor: zoom-out; }
            figcaption { font-size: 13.5px; color: var(--muted); margin-top: 6px; max-width: 620px; }
            .legend { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 13px; color: var(--muted); margin: 10px 0; }
            .legend span { display: inline-flex; align-items: center; gap: 6px; }
            .sw { width: 16px; height: 12px; display: inline-block; border: 1px solid #bbb; }
            .sw.neg { background: #2166ac; } .sw.pos { background: #b2182b; } .sw.zero { background: #fff; }
            .sw.spare { background: repeating-linear-gradient(135deg, #e8e8e8 0 4px, #c4c4c4 4px 5px); }
            .sw.frozen { border: 2px solid #191919; background: #fff; }
            .sw.old { border: 1.5px dashed #5a5a5a; background: #fff; }
            .sw.grad { background: #e6550d; }
            table { border-collapse: collapse; font: 12px/1.3 "DejaVu Sans Mono", ui-monospace, monospace; margin: 8px 0 4px; }
            th, td { border: 1px solid var(--rule); padding: 3px 6px; text-align: right; vertical-align: top; white-space: nowrap; }
            th { background: var(--tint); font-family: system-ui, "DejaVu Sans", sans-serif; font-weight: 600; }
            td.same { background: #eef7ee; } td.diff { background: #fbeaea; }
            .tables { display: flex; flex-wrap: wrap; gap: 24px; }
            .tables > div { flex: 1 1 100%; min-width: 0; overflow-x: auto; }
            td.l, th.l { text-align: left; }
            h3 { font-size: 15px; margin: 14px 0 4px; }
            """;

    // Click a picture to see it twice as large (cells of the 784-column matrices are one pixel wide).
    private static final String SCRIPT = """
            document.querySelectorAll('figure img').forEach(function (img) {
              img.addEventListener('click', function () { img.closest('figure').classList.toggle('zoom'); });
            });
            """;

    /** The whole page: a title, a lead paragraph and a legend, a table of contents, then every section. */
    static String render(String title, String lead, List<Section> sections) {
        StringBuilder b = new StringBuilder(1 << 20);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // No request of any kind: pictures are inline, and the policy forbids anything else.
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>").append(Html.escape(title)).append("</h1>\n").append(lead).append(legend()).append(contents(sections));
        for (Section s : sections) section(b, s);
        b.append("</main>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static String legend() {
        return """
                <div class="legend"><span><i class="sw neg"></i>negative weight</span><span><i class="sw pos"></i>positive weight</span>\
                <span><i class="sw zero"></i>exactly zero</span><span><i class="sw spare"></i>spare capacity (in the buffer, not in the matrix)</span>\
                <span><i class="sw frozen"></i>frozen block</span><span><i class="sw old"></i>old block (before expansion)</span>\
                <span><i class="sw grad"></i>received a gradient</span></div>
                """;
    }

    private static String contents(List<Section> sections) {
        StringBuilder b = new StringBuilder("<nav><ul>\n");
        for (Section s : sections) b.append("<li><a href=\"#").append(s.id()).append("\">").append(Html.escape(s.heading())).append("</a></li>\n");
        return b.append("</ul></nav>\n").toString();
    }

    private static void section(StringBuilder b, Section s) {
        b.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(Html.escape(s.heading())).append("</h2>\n").append(s.intro());
        for (List<Figure> row : s.rows()) {
            b.append("<div class=\"row\">\n");
            for (Figure f : row) figure(b, f);
            b.append("</div>\n");
        }
        b.append(s.after()).append("</section>\n");
    }

    private static void figure(StringBuilder b, Figure f) {
        // Each picture is shown at its own size (its text stays readable); pairs stand side by side when the window is wide enough.
        b.append("<figure style=\"--w:").append(f.width()).append("px\" id=\"").append(f.id()).append("\" data-figure=\"").append(f.id()).append("\">\n<div class=\"frame\"><img alt=\"")
                .append(Html.escape(f.alt())).append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(f.png()))
                .append("\"></div>\n<figcaption>").append(f.caption()).append("</figcaption>\n</figure>\n");
    }
}
