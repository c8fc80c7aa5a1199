package dev.expanse.method.explain;

/**
 * One picture of the page, also written as {@code figures/<id>.png}.
 *
 * @param id      file name without ".png", and the HTML id; lower case, digits, '-' and '.'
 * @param alt     what it shows, in words (the image's alt text)
 * @param png     the PNG bytes
 * @param caption HTML under it: what it shows and which code did it
 */
public record Figure(String id, String alt, byte[] png, String caption) {
    public Figure {
        if (!id.matches("[a-z0-9][a-z0-9.-]*")) throw new IllegalArgumentException("bad figure id '" + id + "'");
        if (png.length < 24) throw new IllegalArgumentException("figure '" + id + "': not a PNG");
    }

    /** The picture's width in pixels, from the PNG header (IHDR, bytes 16-19, big-endian). */
    public int width() {
        return (png[16] & 0xff) << 24 | (png[17] & 0xff) << 16 | (png[18] & 0xff) << 8 | (png[19] & 0xff);
    }
}
