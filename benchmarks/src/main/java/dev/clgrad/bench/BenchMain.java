package dev.clgrad.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.CommandLineOptionException;

/** Runs the JMH benchmarks; arguments are JMH's own (e.g. a benchmark name regex, {@code -p device=cpu}). */
public final class BenchMain {
    private BenchMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new CommandLineOptions(args)).run();
    }
}
