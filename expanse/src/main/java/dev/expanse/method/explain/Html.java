package dev.expanse.method.explain;

/** HTML text helpers. */
final class Html {
    private Html() {
    }

    /** {@code s} with the five characters HTML gives meaning to escaped. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A paragraph of already-escaped HTML. */
    static String p(String html) {
        return "<p>" + html + "</p>\n";
    }
}
