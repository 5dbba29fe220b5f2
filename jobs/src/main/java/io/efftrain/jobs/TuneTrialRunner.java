package io.efftrain.jobs;

import io.efftrain.datasets.feed.TableSplitBlock;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.run.MetricsLog;
import io.efftrain.pipeline.run.RunDirectory;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BlockSet;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.loop.DivergenceException;
import io.efftrain.trainers.loop.EvaluationPoint;
import io.efftrain.trainers.loop.MetricsRecorder;
import io.efftrain.trainers.loop.TrainingState;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Trains one trial with the project's {@link Trainer}, on whichever blocks it is given: on one Spark task with its
 * workers' blocks in that task's JVM ({@link #onTask}: the blocks are worked through one after another and
 * averaged exactly as the Spark workers would average them), or on the Spark workers like {@code run}. Writes the
 * trial's config.conf, metrics.jsonl and summary.json into its directory, so report.html can overlay the trials
 * and each trial can be rerun with {@code run}.
 */
final class TuneTrialRunner {
    private TuneTrialRunner() {
    }

    /** The trial on the task that runs this call: blocks read from their files, held-out splits from the table. */
    static TuneTrialResult onTask(TuneTrial trial, Ticker ticker) {
        List<ExampleBlock> blocks = new ArrayList<>();
        for (String file : trial.blockFiles()) {
            blocks.add(readBlock(Path.of(file)));
        }
        Configuration hadoop = new Configuration();
        LocalBlockSet validation = new LocalBlockSet(List.of(TableSplitBlock.read(trial.table(),
                io.efftrain.pipeline.config.EvaluationSplit.VALIDATION.tableName(), hadoop)));
        Optional<BlockSet> test = trial.evaluateTest() ? Optional.of(new LocalBlockSet(List.of(
                TableSplitBlock.read(trial.table(), PrepareStage.TEST, hadoop)))) : Optional.empty();
        return run(trial, new LocalBlockSet(blocks), validation, test, ticker, "task");
    }

    /** Trains the trial on {@code train}, judges it on {@code validation}. */
    static TuneTrialResult run(TuneTrial trial, BlockSet train, BlockSet validation, Optional<BlockSet> test,
                               Ticker ticker, String placement) {
        long started = ticker.nanos();
        EfftrainConfig config = trial.parsedConfig();
        Path dir = Path.of(trial.directory());
        RunDirectory.writeAtomically(dir.resolve("config.conf"), config.render().getBytes(StandardCharsets.UTF_8));
        try {
            // A trial always trains from scratch: a resumed tune retrains one that was cut off, whose curve goes.
            Files.deleteIfExists(dir.resolve("metrics.jsonl"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot start trial " + trial.trial() + " in " + dir, e);
        }
        Trainer trainer = new Trainer(config, trial.shape(), trial.classes());
        List<double[]> lossCurve = new ArrayList<>();
        TrainingCallback<TrainingState> losses = (event, state) -> {
            if (event == Event.ROUND_END) {
                lossCurve.add(new double[] {state.time().epochs(), state.lastRound().meanLoss()});
            }
        };
        TrainingState trained;
        try (MetricsLog metrics = new MetricsLog(dir.resolve("metrics.jsonl"))) {
            trained = trainer.train(train, Optional.of(validation), ticker, trainer.driverAlgorithms(),
                    List.of(new MetricsRecorder(metrics), losses), Optional.empty());
        } catch (DivergenceException diverged) {
            // A learning rate too high for this network is an answer, not a failure of the search.
            TuneTrialResult result = new TuneTrialResult(trial.trial(), trial.rung(), Double.NaN, Double.NaN, null,
                    Double.NaN, (ticker.nanos() - started) / 1e9, Double.NaN, 0, "DIVERGED",
                    diverged.getMessage(), placement, lossCurve, List.of());
            writeSummary(dir, result, List.of());
            return result;
        }
        if (trained.stopReason().map(Enum::name).orElse("").equals("TERMINATED")) {
            throw new EfftrainException(io.efftrain.pipeline.error.ExitCode.TERMINATED, "tune stopped by a "
                    + "termination signal during trial " + trial.trial() + " (tune has no --resume: run it again).");
        }
        EvaluationCounts judged = trained.evaluationOfCurrentModel().map(EvaluationPoint::counts)
                .orElseGet(() -> trainer.evaluate(validation, trained.model()));
        Double testAccuracy = test.map(t -> trainer.evaluate(t, trained.model()).accuracy()).orElse(null);
        List<double[]> evaluations = new ArrayList<>();
        for (EvaluationPoint p : trained.evaluations()) {
            evaluations.add(new double[] {p.time().epochs(), p.time().elapsed().toNanos() / 1e9, p.accuracy()});
        }
        var time = trained.time();
        TuneTrialResult result = new TuneTrialResult(trial.trial(), trial.rung(), judged.accuracy(), judged.meanLoss(),
                testAccuracy, time.elapsed().toNanos() / 1e9, (ticker.nanos() - started) / 1e9, time.epochs(),
                time.samples(), trained.stopReason().map(Enum::name).orElse(null), null, placement, lossCurve,
                evaluations);
        writeSummary(dir, result, RunReports.evaluations(trained));
        return result;
    }

    /** A summary.json with what report.html draws (the validation curve) and what the trial measured. */
    private static void writeSummary(Path dir, TuneTrialResult result, List<Map<String, Object>> evaluations) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("seconds", result.trainingSeconds());
        training.put("epochs", result.epochs());
        training.put("samples", result.samples());
        training.put("stop_reason", result.stopReason());
        training.put("evaluation_split", io.efftrain.pipeline.config.EvaluationSplit.VALIDATION.tableName());
        training.put("evaluations", evaluations);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("validation_accuracy", Double.isNaN(result.validationAccuracy()) ? null
                : result.validationAccuracy());
        summary.put("validation_loss", Double.isNaN(result.validationLoss()) ? null : result.validationLoss());
        summary.put("diverged", result.diverged());
        summary.put("placement", result.placement());
        summary.put("training", training);
        RunDirectory.writeAtomically(dir.resolve("summary.json"),
                Json.pretty(summary).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes one worker's block where trial tasks read it (Java serialisation: ExampleBlock is Serializable). A
     * spilled block is written with its features, not the name of its spill file, which lives in one executor's
     * local directory; tune's trial tasks therefore need each worker's share to fit a heap.
     */
    static void writeBlock(ExampleBlock block, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream raw = Files.newOutputStream(tmp);
                 ObjectOutputStream out = new ObjectOutputStream(new java.io.BufferedOutputStream(raw, 1 << 20))) {
                out.writeObject(block.spilled() ? block.slice(0, block.size()) : block);
            }
            RunDirectory.moveAtomically(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training block " + file, e);
        }
    }

    private static ExampleBlock readBlock(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             ObjectInputStream in = new ObjectInputStream(new java.io.BufferedInputStream(raw, 1 << 20))) {
            return (ExampleBlock) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw EfftrainException.badInput(file + ": a training block of this tune that cannot be read (" + e
                    + "); run tune again.", e);
        }
    }
}
