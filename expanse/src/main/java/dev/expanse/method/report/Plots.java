package dev.expanse.method.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the reports, drawn headless with XChart. */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * A line chart of one curve per series against epochs 1, 2, ..., values scaled by 100.
     *
     * @param series name to values (one per epoch); series may have different lengths
     * @return PNG bytes
     */
    public static byte[] curves(String title, String yLabel, Map<String, double[]> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch").yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisDecimalPattern("0").setYAxisDecimalPattern("0.0")
                .setLegendPosition(Styler.LegendPosition.InsideSE).setChartBackgroundColor(Color.WHITE);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] y = e.getValue();
            if (y.length == 0) continue;
            double[] x = new double[y.length], ys = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                x[i] = i + 1;
                ys[i] = 100 * y[i];
            }
            chart.addSeries(e.getKey(), x, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * A heat map with a cell per (row, column), labelled with its value in percent.
     *
     * @param values {@code [rows][cols]} in [0, 1]
     * @return PNG bytes
     */
    public static byte[] heatMap(String title, List<String> rows, List<String> cols, double[][] values) throws IOException {
        HeatMapChart chart = new HeatMapChartBuilder().width(300 + 180 * cols.size()).height(140 + 45 * rows.size())
                .title(title).build();
        chart.getStyler().setLegendVisible(false);
        return heatMapPng(chart, rows, cols, values);
    }

    // ------------------------------------------------------------------ streams

    /** Fixed colours of the known strategies, so a strategy looks the same in every plot and report. */
    private static final Map<String, Color> COLORS = Map.of(
            "scratch", new Color(0x7F7F7F),
            "naive", new Color(0xD62728),
            "fine-tune", new Color(0xFF7F0E),
            "lwf", new Color(0x9467BD),
            "ewc", new Color(0x8C564B),
            "feature-extraction", new Color(0xE377C2),
            "progressive", new Color(0xBCBD22),
            "published-expanse", new Color(0x17BECF),
            "frozen-expanse", new Color(0x0033CC));

    /** The strategy drawn to stand out: the method under study. */
    private static final String HIGHLIGHT = "frozen-expanse";

    /**
     * The colour of a strategy in every plot: a fixed one for the known ids, otherwise one derived
     * from the id's hash (the same on every run, since {@link String#hashCode} is specified).
     */
    static Color color(String strategyId) {
        Color c = COLORS.get(strategyId);
        if (c != null) return c;
        int h = strategyId.hashCode() & 0x7FFFFFFF;
        // Hue from the hash; saturation and brightness fixed so the fallback stays readable on white.
        return Color.getHSBColor((h % 360) / 360f, 0.65f, 0.70f);
    }

    /**
     * Accuracy along a stream: x = experience 1, 2, ..., one line per strategy (mean over seeds) in
     * the strategy's {@link #color}, with a translucent band of mean ± sd. NaN points are left out;
     * a strategy with a single defined point (joint training) shows as one marker.
     *
     * @param means strategy to mean per experience, in [0, 1] (scaled by 100)
     * @param sds   strategy to sd per experience, in [0, 1]; a strategy may be missing (no band)
     * @return PNG bytes
     */
    public static byte[] streamCurves(String title, String xLabel, String yLabel, Map<String, double[]> means,
                                      Map<String, double[]> sds) throws IOException {
        // Stream titles are long (experiences, mode, widths, rehearsal): widen the chart rather than clip them.
        int width = Math.max(1000, 10 * title.length() + 40);
        XYChart chart = new XYChartBuilder().width(width).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        int t = means.values().stream().mapToInt(a -> a.length).max().orElse(1);
        XYStyler st = chart.getStyler();
        st.setYAxisDecimalPattern("0");
        st.setXAxisMin(0.75);
        st.setXAxisMax(t + 0.25);
        st.setYAxisMin(0.0);
        st.setYAxisMax(100.0);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        // Experiences are whole numbers; XChart widens the tick spacing until this pattern loses no decimals.
        st.setXAxisDecimalPattern("0");
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        // Bands first, so every line is drawn over every band.
        for (Map.Entry<String, double[]> e : means.entrySet()) {
            double[] sd = sds.get(e.getKey());
            if (sd != null) addBands(chart, e.getKey(), e.getValue(), sd);
        }
        for (Map.Entry<String, double[]> e : means.entrySet()) {
            String id = e.getKey();
            List<double[]> pts = new ArrayList<>();
            double[] y = e.getValue();
            for (int i = 0; i < y.length; i++) if (!Double.isNaN(y[i])) pts.add(new double[] {i + 1, 100 * y[i]});
            if (pts.isEmpty()) continue;
            double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray(), ys = pts.stream().mapToDouble(p -> p[1]).toArray();
            Color c = color(id);
            XYSeries s = chart.addSeries(id, xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(c);
            s.setLineColor(c);
            s.setLineWidth(id.equals(HIGHLIGHT) ? 3.5f : 1.6f);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** One polygon (mean + sd forward, mean - sd back) per run of consecutive defined points with some spread. */
    private static void addBands(XYChart chart, String id, double[] mean, double[] sd) {
        Color c = color(id);
        Color fill = new Color(c.getRed(), c.getGreen(), c.getBlue(), 45);
        int band = 0;
        int i = 0;
        while (i < mean.length) {
            if (!defined(mean, sd, i)) {
                i++;
                continue;
            }
            int start = i;
            while (i < mean.length && defined(mean, sd, i)) i++;
            int n = i - start;
            boolean spread = false;
            for (int k = start; k < i; k++) spread |= sd[k] > 0;
            if (n < 2 || !spread) continue; // a single point or one seed: nothing to shade
            double[] xs = new double[2 * n], ys = new double[2 * n];
            for (int k = 0; k < n; k++) {
                xs[k] = start + k + 1;
                ys[k] = 100 * (mean[start + k] + sd[start + k]);
                xs[2 * n - 1 - k] = start + k + 1;
                ys[2 * n - 1 - k] = 100 * (mean[start + k] - sd[start + k]);
            }
            // Series names must be unique in a chart; the band never shows in the legend anyway.
            XYSeries s = chart.addSeries(id + " ± sd" + (band++ == 0 ? "" : " " + band), xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            s.setMarker(SeriesMarkers.NONE);
            s.setFillColor(fill);
            s.setLineColor(fill);
            s.setShowInLegend(false);
        }
    }

    private static boolean defined(double[] mean, double[] sd, int i) {
        return i < sd.length && !Double.isNaN(mean[i]) && !Double.isNaN(sd[i]);
    }

    /**
     * A heat map with axis titles and a colour bar, a cell per (row, column) labelled with its
     * value in percent; NaN cells are left empty.
     *
     * @param values {@code [rows][cols]} in [0, 1]
     * @return PNG bytes
     */
    public static byte[] heatMap(String title, String xTitle, String yTitle, List<String> rows, List<String> cols,
                                 double[][] values) throws IOException {
        int width = Math.max(420 + 150 * cols.size(), 10 * title.length() + 40); // room for the title, not clipped
        HeatMapChart chart = new HeatMapChartBuilder().width(width).height(200 + 50 * rows.size())
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(true).setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setAxisTitlesVisible(true);
        return heatMapPng(chart, rows, cols, values);
    }

    /** Both heat maps' colours and cells (in percent, NaN left empty), encoded as PNG. */
    private static byte[] heatMapPng(HeatMapChart chart, List<String> rows, List<String> cols, double[][] values) throws IOException {
        chart.getStyler().setShowValue(true).setMin(0).setMax(100).setHeatMapValueDecimalPattern("0.0")
                .setRangeColors(new Color[] {new Color(0xFFFFE5), new Color(0xADDD8E), new Color(0x41AB5D)})
                .setValueFontColor(Color.BLACK).setChartBackgroundColor(Color.WHITE).setPlotContentSize(0.95);
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < cols.size(); j++) {
                if (Double.isNaN(values[i][j])) continue;
                // y categories run upwards: the first row goes at the top.
                cells.add(new Number[] {j, rows.size() - 1 - i, 100 * values[i][j]});
            }
        }
        chart.addSeries("accuracy %", cols, reversed(rows), cells);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static List<String> reversed(List<String> l) {
        List<String> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }
}
