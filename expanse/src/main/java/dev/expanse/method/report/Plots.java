package dev.expanse.method.report;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
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
        chart.getStyler().setShowValue(true).setMin(0).setMax(100).setHeatMapValueDecimalPattern("0.0")
                .setRangeColors(new Color[] {new Color(0xFFFFE5), new Color(0xADDD8E), new Color(0x41AB5D)})
                .setValueFontColor(Color.BLACK).setChartBackgroundColor(Color.WHITE)
                .setPlotContentSize(0.95).setLegendVisible(false);
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < cols.size(); j++) {
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
