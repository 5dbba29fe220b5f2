package io.efftrain.jobs;

import com.typesafe.config.ConfigValue;
import io.efftrain.jobs.report.RunReport;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.ConfigReader;
import io.efftrain.pipeline.config.EvaluationSplit;
import io.efftrain.pipeline.config.TuneMethod;
import io.efftrain.pipeline.config.TuneSettings;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.run.RunDirectory;
import io.efftrain.trainers.averaging.SparkBlockSet;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.LoggerFactory;

/**
 * {@code efftrain tune}: successive halving (or Hyperband's brackets of it) over the config's search space
 * (tune.*) under one total budget, in one Spark application. The data is prepared once; every trial trains the
 * config {@code run} would train, with its values and a share of train.budget, and is judged on the validation
 * split. While a rung has at least as many
 * trials as Spark has task slots, each trial trains on one Spark task (its workers' blocks worked through in that
 * task, averaged as the workers would average them; {@link TunePhase}); a rung with fewer trials trains them one
 * after another on the workers, as {@code run} does, so the final full training uses every core. The output
 * directory is committed like a run's: config.conf, trials.jsonl (one line per trial and rung), best.conf (the
 * winner's complete config: {@code run best.conf} trains it again), summary.json, report.html (the trials'
 * curves), trials/ (each trial's config, metrics and summary) and data/canonical, then {@code _SUCCESS}.
 */
public final class TuneJob {
    /** Each finished trial's result in its directory, which {@code --resume} reads instead of training it again. */
    static final String RESULT_FILE = "result.bin";
    private final Clock clock;
    private final Ticker ticker;
    private final PrintStream progress;

    public TuneJob(Clock clock, Ticker ticker, PrintStream progress) {
        this.clock = clock;
        this.ticker = ticker;
        this.progress = progress;
    }

    /**
     * What a committed tune reports.
     *
     * @param validationAccuracy the winner's validation accuracy on its full training
     * @param testAccuracy the winner's test accuracy (measured after it was chosen)
     * @param runDir the committed output directory
     * @param bestConfig its best.conf
     */
    public record Outcome(double validationAccuracy, double testAccuracy, Path runDir, Path bestConfig) {
    }

    public Outcome run(RunOptions options) {
        if (options.skipIfDone()) {
            throw new EfftrainException(ExitCode.USAGE, "tune has no --skip-if-done; usage: efftrain tune "
                    + "<config.conf> [--run-dir DIR] [--set key=value]... [--overwrite] [--resume]");
        }
        EfftrainConfig base = TuneTrials.base(ConfigLoader.load(options.config(), options.overrides()));
        base.model().requireClassification("tune");
        if (base.incubation().enabled()) {
            throw EfftrainException.badConfig("tune trains its trials end to end; set incubation.enabled = false.");
        }
        TuneSettings tune = base.tune();
        List<TunePlan> brackets = new ArrayList<>(tune.method() == TuneMethod.HYPERBAND
                ? TunePlan.hyperbandFitting(tune.trials(), tune.eta(), tune.budget())
                : List.of(TunePlan.fitting(tune.trials(), tune.eta(), tune.budget(), tune.gridSize())));
        // Each bracket draws its own points (distinct within it); trials are numbered across brackets.
        List<Map<String, ConfigValue>> points = new ArrayList<>();
        for (int b = 0; b < brackets.size(); b++) {
            List<Map<String, ConfigValue>> drawn = TuneTrials.draw(tune.space(), brackets.get(b).trials(),
                    base.run().seed() + b);
            brackets.set(b, brackets.get(b).withTrials(drawn.size()));
            points.addAll(drawn);
        }
        for (Map<String, ConfigValue> point : points) {
            // Values valid one by one can still clash together; better now than after the data is prepared.
            try {
                TuneTrials.trial(base, point, 1.0, 1);
            } catch (EfftrainException e) {
                throw EfftrainException.badConfig("tune: the trial " + unwrapped(point) + " is not a valid config: "
                        + e.getMessage());
            }
        }
        Path target = options.runDir() != null ? options.runDir()
                : RunFiles.defaultDirectory(base.run().name() + "-tune", clock);
        boolean resuming = options.resume() && RunDirectory.hasUnfinishedRun(target);
        if (options.resume() && !resuming) {
            progress.println("[resume] " + target + " has no unfinished tune to resume; starting a new one");
        }
        RunDirectory runDir = RunDirectory.create(target, options.overwrite(), resuming);
        try {
            if (resuming) {
                requireSameConfig(runDir, base);
            }
            return tuneIn(runDir, base, brackets, points, options);
        } catch (Throwable failure) {
            // Throwable: Spark's SparkException is checked but thrown undeclared. The staging directory keeps the
            // finished trials' results, which --resume reuses.
            progress.println("[tune] failed; the finished trials are kept in " + runDir.staging() + ". Run the same "
                    + "command with --resume to continue.");
            throw failure;
        } finally {
            runDir.close();
        }
    }

    private Outcome tuneIn(RunDirectory runDir, EfftrainConfig base, List<TunePlan> brackets,
                           List<Map<String, ConfigValue>> points, RunOptions options) {
        long start = ticker.nanos();
        TuneSettings tune = base.tune();
        runDir.writeAtomically("config.conf", base.render());
        progress.printf(Locale.ROOT, "[tune] %s: %s, %d trial(s) (%d points in the space), eta %d: %s (%.3g full "
                + "trainings)%n", runDir.target(), ConfigReader.configName(tune.method()), points.size(),
                tune.gridSize(), tune.eta(), TunePlan.describe(brackets), TunePlan.cost(brackets));
        Map<String, Double> stages = new LinkedHashMap<>();

        SparkSession spark = SparkSessions.start("efftrain tune " + base.run().name(), base.spark());
        long t = ticker.nanos();
        PreparedData data = SamplingStages.apply(spark, base,
                PrepareStage.run(spark, base, runDir.resolve("data/canonical").toUri().toString()),
                runDir.resolve("data"), ticker, progress);
        stages.put("prepare", RunFiles.seconds(ticker.nanos() - t));
        progress.printf(Locale.ROOT, "[prepare] %s examples in %.1f s%n", data.countsBySplit(), stages.get("prepare"));

        t = ticker.nanos();
        int slots = spark.sparkContext().defaultParallelism();
        int workers = base.train().workers().orElse(slots);
        JavaRDD<ExampleBlock> blocks = RunJob.trainBlocks(spark, base, data, runDir.resolve("data"), workers);
        SparkBlockSet train = new SparkBlockSet(blocks);
        HeldOutSplits heldOut = HeldOutSplits.load(spark, data, EvaluationSplit.VALIDATION, workers);
        List<String> blockFiles = writeBlocks(blocks, runDir.resolve("data/blocks"), workers);
        stages.put("load", RunFiles.seconds(ticker.nanos() - t));

        t = ticker.nanos();
        List<Map<String, Object>> lines = new ArrayList<>();
        List<TuneTrialResult> all = new ArrayList<>();
        List<Path> trialDirs = new ArrayList<>();
        TuneTrialResult winner = null;
        try {
            int first = 0;
            for (int b = 0; b < brackets.size(); b++) {
                TunePlan plan = brackets.get(b);
                List<Integer> alive = new ArrayList<>();
                for (int i = 0; i < plan.trials(); i++) {
                    alive.add(first + i);
                }
                first += plan.trials();
                for (TunePlan.Rung rung : plan.rungs()) {
                    boolean last = rung.index() == plan.rungs().size() - 1;
                    List<TuneTrial> trials = new ArrayList<>();
                    for (int trial : alive) {
                        Path dir = runDir.resolve("trials").resolve(TuneTrial.name(trial, rung.index()));
                        trialDirs.add(dir);
                        trials.add(new TuneTrial(trial, rung.index(), rung.fraction(),
                                TuneTrials.trial(base, points.get(trial), rung.fraction(), workers).render(),
                                blockFiles, data.tablePath(), data.classCount(), data.shape(),
                                dir.toAbsolutePath().toString(), last));
                    }
                    String where = (brackets.size() > 1 ? "bracket " + b + ", " : "") + "rung " + rung.index();
                    List<TuneTrialResult> results = trainRung(trials, where, rung.fraction(),
                            JavaSparkContext.fromSparkContext(spark.sparkContext()), slots, workers, train, heldOut);
                    List<TuneTrialResult> ranked = new ArrayList<>(results);
                    ranked.sort(TuneTrialResult::better);
                    int promote = last ? 0 : plan.rungs().get(rung.index() + 1).trials();
                    alive = new ArrayList<>();
                    for (int i = 0; i < promote; i++) {
                        alive.add(ranked.get(i).trial());
                    }
                    all.addAll(results);
                    for (TuneTrialResult r : results) {
                        lines.add(line(r, b, rung, points.get(r.trial()), base, alive.contains(r.trial()),
                                ranked.indexOf(r)));
                    }
                    if (last && (winner == null || TuneTrialResult.better(ranked.get(0), winner) < 0)) {
                        winner = ranked.get(0);
                    }
                }
            }
        } finally {
            train.release();
            heldOut.release();
        }
        stages.put("trials", RunFiles.seconds(ticker.nanos() - t));
        if (winner == null || Double.isNaN(winner.validationAccuracy())) {
            throw new EfftrainException(ExitCode.DIVERGED, "tune: every trial of the last rung diverged (see "
                    + runDir.staging().resolve("trials.jsonl") + "); narrow the space to lower learning rates.");
        }
        StringBuilder jsonl = new StringBuilder();
        for (Map<String, Object> line : lines) {
            jsonl.append(Json.mapper().valueToTree(line).toString()).append('\n');
        }
        runDir.writeAtomically("trials.jsonl", jsonl.toString());
        EfftrainConfig best = TuneTrials.best(base, points.get(winner.trial()), workers);
        runDir.writeAtomically("best.conf", "# The winner of efftrain tune (trial " + winner.trial() + ", validation "
                + "accuracy " + String.format(Locale.ROOT, "%.4f", winner.validationAccuracy()) + "): its complete "
                + "config.\n# `bin/efftrain run best.conf` trains it again.\n" + best.render());
        double total = RunFiles.seconds(ticker.nanos() - start);
        runDir.writeAtomically("summary.json", Json.pretty(summary(tune, brackets, points, winner, all,
                stages, total, workers, slots)));
        RunFiles.deleteTree(runDir.resolve("data/blocks"));
        writeReport(runDir, trialDirs);
        runDir.commit();
        progress.printf(Locale.ROOT, "[tune] trial %d wins: validation accuracy %.4f, test accuracy %.4f; %.1f s in "
                + "all%n", winner.trial(), winner.validationAccuracy(), winner.testAccuracy(), total);
        return new Outcome(winner.validationAccuracy(), winner.testAccuracy(), runDir.target(),
                runDir.target().resolve("best.conf"));
    }

    /**
     * Trains one rung's trials (those a resumed tune finished before are read back instead), as Spark tasks while
     * there are at least two to train and two task slots, else one after another on the workers; the results in
     * trial order.
     */
    private List<TuneTrialResult> trainRung(List<TuneTrial> trials, String where, double fraction,
                                            JavaSparkContext jsc, int slots, int workers, SparkBlockSet train,
                                            HeldOutSplits heldOut) {
        Map<Integer, TuneTrialResult> done = finished(trials);
        List<TuneTrial> toTrain = trials.stream().filter(tr -> !done.containsKey(tr.trial())).toList();
        boolean onTasks = toTrain.size() >= 2 && slots >= 2;
        progress.printf(Locale.ROOT, "[tune] %s: %d trial(s) on %.3g of a full training each, %s%s%n", where,
                trials.size(), fraction, onTasks
                        ? "one Spark task each, " + Math.min(slots, toTrain.size()) + " at a time"
                        : "one after another on " + workers + " worker(s)",
                done.isEmpty() ? "" : "; " + done.size() + " finished before the tune was resumed");
        List<TuneTrialResult> results = new ArrayList<>(done.values());
        if (!toTrain.isEmpty()) {
            results.addAll(onTasks ? TunePhase.onTasks(jsc, toTrain, slots, progress)
                    : onWorkers(toTrain, train, heldOut));
        }
        results.sort(Comparator.comparingInt(TuneTrialResult::trial));
        return results;
    }

    /** A resumed tune must search the same space with the same settings, or its finished trials mean nothing. */
    private static void requireSameConfig(RunDirectory runDir, EfftrainConfig base) {
        Path saved = runDir.resolve("config.conf");
        try {
            if (Files.exists(saved) && !Files.readString(saved).equals(base.render())) {
                throw EfftrainException.badConfig("tune --resume: the config differs from the interrupted tune's ("
                        + saved + "); resume with the same config and --set values, or start anew without "
                        + "--resume.");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + saved, e);
        }
    }

    /** The trials of a rung that a resumed tune finished before, read from their result files. */
    private static Map<Integer, TuneTrialResult> finished(List<TuneTrial> trials) {
        Map<Integer, TuneTrialResult> out = new LinkedHashMap<>();
        for (TuneTrial trial : trials) {
            Path file = Path.of(trial.directory(), RESULT_FILE);
            if (Files.exists(file)) {
                try (var in = new java.io.ObjectInputStream(Files.newInputStream(file))) {
                    out.put(trial.trial(), (TuneTrialResult) in.readObject());
                } catch (java.io.IOException | ClassNotFoundException | ClassCastException e) {
                    // An unreadable result (a kill while it was written) only costs training the trial again.
                    LoggerFactory.getLogger(TuneJob.class).warn("ignoring {}: {}", file, e.toString());
                }
            }
        }
        return out;
    }

    /** Records a finished trial as soon as it ends, so a resumed tune does not train it again. */
    static void saveResult(TuneTrialResult result, Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(RESULT_FILE + ".tmp");
            try (var out = new java.io.ObjectOutputStream(Files.newOutputStream(tmp))) {
                out.writeObject(result);
            }
            Files.move(tmp, dir.resolve(RESULT_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot record trial " + result.trial() + " in " + dir, e);
        }
    }

    /** A rung with fewer trials than task slots: each trial in turn on the workers, as run trains. */
    private List<TuneTrialResult> onWorkers(List<TuneTrial> trials, SparkBlockSet train, HeldOutSplits heldOut) {
        List<TuneTrialResult> results = new ArrayList<>();
        for (TuneTrial trial : trials) {
            TuneTrialResult r = TuneTrialRunner.run(trial, train, heldOut.duringTraining(),
                    trial.evaluateTest() ? Optional.of(heldOut.test()) : Optional.empty(), ticker, "workers");
            printResult(progress, r);
            saveResult(r, Path.of(trial.directory()));
            results.add(r);
        }
        return results;
    }

    static void printResult(PrintStream progress, TuneTrialResult r) {
        progress.printf(Locale.ROOT, "[tune] trial %d, rung %d: %s after %.2f epochs (%.1f s, %s)%n", r.trial(),
                r.rung(), TunePhase.describe(r), r.epochs(), r.wallSeconds(), r.placement());
    }

    /**
     * The training blocks as files, one per worker, written by the executors that hold them: the trial tasks read
     * exactly the blocks the workers train on, without the data passing through the driver.
     */
    private static List<String> writeBlocks(JavaRDD<ExampleBlock> blocks, Path dir, int workers) {
        String where = dir.toAbsolutePath().toString();
        List<String> files = new ArrayList<>(blocks.mapPartitionsWithIndex((index, it) -> {
            List<String> written = new ArrayList<>();
            if (it.hasNext()) {
                Path file = Path.of(where, String.format(Locale.ROOT, "block-%05d.bin", index));
                TuneTrialRunner.writeBlock(it.next(), file);
                written.add(file.toString());
            }
            return written.iterator();
        }, true).collect());
        if (files.size() != workers) {
            throw EfftrainException.badConfig("tune: the training split fills only " + files.size() + " of "
                    + workers + " workers' blocks; lower train.workers or use more training examples.");
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }

    private static Map<String, Object> line(TuneTrialResult r, int bracket, TunePlan.Rung rung,
                                            Map<String, ConfigValue> values, EfftrainConfig base, boolean promoted,
                                            int rank) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("trial", r.trial());
        line.put("bracket", bracket);
        line.put("rung", rung.index());
        line.put("fraction", rung.fraction());
        line.put("budget", budget(base, rung.fraction()));
        line.put("overrides", unwrapped(values));
        line.put("rank", rank + 1);
        line.put("promoted", promoted);
        line.putAll(r.toMap());
        line.put("config", "trials/" + TuneTrial.name(r.trial(), rung.index()) + "/config.conf");
        return line;
    }

    private static Map<String, Object> budget(EfftrainConfig base, double fraction) {
        Map<String, Object> out = new LinkedHashMap<>();
        var b = base.train().budget();
        b.epochs().ifPresent(e -> out.put("epochs", e * fraction));
        b.steps().ifPresent(s -> out.put("steps", Math.max(1L, Math.round(s * fraction))));
        b.samples().ifPresent(s -> out.put("samples", Math.max(1L, Math.round(s * fraction))));
        b.flops().ifPresent(f -> out.put("flops", f * fraction));
        return out;
    }

    private static Map<String, Object> unwrapped(Map<String, ConfigValue> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.unwrapped()));
        return out;
    }

    private static Map<String, Object> summary(TuneSettings tune, List<TunePlan> brackets,
                                               List<Map<String, ConfigValue>> points, TuneTrialResult winner,
                                               List<TuneTrialResult> all, Map<String, Double> stages, double total,
                                               int workers, int slots) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", ConfigReader.configName(tune.method()));
        out.put("eta", tune.eta());
        out.put("trials", points.size());
        out.put("space_size", tune.gridSize());
        List<List<Map<String, Object>>> bracketRungs = new ArrayList<>();
        for (TunePlan plan : brackets) {
            List<Map<String, Object>> rungs = new ArrayList<>();
            for (TunePlan.Rung r : plan.rungs()) {
                Map<String, Object> rung = new LinkedHashMap<>();
                rung.put("rung", r.index());
                rung.put("trials", r.trials());
                rung.put("fraction", r.fraction());
                rungs.add(rung);
            }
            bracketRungs.add(rungs);
        }
        if (bracketRungs.size() == 1) {
            out.put("rungs", bracketRungs.get(0));
        } else {
            out.put("brackets", bracketRungs);
        }
        out.put("workers", workers);
        out.put("task_slots", slots);
        Map<String, Object> best = new LinkedHashMap<>();
        best.put("trial", winner.trial());
        best.put("overrides", unwrapped(points.get(winner.trial())));
        best.put("validation_accuracy", winner.validationAccuracy());
        best.put("test_accuracy", winner.testAccuracy());
        best.put("training_seconds", winner.trainingSeconds());
        best.put("config", "best.conf");
        out.put("best", best);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("budget_full_trainings", tune.budget());
        cost.put("planned_full_trainings", TunePlan.cost(brackets));
        cost.put("trained_samples", all.stream().mapToLong(TuneTrialResult::samples).sum());
        cost.put("trials_seconds", stages.get("trials"));
        cost.put("total_seconds", total);
        // The winner's last rung is one full training on the workers (as run trains it): the yardstick for the rest.
        cost.put("full_training_seconds", winner.wallSeconds());
        cost.put("measured_full_trainings", winner.wallSeconds() > 0
                ? stages.get("trials") / winner.wallSeconds() : null);
        out.put("cost", cost);
        out.put("stages", stages);
        out.put("total_seconds", total);
        out.put("trials_file", "trials.jsonl");
        return out;
    }

    /** report.html overlaying the trials' curves; a report that cannot be drawn costs only the report. */
    private static void writeReport(RunDirectory runDir, List<Path> trialDirs) {
        try {
            RunReport.compare(trialDirs, runDir.resolve(RunReport.FILE));
        } catch (Exception | Error failure) {
            if (failure instanceof VirtualMachineError && !(failure instanceof InternalError)) {
                throw (Error) failure;
            }
            LoggerFactory.getLogger(TuneJob.class).warn("could not write report.html into {}; the tune is not "
                    + "affected", runDir.staging(), failure);
        }
    }
}
