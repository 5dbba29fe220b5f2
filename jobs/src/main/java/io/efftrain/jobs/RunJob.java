package io.efftrain.jobs;

import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.feed.ExampleBlocks;
import io.efftrain.jobs.report.RunReport;
import io.efftrain.pipeline.budget.StopReason;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.CurriculumSettings;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.Columns;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.run.MetricsLog;
import io.efftrain.pipeline.run.RunDirectory;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.sampling.scores.ScoreColumns;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.SparkBlockSet;
import io.efftrain.trainers.checkpoint.Checkpoint;
import io.efftrain.trainers.checkpoint.CheckpointStore;
import io.efftrain.trainers.checkpoint.CheckpointWriter;
import io.efftrain.trainers.loop.MetricsRecorder;
import io.efftrain.trainers.loop.ProgressPrinter;
import io.efftrain.trainers.loop.TrainingState;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code efftrain run}: prepare, train and evaluate in one Spark application, committing a complete run
 * directory (config, metrics, summary, manifest, model, then {@code _SUCCESS}) or nothing.
 */
public final class RunJob {
    private final Clock clock;
    private final Ticker ticker;
    private final PrintStream progress;

    public RunJob(Clock clock, Ticker ticker, PrintStream progress) {
        this.clock = clock;
        this.ticker = ticker;
        this.progress = progress;
    }

    /**
     * What a committed run reports.
     *
     * @param testAccuracy accuracy on the test split
     * @param runDir the committed run directory
     * @param missedTarget a target accuracy was set and the budget ended before it was reached
     */
    public record Outcome(double testAccuracy, Path runDir, boolean missedTarget) {
    }

    /**
     * The training split as blocks, in curriculum order (easiest first by the configured score, or hardest first
     * for an anti-curriculum) when a curriculum is on: the curriculum algorithm draws prefixes of each block.
     */
    static JavaRDD<ExampleBlock> trainBlocks(SparkSession spark, EfftrainConfig config, PreparedData data,
                                                     Path dataDir, int workers) {
        Dataset<Row> train = CanonicalTables.readSplit(spark, data.tablePath(), PrepareStage.TRAIN);
        CurriculumSettings curriculum = config.sampling().curriculum();
        if (!curriculum.enabled()) {
            return ExampleBlocks.of(train, workers, data.manifest().decoder(), config.data().feed().blockMemory());
        }
        Dataset<Row> scores = spark.read().parquet(SamplingStages.scoresPath(config, dataDir))
                .select(functions.col(Columns.ID), ScoreColumns.hardness(curriculum.score()).as("hardness"));
        return ExampleBlocks.ordered(train.join(scores, Columns.ID), functions.col("hardness"), !curriculum.anti(),
                workers, data.manifest().decoder(), config.data().feed().blockMemory());
    }

    public Outcome run(RunOptions options) {
        EfftrainConfig config = ConfigLoader.load(options.config(), options.overrides());
        config.model().requireClassification("run");
        if (config.incubation().enabled()) {
            return new IncubateJob(clock, ticker, progress, io.efftrain.trainers.incubation.ModuleTaskListener.NONE)
                    .run(options, config);
        }
        Path target = options.runDir() != null ? options.runDir() : RunFiles.defaultDirectory(config.run().name(), clock);
        if (options.skipIfDone()) {
            Optional<Outcome> done = RunFiles.completedWithSameConfig(target, config);
            if (done.isPresent()) {
                progress.println("[run] " + target + " already holds this run (same config): nothing to train");
                return done.get();
            }
        }
        if (options.resume() && !RunDirectory.hasUnfinishedRun(target)) {
            progress.println("[resume] " + target + " has no unfinished run to resume; starting a new run");
        }
        RunDirectory runDir = RunDirectory.create(target, options.overwrite(), options.resume());
        CheckpointStore checkpoints = new CheckpointStore(runDir.resolve("checkpoint"));
        try {
            return runIn(runDir, config, options, checkpoints);
        } catch (Throwable failure) {
            // Throwable: Spark's SparkException is checked but thrown undeclared, and must not leave the staging
            // directory behind either.
            if (!Files.exists(checkpoints.file())) {
                runDir.abandon();
            }
            throw failure;
        } finally {
            runDir.close();
        }
    }

    private Outcome runIn(RunDirectory runDir, EfftrainConfig config, RunOptions options, CheckpointStore checkpoints) {
        RunFiles.checkResumableWith(runDir, options, config);
        runDir.writeAtomically("config.conf", config.render());
        Optional<Checkpoint> resume = options.resume() ? checkpoints.load() : Optional.empty();
        long start = ticker.nanos();
        Map<String, Double> stages = new LinkedHashMap<>();

        SparkSession spark = SparkSessions.start("efftrain run " + config.run().name(), config.spark());
        progress.println("[run] " + runDir.target() + " on " + spark.sparkContext().master());
        long t = ticker.nanos();
        PreparedData data = SamplingStages.apply(spark, config,
                PrepareStage.run(spark, config, runDir.resolve("data/canonical").toUri().toString()),
                runDir.resolve("data"), ticker, progress);
        stages.put("prepare", RunFiles.seconds(ticker.nanos() - t));
        progress.printf(Locale.ROOT, "[prepare] %s examples in %.1f s%n", data.countsBySplit(), stages.get("prepare"));

        t = ticker.nanos();
        int workers = config.train().workers().orElse(spark.sparkContext().defaultParallelism());
        Trainer trainer = new Trainer(config, data.shape(), data.classCount());
        SparkBlockSet train = new SparkBlockSet(trainBlocks(spark, config, data, runDir.resolve("data"), workers));
        HeldOutSplits heldOut = HeldOutSplits.load(spark, data, config.train().evaluation().split(), workers);
        stages.put("load", RunFiles.seconds(ticker.nanos() - t));
        TrainingState trained;
        t = ticker.nanos();
        Path metricsFile = runDir.resolve("metrics.jsonl");
        resume.ifPresent(c -> {
            MetricsLog.truncate(metricsFile, c.time().rounds());
            progress.printf(Locale.ROOT, "[train] resuming from the checkpoint of round %d (step %d, %.2f epochs)%n",
                    c.time().rounds(), c.time().steps(), c.time().epochs());
        });
        List<TrainingAlgorithm<TrainingState>> algorithms = resume.map(Checkpoint::algorithms)
                .orElseGet(trainer::driverAlgorithms);
        try (MetricsLog metrics = new MetricsLog(metricsFile)) {
            trained = trainer.train(train, Optional.of(heldOut.duringTraining()), ticker, algorithms, List.of(new MetricsRecorder(metrics),
                    new ProgressPrinter(progress, ticker, config.train().progressInterval()),
                    new CheckpointWriter(checkpoints, config.train().checkpointEveryRounds(), algorithms)), resume);
        } finally {
            train.release();
        }
        stages.put("train", RunFiles.seconds(ticker.nanos() - t));
        if (trained.stopReason().orElse(null) == StopReason.TERMINATED) {
            throw new EfftrainException(ExitCode.TERMINATED, "stopped by a termination signal after round "
                    + trained.time().rounds() + " (step " + trained.time().steps() + "); its checkpoint is in "
                    + runDir.staging() + ". Run the same command with --resume to continue.");
        }

        t = ticker.nanos();
        EvaluationCounts evaluation = heldOut.finalTestEvaluation(trainer, trained);
        // The final model on the validation split: what tune judges a trial by, so a best.conf rerun can be
        // compared with the trial it came from.
        Double validationAccuracy = heldOut.split() != io.efftrain.pipeline.config.EvaluationSplit.VALIDATION ? null
                : trained.evaluationOfCurrentModel().map(io.efftrain.trainers.loop.EvaluationPoint::counts)
                        .orElseGet(() -> trainer.evaluate(heldOut.duringTraining(), trained.model())).accuracy();
        heldOut.release();
        stages.put("evaluate", RunFiles.seconds(ticker.nanos() - t));

        RunProvenance provenance = RunProvenance.of(config, data, spark, options, clock.instant());
        RunFiles.saveModel(trainer, trained, provenance, runDir.resolve("model.zip"));
        double total = RunFiles.seconds(ticker.nanos() - start);
        Map<String, Object> summary = RunReports.summary(trained, heldOut.split(), evaluation, stages, total, workers);
        summary.put("resumed_from_round", resume.map(c -> c.time().rounds()).orElse(null));
        if (validationAccuracy != null) {
            summary.put("validation_accuracy", validationAccuracy);
        }
        summary.put("train_feed", train.feedSummary());
        runDir.writeAtomically("summary.json", Json.pretty(summary));
        runDir.writeAtomically("manifest.json", provenance.toJson());
        // The checkpoint exists to survive a kill; a committed run has its model in model.zip.
        RunFiles.deleteTree(checkpoints.file().getParent());
        RunReport.write(runDir.staging());
        runDir.commit();
        boolean missedTarget = config.train().evaluation().targetAccuracy().isPresent()
                && trained.stopReason().orElse(null) != StopReason.TARGET_REACHED;
        return new Outcome(evaluation.accuracy(), runDir.target(), missedTarget);
    }
}
