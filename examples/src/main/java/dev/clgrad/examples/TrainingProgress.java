package dev.clgrad.examples;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One epoch's progress bar (batches done, batches/s, ETA and the recent loss), drawn by
 * {@code me.tongfei:progressbar}. On a terminal it redraws one line in place; when the output is
 * not a terminal (a pipe, a CI log, {@code mvn exec:exec} without a console) it prints a plain
 * line every few seconds instead, which a log keeps readable.
 */
final class TrainingProgress implements AutoCloseable {
    /** Seconds between plain lines: a 10-second epoch leaves a few lines in a log. */
    private static final int PLAIN_INTERVAL_MS = 3000;
    /** Weight of the newest batch in the loss shown, an exponential moving average. */
    private static final double SMOOTHING = 0.05;

    private final ProgressBar bar;
    private double smoothedLoss = Double.NaN;

    TrainingProgress(String task, int batches, PrintStream plainOut) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(batches)
                .setUnit(" batches", 1)
                .showSpeed(new DecimalFormat("0.0"))
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setStyle(ProgressBarStyle.ASCII);
        if (System.console() == null) {
            builder.setConsumer(new DelegatingProgressBarConsumer(new PlainLines(plainOut), 100))
                    .setUpdateIntervalMillis(PLAIN_INTERVAL_MS);
        }
        bar = builder.build();
    }

    /** Counts one batch whose loss was {@code loss}. */
    void step(double loss) {
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : (1 - SMOOTHING) * smoothedLoss + SMOOTHING * loss;
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", smoothedLoss));
        bar.step();
    }

    @Override
    public void close() {
        bar.close();
    }

    /** Prints each rendering as a line, except one identical to the line before (closing renders twice). */
    private static final class PlainLines implements Consumer<String> {
        private final PrintStream out;
        private String last;

        PlainLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void accept(String line) {
            String trimmed = line.stripTrailing();
            if (!trimmed.equals(last)) {
                out.println(trimmed);
                last = trimmed;
            }
        }
    }
}
