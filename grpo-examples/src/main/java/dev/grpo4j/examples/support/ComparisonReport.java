package dev.grpo4j.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Compares runs of an estimator and its GRPO baseline on one metric: per-step curves (any number of
 * named series, e.g. "gigpo" and "grpo"), a CSV and a PNG chart of them, and the {@code FINAL} line
 * every comparison example ends with:
 *
 * <pre>
 * FINAL method=&lt;final metric of the estimator&gt; baseline=&lt;same for GRPO&gt; metric=&lt;name&gt; steps=&lt;n&gt; seconds=&lt;wall&gt;
 * </pre>
 *
 * The "final" value of a series is the mean of its last {@code window} points, so one noisy step
 * does not decide the comparison.
 */
public final class ComparisonReport {

    private final String metric;
    private final int window;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    /**
     * Creates a report.
     *
     * @param metric the compared metric's name, e.g. {@code success_rate}
     * @param window how many final points the reported value averages
     */
    public ComparisonReport(String metric, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1 but was " + window);
        }
        this.metric = metric;
        this.window = window;
    }

    /**
     * Adds a point to a series.
     *
     * @param name the series, e.g. "gigpo"
     * @param x the step (or sample count)
     * @param value the metric's value there
     */
    public void add(String name, double x, double value) {
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {x, value});
    }

    /**
     * The mean of the last {@code window} points of a series.
     *
     * @param name the series
     * @return the final value
     * @throws IllegalArgumentException if the series is empty
     */
    public double finalValue(String name) {
        List<double[]> points = series.get(name);
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("no points for series '" + name + "'");
        }
        int n = Math.min(window, points.size());
        double sum = 0;
        for (int i = points.size() - n; i < points.size(); i++) {
            sum += points.get(i)[1];
        }
        return sum / n;
    }

    /**
     * The {@code FINAL} line.
     *
     * @param method the estimator's series
     * @param baseline the GRPO baseline's series
     * @param steps the training steps of each run
     * @param seconds the wall time of the whole example
     * @return the line
     */
    public String finalLine(String method, String baseline, int steps, double seconds) {
        return String.format(
                Locale.ROOT,
                "FINAL method=%.4f baseline=%.4f metric=%s steps=%d seconds=%.1f",
                finalValue(method),
                finalValue(baseline),
                metric,
                steps,
                seconds);
    }

    /**
     * Writes {@code <stem>.csv} (columns {@code series,x,<metric>}) and {@code <stem>.png} into a
     * directory.
     *
     * @param directory where to write (created if needed)
     * @param stem the file name without extension
     * @param title the chart title
     * @param xLabel the x axis label
     */
    public void write(Path directory, String stem, String title, String xLabel) {
        try {
            Files.createDirectories(directory);
            StringBuilder csv = new StringBuilder("series,x," + metric + "\n");
            for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
                for (double[] p : e.getValue()) {
                    csv.append(e.getKey())
                            .append(',')
                            .append(p[0])
                            .append(',')
                            .append(p[1])
                            .append('\n');
                }
            }
            Files.writeString(directory.resolve(stem + ".csv"), csv, StandardCharsets.UTF_8);
            XYChart chart =
                    new XYChartBuilder()
                            .width(900)
                            .height(480)
                            .title(title)
                            .xAxisTitle(xLabel)
                            .yAxisTitle(metric)
                            .build();
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (double[] p : e.getValue()) {
                    xs.add(p[0]);
                    ys.add(p[1]);
                }
                chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.NONE);
            }
            BitmapEncoder.saveBitmap(
                    chart, directory.resolve(stem).toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the comparison to " + directory, e);
        }
    }
}
