package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.error.EfftrainException;
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
 * Phase 2 on Spark: every module is a Spark job of one task, submitted from its own driver thread, so the K tasks
 * run at once on the executors' free task slots (or one after another when not parallel). One job per module
 * rather than one job of K tasks keeps failures apart: a module whose task fails is resubmitted alone and resumes
 * from its checkpoint, while the other modules keep running, on any master (Spark's local[N] master never
 * retries a task, and aborting a K-task job would cancel the healthy modules). Spark's own task retries
 * (spark.task.maxFailures on clusters) happen inside each job first.
 */
public final class ModulePhase {
    private ModulePhase() {
    }

    /**
     * Runs the tasks; returns their results in task order. Fails (after the others finished) when a module still
     * fails after {@code attempts} submissions; committed modules stay committed for a resumed run.
     */
    public static List<ModuleResult> run(JavaSparkContext jsc, List<ModuleTask> tasks, boolean parallel, int attempts,
                                         ModuleTaskListener listener, PrintStream progress) {
        ExecutorService threads = Executors.newFixedThreadPool(parallel ? Math.max(1, tasks.size()) : 1, r -> {
            Thread t = new Thread(r, "efftrain-module");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ModuleResult>> futures = new ArrayList<>();
            for (ModuleTask task : tasks) {
                futures.add(threads.submit(() -> runWithRetries(jsc, task, attempts, listener, progress)));
            }
            List<ModuleResult> results = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<ModuleResult> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
                    failure = failure == null ? cause : failure;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the module tasks", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private static ModuleResult runWithRetries(JavaSparkContext jsc, ModuleTask task, int attempts,
                                               ModuleTaskListener listener, PrintStream progress) {
        for (int submission = 1; ; submission++) {
            try {
                jsc.setJobGroup("efftrain-incubation-module-" + task.module(),
                        "Deep Incubation module " + task.module(), false);
                progress.printf(Locale.ROOT, "[modules] module %d: task submitted (submission %d of at most %d)%n",
                        task.module(), submission, attempts);
                ModuleResult result = jsc.parallelize(List.of(task), 1).map(new RunModule(listener)).collect().get(0);
                progress.printf(Locale.ROOT, "[modules] module %d: done, %d steps in %.1f s (attempt %d)%n",
                        task.module(), result.steps(), result.trainingSeconds(), result.attempts());
                return result;
            } catch (Exception failure) {
                // Spark throws its (checked) SparkException from collect() without declaring it.
                // A bad config or input fails the same way every time: retrying would only hide it.
                if (submission >= attempts || causedByKnownError(failure)) {
                    throw failure instanceof RuntimeException r ? r : new IllegalStateException("module "
                            + task.module() + " failed " + submission + " time(s): " + rootMessage(failure), failure);
                }
                progress.printf(Locale.ROOT, "[modules] module %d failed (%s); resubmitting it alone, it resumes from "
                        + "its checkpoint%n", task.module(), rootMessage(failure));
            }
        }
    }

    private static boolean causedByKnownError(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof EfftrainException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    /** The task body. */
    private static final class RunModule implements Function<ModuleTask, ModuleResult> {
        private static final long serialVersionUID = 1L;
        private final ModuleTaskListener listener;

        RunModule(ModuleTaskListener listener) {
            this.listener = listener;
        }

        @Override
        public ModuleResult call(ModuleTask task) {
            return ModuleRunner.run(task, listener, Ticker.system());
        }
    }
}
