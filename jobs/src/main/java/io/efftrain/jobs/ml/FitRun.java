package io.efftrain.jobs.ml;

import io.efftrain.jobs.RunReports;
import io.efftrain.jobs.report.RunReport;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.run.MetricsLog;
import io.efftrain.pipeline.run.RunDirectory;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.trainers.loop.MetricsRecorder;
import io.efftrain.trainers.loop.ProgressPrinter;
import io.efftrain.trainers.loop.TrainingState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The run directory of one estimator fit, when {@code runsDirectory} is set: {@code config.conf},
 * {@code metrics.jsonl}, {@code summary.json} and {@code report.html} with its plots, as {@code efftrain run}
 * writes them, committed when the fit succeeds and removed when it fails. Each fit gets a folder of its own
 * ({@code <uid>-<UTC time>}), so a CrossValidator's fits do not overwrite one another.
 */
final class FitRun implements AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private final RunDirectory dir;
    private final MetricsLog metrics;
    private final EfftrainConfig config;
    private boolean committed;

    private FitRun(RunDirectory dir, MetricsLog metrics, EfftrainConfig config) {
        this.dir = dir;
        this.metrics = metrics;
        this.config = config;
    }

    /** The {@code runsDirectory} param of both estimators ('' = no run directory). */
    static Param<String> param(Params owner) {
        return new Param<>(owner, "runsDirectory", "a local folder in which every fit writes a run directory of its "
                + "own (config.conf, metrics.jsonl, summary.json, report.html); '' = none");
    }

    /** A fit of {@code uid} with {@code config}, recorded under {@code runsDirectory} unless it is empty. */
    static FitRun open(String runsDirectory, String uid, EfftrainConfig config, Clock clock) {
        if (runsDirectory == null || runsDirectory.isEmpty()) {
            return new FitRun(null, null, config);
        }
        RunDirectory dir = RunDirectory.create(Path.of(runsDirectory).resolve(uid + "-" + STAMP.format(
                clock.instant())), false);
        dir.writeAtomically("config.conf", config.render());
        return new FitRun(dir, new MetricsLog(dir.resolve("metrics.jsonl")), config);
    }

    /** The fit's callbacks: progress lines on standard error, and the metrics rows when there is a directory. */
    List<TrainingCallback<TrainingState>> callbacks(Ticker ticker) {
        List<TrainingCallback<TrainingState>> callbacks = new ArrayList<>();
        callbacks.add(new ProgressPrinter(System.err, ticker, config.train().progressInterval()));
        if (metrics != null) {
            callbacks.add(new MetricsRecorder(metrics));
        }
        return callbacks;
    }

    /**
     * Writes summary.json ({@code training} as {@code run} writes it, plus {@code estimator}: what the fit adds,
     * such as training errors) and the report, and commits the directory.
     *
     * @return the committed directory, or null when the fit records none
     */
    String commit(TrainingState trained, int workers, Map<String, Object> estimator) {
        if (dir == null) {
            return null;
        }
        metrics.close();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("training", RunReports.training(trained, config.train().evaluation().split(), workers));
        summary.put("estimator", estimator);
        dir.writeAtomically("summary.json", Json.pretty(summary));
        RunReport.write(dir.staging());
        dir.commit();
        committed = true;
        return dir.target().toString();
    }

    @Override
    public void close() {
        if (dir == null) {
            return;
        }
        if (!committed) {
            metrics.close();
            dir.abandon();
        }
        dir.close();
    }
}
