package io.efftrain.jobs;

import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.feed.ExampleBlocks;
import io.efftrain.jobs.report.RunReport;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.run.MetricsLog;
import io.efftrain.pipeline.run.RunDirectory;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.averaging.SparkBlockSet;
import io.efftrain.trainers.checkpoint.Checkpoint;
import io.efftrain.trainers.checkpoint.CheckpointStore;
import io.efftrain.trainers.checkpoint.CheckpointWriter;
import io.efftrain.trainers.incubation.IncubationModels;
import io.efftrain.trainers.incubation.ModulePhase;
import io.efftrain.trainers.incubation.ModuleResult;
import io.efftrain.trainers.incubation.ModuleRunner;
import io.efftrain.trainers.incubation.ModuleTask;
import io.efftrain.trainers.incubation.ModuleTaskListener;
import io.efftrain.trainers.incubation.ModuleTasks;
import io.efftrain.trainers.incubation.PhaseConfig;
import io.efftrain.trainers.incubation.StageParameters;
import io.efftrain.trainers.loop.MetricsRecorder;
import io.efftrain.trainers.loop.ProgressPrinter;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.StagedGraphs.StagedGraph;
import io.efftrain.trainers.network.NetworkSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code efftrain incubate} (and {@code run} with incubation.enabled): Deep Incubation of the configured target in
 * one Spark application. Phase 1 trains the meta model with the parameter-averaging trainer, phase 2 runs one
 * module task per stage ({@link ModulePhase}), phase 3 assembles the trained stages and fine-tunes the target with
 * the trainer. The run directory is committed like {@code run}'s, with {@code incubation/} holding the meta model's
 * metrics and each module's trained stage and result. Each phase's finished work survives a kill: {@code --resume}
 * skips a trained meta model and committed modules and continues the rest from their checkpoints.
 */
public final class IncubateJob {
    private final Clock clock;
    private final Ticker ticker;
    private final PrintStream progress;
    private final ModuleTaskListener listener;

    /**
     * @param listener observes module tasks on the executors ({@link ModuleTaskListener#NONE} outside tests)
     */
    public IncubateJob(Clock clock, Ticker ticker, PrintStream progress, ModuleTaskListener listener) {
        this.clock = clock;
        this.ticker = ticker;
        this.progress = progress;
        this.listener = listener;
    }

    /** {@code incubate}: the options of {@code run}, with incubation switched on in the saved config. */
    public RunJob.Outcome run(RunOptions options) {
        List<String> overrides = new ArrayList<>(options.overrides());
        overrides.add("incubation.enabled=true");
        RunOptions incubating = new RunOptions(options.config(), options.runDir(), List.copyOf(overrides),
                options.overwrite(), options.resume());
        return run(incubating, ConfigLoader.load(incubating.config(), incubating.overrides()));
    }

    /** Runs {@code config} (already loaded from {@code options}). */
    RunJob.Outcome run(RunOptions options, EfftrainConfig config) {
        config.model().requireClassification("incubate");
        Path target = options.runDir() != null ? options.runDir() : RunFiles.defaultDirectory(config.run().name(), clock);
        if (options.resume() && !RunDirectory.hasUnfinishedRun(target)) {
            progress.println("[resume] " + target + " has no unfinished run to resume; starting a new run");
        }
        RunDirectory runDir = RunDirectory.create(target, options.overwrite(), options.resume());
        try {
            return runIn(runDir, config, options);
        } catch (Throwable failure) {
            // Throwable: Spark's SparkException is checked but thrown undeclared, and must not leave the staging
            // directory behind either.
            if (!Files.exists(runDir.resolve("incubation"))) {
                runDir.abandon();
            }
            throw failure;
        } finally {
            runDir.close();
        }
    }

    private RunJob.Outcome runIn(RunDirectory runDir, EfftrainConfig config, RunOptions options) {
        RunFiles.checkResumableWith(runDir, options, config);
        if (config.model().type() != io.efftrain.pipeline.config.ModelType.RESNET
                || config.model().resnetStageChannels().size() < 3) {
            throw EfftrainException.badConfig("incubation: the target must be model.type = resnet with at least 3 "
                    + "entries in model.resnet.stage-channels (one module each); it is " + config.model().type()
                    .name().toLowerCase(Locale.ROOT) + " with " + config.model().resnetStageChannels() + ".");
        }
        runDir.writeAtomically("config.conf", config.render());
        long start = ticker.nanos();
        Map<String, Double> stages = new LinkedHashMap<>();
        SparkSession spark = SparkSessions.start("efftrain incubate " + config.run().name(), config.spark());
        progress.println("[incubate] " + runDir.target() + " on " + spark.sparkContext().master());
        long t = ticker.nanos();
        PreparedData data = SamplingStages.apply(spark, config,
                PrepareStage.run(spark, config, runDir.resolve("data/canonical").toUri().toString()),
                runDir.resolve("data"), ticker, progress);
        stages.put("prepare", RunFiles.seconds(ticker.nanos() - t));

        t = ticker.nanos();
        int workers = config.train().workers().orElse(spark.sparkContext().defaultParallelism());
        SparkBlockSet train = new SparkBlockSet(ExampleBlocks.of(
                CanonicalTables.readSplit(spark, data.tablePath(), PrepareStage.TRAIN), workers,
                data.manifest().decoder(), config.data().feed().blockMemory()));
        HeldOutSplits heldOut = HeldOutSplits.load(spark, data, config.train().evaluation().split(), workers);
        SparkBlockSet test = heldOut.test();
        stages.put("load", RunFiles.seconds(ticker.nanos() - t));

        IncubationModels models = IncubationModels.of(config, data.shape(), data.classCount());
        Path incubation = runDir.resolve("incubation");
        StagedGraph meta = models.meta();

        t = ticker.nanos();
        Phase1 phase1 = trainMeta(config, data, meta, train, heldOut, incubation.resolve("meta"));
        stages.put("meta", RunFiles.seconds(ticker.nanos() - t));

        t = ticker.nanos();
        List<ModuleResult> modules = trainModules(spark, config, data, models, meta, phase1.model(), incubation);
        stages.put("modules", RunFiles.seconds(ticker.nanos() - t));

        t = ticker.nanos();
        StagedGraph targetGraph = models.target();
        List<StageParameters> trained = new ArrayList<>();
        for (int s = 0; s < models.stages(); s++) {
            trained.add(StageParameters.load(ModuleTasks.directory(incubation, s).resolve(ModuleRunner.STAGE_FILE)));
        }
        ParameterState assembled = IncubationModels.assemble(targetGraph, trained);
        EfftrainConfig fineConfig = PhaseConfig.of(config, PhaseConfig.FINE_TUNE);
        Trainer fine = new Trainer(fineConfig, data.shape(), NetworkSpec.of(targetGraph.configuration()));
        EvaluationCounts before = fine.evaluate(test, assembled);
        progress.printf(Locale.ROOT, "[assemble] %d stages into the target: test accuracy %.4f before fine-tuning%n",
                models.stages(), before.accuracy());
        stages.put("assemble", RunFiles.seconds(ticker.nanos() - t));

        t = ticker.nanos();
        CheckpointStore checkpoints = new CheckpointStore(runDir.resolve("checkpoint"));
        Optional<Checkpoint> resume = options.resume() ? checkpoints.load() : Optional.empty();
        Path metricsFile = runDir.resolve("metrics.jsonl");
        resume.ifPresent(c -> MetricsLog.truncate(metricsFile, c.time().rounds()));
        List<TrainingAlgorithm<TrainingState>> algorithms = resume.map(Checkpoint::algorithms)
                .orElseGet(fine::driverAlgorithms);
        TrainingState tuned;
        try (MetricsLog metrics = new MetricsLog(metricsFile)) {
            progress.println("[fine-tune] the assembled target, end to end");
            tuned = fine.train(train, Optional.of(heldOut.duringTraining()), ticker, algorithms, List.of(new MetricsRecorder(metrics),
                    new ProgressPrinter(progress, ticker, config.train().progressInterval()),
                    new CheckpointWriter(checkpoints, config.train().checkpointEveryRounds(), algorithms)), resume,
                    Optional.of(assembled));
        } finally {
            train.release();
        }
        stages.put("fine_tune", RunFiles.seconds(ticker.nanos() - t));

        t = ticker.nanos();
        EvaluationCounts after = heldOut.finalTestEvaluation(fine, tuned);
        heldOut.release();
        stages.put("evaluate", RunFiles.seconds(ticker.nanos() - t));

        RunProvenance provenance = RunProvenance.of(config, data, spark, options, clock.instant());
        RunFiles.saveModel(fine, tuned, provenance, runDir.resolve("model.zip"));
        double total = RunFiles.seconds(ticker.nanos() - start);
        Map<String, Object> summary = RunReports.summary(tuned, heldOut.split(), after, stages, total, workers);
        summary.put("method", "incubation");
        summary.put("resumed_from_round", resume.map(c -> c.time().rounds()).orElse(null));
        summary.put("incubation", IncubationReport.of(config, fine.newNetwork().params().length(), phase1.report(),
                modules, stages, before, after, tuned));
        runDir.writeAtomically("summary.json", Json.pretty(summary));
        runDir.writeAtomically("manifest.json", provenance.toJson());
        RunFiles.deleteTree(checkpoints.file().getParent());
        RunFiles.deleteTree(incubation.resolve("meta/checkpoint"));
        for (int s = 0; s < models.stages(); s++) {
            RunFiles.deleteTree(ModuleTasks.directory(incubation, s).resolve("checkpoint"));
        }
        RunReport.write(runDir.staging());
        runDir.commit();
        progress.printf(Locale.ROOT, "[incubate] test accuracy %.4f (assembled %.4f before fine-tuning) in %.1f s%n",
                after.accuracy(), before.accuracy(), total);
        return new RunJob.Outcome(after.accuracy(), runDir.target(), false);
    }

    /**
     * What phase 1 left: the trained meta model and its report.
     *
     * @param model the meta model's parameters
     * @param report its summary entry
     */
    private record Phase1(ParameterState model, Map<String, Object> report) {
    }

    /**
     * Phase 1, or its committed result when a resumed run already finished it. The meta model is evaluated as the
     * run's config asks (train.evaluation), so a long phase 1 shows its accuracy curve as it trains.
     */
    private Phase1 trainMeta(EfftrainConfig config, PreparedData data, StagedGraph meta, SparkBlockSet train,
                             HeldOutSplits heldOut, Path dir) {
        CheckpointStore done = new CheckpointStore(dir.resolve("trained"));
        Path report = dir.resolve("result.json");
        if (Files.exists(report) && done.load().isPresent()) {
            progress.println("[meta] already trained (resumed run): " + dir);
            return new Phase1(done.load().get().model(), readMap(report));
        }
        EfftrainConfig metaConfig = PhaseConfig.of(config, PhaseConfig.META);
        Trainer trainer = new Trainer(metaConfig, data.shape(), NetworkSpec.of(meta.configuration()));
        CheckpointStore checkpoints = new CheckpointStore(dir.resolve("checkpoint"));
        Optional<Checkpoint> resume = checkpoints.load();
        List<TrainingAlgorithm<TrainingState>> algorithms = resume.map(Checkpoint::algorithms).orElseGet(List::of);
        Path metricsFile = dir.resolve("metrics.jsonl");
        resume.ifPresent(c -> MetricsLog.truncate(metricsFile, c.time().rounds()));
        progress.printf(Locale.ROOT, "[meta] the meta model (%d parameters), end to end%n",
                trainer.newNetwork().params().length());
        TrainingState trained;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        try (MetricsLog metrics = new MetricsLog(metricsFile)) {
            trained = trainer.train(train, Optional.of(heldOut.duringTraining()), ticker, algorithms,
                    List.of(new MetricsRecorder(metrics),
                            new ProgressPrinter(progress, ticker, config.train().progressInterval()),
                            new CheckpointWriter(checkpoints, config.train().checkpointEveryRounds(), algorithms)),
                    resume);
        }
        EvaluationCounts accuracy = heldOut.finalTestEvaluation(trainer, trained);
        progress.printf(Locale.ROOT, "[meta] test accuracy %.4f%n", accuracy.accuracy());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("parameters", trainer.newNetwork().params().length());
        out.put("seconds", trained.time().elapsed().toNanos() / 1e9);
        out.put("steps", trained.time().steps());
        out.put("epochs", trained.time().epochs());
        out.put("stop_reason", trained.stopReason().map(Enum::name).orElse(null));
        out.put("final_loss", trained.lastRound() == null ? null : trained.lastRound().meanLoss());
        out.put("test_accuracy", accuracy.accuracy());
        out.put("evaluation_split", heldOut.split().tableName());
        out.put("evaluations", RunReports.evaluations(trained));
        done.save(new Checkpoint(trained.model(), trained.time(), List.of(), List.of()));
        RunDirectory.writeAtomically(report, Json.pretty(out).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Phase1(trained.model(), out);
    }

    /** Phase 2: the modules not yet committed, as Spark tasks; the committed ones as they are. */
    private List<ModuleResult> trainModules(SparkSession spark, EfftrainConfig config, PreparedData data,
                                            IncubationModels models, StagedGraph meta, ParameterState trainedMeta,
                                            Path incubation) {
        TableSplitSource source = new TableSplitSource(data.tablePath(), PrepareStage.TRAIN);
        List<ModuleTask> pending = new ArrayList<>();
        Map<Integer, ModuleResult> results = new LinkedHashMap<>();
        for (int s = 0; s < models.stages(); s++) {
            Path dir = ModuleTasks.directory(incubation, s);
            if (ModuleRunner.committed(dir)) {
                progress.printf(Locale.ROOT, "[modules] module %d already trained (resumed run)%n", s);
                results.put(s, ModuleRunner.committedResult(dir));
            } else {
                pending.add(ModuleTasks.of(config, models, meta, trainedMeta, s, data.shape(), incubation, source));
            }
        }
        progress.printf(Locale.ROOT, "[modules] %d module task(s), %s, on %d task slot(s)%n", pending.size(),
                config.incubation().parallelModules() ? "in parallel" : "one after another",
                spark.sparkContext().defaultParallelism());
        for (ModuleResult r : ModulePhase.run(JavaSparkContext.fromSparkContext(spark.sparkContext()), pending,
                config.incubation().parallelModules(), config.incubation().moduleAttempts(), listener, progress)) {
            results.put(r.module(), r);
        }
        List<ModuleResult> ordered = new ArrayList<>();
        for (int s = 0; s < models.stages(); s++) {
            ordered.add(results.get(s));
        }
        return ordered;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readMap(Path file) {
        try {
            return Json.mapper().readValue(file.toFile(), LinkedHashMap.class);
        } catch (IOException e) {
            throw EfftrainException.badInput(file + ": cannot be read (" + e.getMessage() + "); start a fresh run.", e);
        }
    }
}
