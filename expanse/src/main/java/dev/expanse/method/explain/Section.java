package dev.expanse.method.explain;

import java.util.List;

/**
 * One numbered part of the page: a heading, prose, rows of figures (figures of one row stand side
 * by side, e.g. frozen EXPANSE beside published EXPANSE), and optional HTML after them (tables).
 *
 * @param id    the HTML anchor
 * @param intro HTML paragraphs before the figures
 * @param rows  rows of figures
 * @param after HTML after the figures, or ""
 */
public record Section(String id, String heading, String intro, List<List<Figure>> rows, String after) {

    /** Every figure, row by row. */
    public List<Figure> figures() {
        return rows.stream().flatMap(List::stream).toList();
    }
}
