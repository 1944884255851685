package dev.grpo4j.core.train.listener;

import dev.grpo4j.core.train.StepMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the reward and KL curves of a run into a PNG with XChart when training ends: reward (and
 * its moving average) on the top panel, KL on the bottom one. Steps without a KL value (beta = 0)
 * leave the KL panel out.
 */
public final class ChartWriter implements GrpoListener {

    private final Path file;
    private final String title;

    /**
     * Creates the writer.
     *
     * @param file the PNG to write (its directory is created)
     * @param title the chart title
     */
    public ChartWriter(Path file, String title) {
        this.file = file;
        this.title = title;
    }

    @Override
    public void onTrainingEnd(List<StepMetrics> history) {
        write(history);
    }

    /**
     * Writes the chart for the given history now.
     *
     * @param history the steps to plot
     */
    public void write(List<StepMetrics> history) {
        if (history.isEmpty()) {
            return;
        }
        List<Double> steps = new ArrayList<>();
        List<Double> reward = new ArrayList<>();
        List<Double> klSteps = new ArrayList<>();
        List<Double> kl = new ArrayList<>();
        for (StepMetrics m : history) {
            m.get("reward")
                    .ifPresent(
                            r -> {
                                steps.add((double) m.step());
                                reward.add(r);
                            });
            m.get("kl")
                    .ifPresent(
                            k -> {
                                klSteps.add((double) m.step());
                                kl.add(k);
                            });
        }
        if (steps.isEmpty()) {
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            XYChart rewards = chart(title + ": reward", "reward");
            rewards.addSeries("reward", steps, reward).setMarker(SeriesMarkers.NONE);
            rewards.addSeries("moving average (20)", steps, movingAverage(reward, 20))
                    .setMarker(SeriesMarkers.NONE);
            if (kl.isEmpty()) {
                BitmapEncoder.saveBitmap(rewards, stripPng(file), BitmapEncoder.BitmapFormat.PNG);
            } else {
                XYChart kls = chart(title + ": KL to reference", "kl");
                kls.addSeries("kl", klSteps, kl).setMarker(SeriesMarkers.NONE);
                BitmapEncoder.saveBitmap(
                        List.of(rewards, kls),
                        2,
                        1,
                        stripPng(file),
                        BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + file, e);
        }
    }

    private static XYChart chart(String title, String yLabel) {
        XYChart c =
                new XYChartBuilder()
                        .width(900)
                        .height(360)
                        .title(title)
                        .xAxisTitle("step")
                        .yAxisTitle(yLabel)
                        .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        // Step numbers without grouping separators, and ticks far enough apart that four-digit
        // labels do not run into each other.
        c.getStyler().setXAxisDecimalPattern("#");
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        return c;
    }

    static List<Double> movingAverage(List<Double> values, int window) {
        List<Double> out = new ArrayList<>(values.size());
        double sum = 0;
        for (int i = 0; i < values.size(); i++) {
            sum += values.get(i);
            if (i >= window) {
                sum -= values.get(i - window);
            }
            out.add(sum / Math.min(i + 1, window));
        }
        return out;
    }

    /** XChart appends the extension itself. */
    private static String stripPng(Path p) {
        String s = p.toString();
        return s.endsWith(".png") ? s.substring(0, s.length() - 4) : s;
    }
}
