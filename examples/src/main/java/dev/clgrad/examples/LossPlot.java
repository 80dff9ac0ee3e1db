package dev.clgrad.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The trainer's loss curve as a PNG, drawn by XChart: each batch's loss, the same smoothed (an
 * exponential moving average with weight 0.05 on the newest batch, bias-corrected), and each
 * epoch's mean.
 */
final class LossPlot {
    /** Weight of the newest batch in the smoothed curve, an exponential moving average. */
    private static final double SMOOTHING = 0.05;

    private LossPlot() {
    }

    /**
     * Writes the curve of {@code batchLosses} (all epochs in order, {@code batchesPerEpoch} each)
     * and the epoch means {@code epochLosses} to {@code file}, with epochs on the x axis.
     */
    static void write(List<Double> batchLosses, List<Double> epochLosses, int batchesPerEpoch, String title, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        int n = batchLosses.size();
        double[] x = new double[n];
        double[] raw = new double[n];
        double[] smooth = new double[n];
        double average = 0;
        for (int i = 0; i < n; i++) {
            x[i] = (i + 1) / (double) batchesPerEpoch;
            raw[i] = batchLosses.get(i);
            // a moving average from zero, divided by its weight so far, so that it does not lag at the start
            average = (1 - SMOOTHING) * average + SMOOTHING * raw[i];
            smooth[i] = average / (1 - Math.pow(1 - SMOOTHING, i + 1));
        }
        double[] ex = new double[epochLosses.size()];
        double[] ey = new double[epochLosses.size()];
        for (int e = 0; e < ex.length; e++) {
            ex[e] = e + 0.5;   // a mean over the whole epoch, drawn at its middle
            ey[e] = epochLosses.get(e);
        }
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title)
                .xAxisTitle("epoch").yAxisTitle("cross-entropy loss").build();
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setXAxisDecimalPattern("0.##");
        XYSeries batches = chart.addSeries("per batch", x, raw);
        batches.setMarker(SeriesMarkers.NONE);
        batches.setLineColor(new java.awt.Color(180, 200, 230));
        chart.addSeries("per batch, smoothed", x, smooth).setMarker(SeriesMarkers.NONE);
        chart.addSeries("epoch mean", ex, ey).setMarker(SeriesMarkers.CIRCLE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
