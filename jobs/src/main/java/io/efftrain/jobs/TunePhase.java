package io.efftrain.jobs;

import io.efftrain.pipeline.budget.Ticker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * A rung's trials as Spark tasks, in the pattern of Deep Incubation's module phase: every trial is a Spark job of
 * one task, submitted from its own driver thread, so as many trials train at once as there are task slots, and
 * each reads its blocks where it runs. A failed trial fails the tune (a diverged one is a result, not a failure).
 */
final class TunePhase {
    private TunePhase() {
    }

    /** Runs the trials on at most {@code slots} tasks at once; returns their results in trial order. */
    static List<TuneTrialResult> onTasks(JavaSparkContext jsc, List<TuneTrial> trials, int slots,
                                         PrintStream progress) {
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, Math.min(slots, trials.size())), r -> {
            Thread t = new Thread(r, "efftrain-tune-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<TuneTrialResult>> futures = new ArrayList<>();
            for (TuneTrial trial : trials) {
                futures.add(threads.submit(() -> {
                    jsc.setJobGroup("efftrain-tune-" + TuneTrial.name(trial.trial(), trial.rung()),
                            "efftrain tune trial " + trial.trial() + ", rung " + trial.rung(), false);
                    TuneTrialResult result = jsc.parallelize(List.of(trial), 1).map(new RunTrial()).collect().get(0);
                    TuneJob.printResult(progress, result);
                    TuneJob.saveResult(result, java.nio.file.Path.of(trial.directory()));
                    return result;
                }));
            }
            List<TuneTrialResult> results = new ArrayList<>();
            for (Future<TuneTrialResult> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    // Spark throws its (checked) SparkException from collect() without declaring it.
                    Throwable cause = e.getCause();
                    throw cause instanceof RuntimeException r ? r : new IllegalStateException("a tune trial failed: "
                            + cause, cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the tune's trials", e);
                }
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    /** The task body. */
    private static final class RunTrial implements Function<TuneTrial, TuneTrialResult> {
        private static final long serialVersionUID = 1L;

        @Override
        public TuneTrialResult call(TuneTrial trial) {
            return TuneTrialRunner.onTask(trial, Ticker.system());
        }
    }

    /** A short form of a result for progress lines. */
    static String describe(TuneTrialResult r) {
        return r.diverged() != null ? "diverged"
                : String.format(Locale.ROOT, "validation accuracy %.4f", r.validationAccuracy());
    }
}
