package io.efftrain.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.jobs.HostCpu;
import io.efftrain.jobs.PrepareJob;
import io.efftrain.jobs.RunJob;
import io.efftrain.jobs.RunOptions;
import io.efftrain.jobs.ScoreJob;
import io.efftrain.jobs.SparkSessions;
import io.efftrain.jobs.report.RunReport;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.EvaluationSplit;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.BuildInfo;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.run.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code efftrain bench [--quick]}: time to accuracy of the plain end-to-end baseline and every efficient recipe,
 * in one process on one prepared table, so that all figures share the machine and its load. Each recipe is a
 * real {@code run} (its run directory is kept under the output); a recipe that needs example scores pays for the
 * score job on its time axis. Writes {@code bench.json} and {@code accuracy-vs-time.png} and prints a table.
 */
public final class TimeToAccuracyBench {
    static final List<Double> TARGETS = List.of(0.88, 0.90, 0.91, 0.915, 0.92);
    /** bench.json's content so far, rewritten after every finished recipe until bench.json replaces it. */
    static final String PARTIAL = "bench-partial.json";

    /** Without a config file: conf/fashion-mnist.conf's network and optimizer (the main job's recipe). */
    public static final List<String> DEFAULT_RECIPE = List.of("run.name=bench", "model.type=lenet",
            "train.optimizer.type=adam", "train.optimizer.learning-rate=0.002", "train.optimizer.l2=0",
            "train.steps-per-round=32");

    /**
     * The common settings of a benchmark. Quick: a 12,000-example slice for 2 epochs (under 5 minutes on two
     * cores); full: all of Fashion-MNIST for 6 epochs. Evaluations are frequent, so the time to a target is
     * resolved finely; the budget clock pauses while evaluating, so they do not slow the recipes down.
     */
    static List<String> commonSettings(boolean quick) {
        List<String> settings = new ArrayList<>(List.of("train.budget.wall-clock=null", "train.budget.steps=null",
                "train.budget.samples=null", "train.evaluation.target-accuracy=null",
                "train.evaluation.patience=null", "sampling.scoring.proxy-epochs=1", "sampling.scoring.seeds=1"));
        if (quick) {
            settings.addAll(List.of("data.train-limit=12000", "data.test-limit=2000", "train.budget.epochs=2",
                    "train.evaluation.every-epochs=0.5"));
        } else {
            settings.addAll(List.of("train.budget.epochs=6", "train.evaluation.every-epochs=0.25"));
        }
        return settings;
    }

    private final Clock clock;
    private final Ticker ticker;
    private final PrintStream progress;

    public TimeToAccuracyBench(Clock clock, Ticker ticker, PrintStream progress) {
        this.clock = clock;
        this.ticker = ticker;
        this.progress = progress;
    }

    /** Runs the benchmark into {@code out} (which must not hold one already) and returns bench.json's content. */
    public Map<String, Object> run(Path configFile, List<String> overrides, boolean quick, Path out,
                            List<BenchRecipe> recipes) {
        if (Files.exists(out.resolve("bench.json"))) {
            throw new EfftrainException(ExitCode.ALREADY_DONE, "bench: " + out + " already holds a bench.json; "
                    + "choose another --out or delete it.");
        }
        List<String> common = new ArrayList<>(commonSettings(quick));
        common.addAll(overrides);
        EfftrainConfig config = ConfigLoader.load(configFile, common);
        if (config.train().evaluation().split() != EvaluationSplit.TEST) {
            throw new EfftrainException(ExitCode.BAD_CONFIG, "bench: train.evaluation.split = "
                    + config.train().evaluation().split().tableName() + ", but the benchmark measures time to test "
                    + "accuracy; drop that setting (or use efftrain run to evaluate on validation).");
        }
        SparkSession spark = SparkSessions.start("efftrain bench", config.spark());
        // Each training worker is one native thread (OMP_NUM_THREADS=1), so the peak they can reach together is
        // the one-thread matrix-multiply rate times the workers, measured here in this JVM's own thread setting.
        int workers = config.train().workers().orElse(spark.sparkContext().defaultParallelism());
        double perThread = GemmPeak.measureGflops(1024, 10, ticker);
        double bestPerThread = perThread;
        progress.printf(Locale.ROOT, "[bench] float32 matrix multiply: %.1f GFLOP/s per thread, %.1f for %d workers%n",
                perThread, perThread * workers, workers);

        String table = out.resolve("table").toAbsolutePath().toString();
        if (!Files.exists(out.resolve("table/_SUCCESS"))) {
            PrepareJob.run(configFile, common, table, true, ticker, progress);
        }
        List<String> onTable = new ArrayList<>(common);
        onTable.addAll(List.of("data.source=table", "data.table=\"" + PrepareJob.tableUri(table) + "\""));
        // Before the score job too: its seconds count against the pruning recipe.
        List<Map<String, Object>> warmUp = BenchWarmUp.run(configFile, recipes, onTable,
                quick ? BenchWarmUp.QUICK_STEPS : BenchWarmUp.STEPS, out, clock, ticker, progress);
        double scoreSeconds = 0;
        String scores = out.resolve("scores").toAbsolutePath().toString();
        if (recipes.stream().anyMatch(BenchRecipe::usesScores)) {
            Stopwatch start = Stopwatch.start(ticker);
            ScoreJob.run(spark, ConfigLoader.load(configFile, onTable), PrepareJob.tableUri(table), scores, true,
                    ticker, progress);
            scoreSeconds = start.seconds();
            progress.printf(Locale.ROOT, "[bench] score job: %.1f s%n", scoreSeconds);
        }

        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Object> bench = new LinkedHashMap<>();
        bench.put("quick", quick);
        measuredAgainst(bench, results, bestPerThread, workers);
        bench.put("gemm_gflops_per_thread_at_start", perThread);
        bench.put("workers", workers);
        bench.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        bench.put("available_processors", Runtime.getRuntime().availableProcessors());
        HostCpu cpu = HostCpu.ofThisMachine();
        bench.put("cpu", cpu.toJson());
        progress.printf(Locale.ROOT, "[bench] cpu: %s%n", cpu.describe());
        bench.put("versions", BuildInfo.versions());
        bench.put("settings", common);
        bench.put("score_job_seconds", scoreSeconds);
        bench.put("warmup", warmUp);
        bench.put("recipes", results);
        Path partial = out.resolve(PARTIAL);
        List<AccuracyPlot.Curve> curves = new ArrayList<>();
        Map<String, List<AccuracyPlot.Curve>> curvesByModel = new LinkedHashMap<>();
        for (BenchRecipe recipe : recipes) {
            List<String> settings = recipe.settingsAfter(onTable);
            double offset = 0;
            if (recipe.usesScores()) {
                settings.add("sampling.scoring.table=\"" + PrepareJob.tableUri(scores) + "\"");
                offset = scoreSeconds;
            }
            progress.printf(Locale.ROOT, "[bench] recipe %s: %s%n", recipe.name(), String.join(" ", recipe.overrides()));
            Path runDir = out.resolve("runs").resolve(recipe.name());
            // ND4J frees an array's native memory only once the collector has found its Java object dead; the
            // previous recipe's networks are, so collect them now rather than in the middle of this recipe's
            // clock (or not at all while native memory piles up: heap pressure alone rarely triggers it).
            System.gc();
            // A shared machine's speed can swing by a quarter within a run: the same multiply just before each
            // recipe tells a slow recipe from a slow moment, which samples/s alone cannot.
            double gemmBefore = GemmPeak.measureGflops(1024, 10, ticker);
            bestPerThread = Math.max(bestPerThread, gemmBefore);
            new RunJob(clock, ticker, progress).run(new RunOptions(configFile, runDir, settings, true, false));
            Map<String, Object> result = result(recipe, readSummary(runDir), offset, curves);
            result.put("gemm_gflops_per_thread_before", gemmBefore);
            curvesByModel.computeIfAbsent(recipe.model(), m -> new ArrayList<>()).add(curves.get(curves.size() - 1));
            results.add(result);
            measuredAgainst(bench, results, bestPerThread, workers);
            // A full bench takes most of an hour: if a later recipe fails or the process is killed, the figures
            // of the finished ones stay readable here (their runs are under runs/ as well).
            RunDirectory.writeAtomically(partial, Json.pretty(bench).getBytes(StandardCharsets.UTF_8));
        }
        RunDirectory.writeAtomically(out.resolve("bench.json"), Json.pretty(bench).getBytes(StandardCharsets.UTF_8));
        deletePartial(partial);
        AccuracyPlot.write(out.resolve("accuracy-vs-time.png"), "Fashion-MNIST: test accuracy against training"
                + " wall time" + (quick ? " (quick)" : ""), curves, TARGETS);
        // A slow model's curves set the time axis of the shared plot and squeeze the fast ones into its left edge;
        // each model also gets a plot of its own.
        if (curvesByModel.size() > 1) {
            curvesByModel.forEach((model, modelCurves) -> AccuracyPlot.write(
                    out.resolve("accuracy-vs-time-" + model + ".png"), "Fashion-MNIST, " + model
                            + ": test accuracy against training wall time", modelCurves, TARGETS));
        }
        // One page with every recipe's curves overlaid (each recipe's run directory has its own page too).
        List<Path> recipeRuns = new ArrayList<>();
        for (BenchRecipe recipe : recipes) {
            recipeRuns.add(out.resolve("runs").resolve(recipe.name()));
        }
        RunReport.compare(recipeRuns, out.resolve(RunReport.FILE));
        progress.printf(Locale.ROOT, "[bench] peak: the fastest one-thread multiply of the run, %.1f GFLOP/s "
                + "(%.1f at the start), %.1f for %d workers%n", bestPerThread, perThread, bestPerThread * workers,
                workers);
        progress.print(table(results));
        return bench;
    }

    /**
     * Sets the peak to the fastest one-thread multiply measured so far in this run (at the start and before each
     * recipe) times the workers, and every recipe's figures against it. The first measurement, taken while Spark
     * starts up, can come out 10 % low; a yardstick that low would overstate every recipe's share of the peak.
     */
    private static void measuredAgainst(Map<String, Object> bench, List<Map<String, Object>> results,
                                        double bestPerThread, int workers) {
        double peak = bestPerThread * workers;
        bench.put("gemm_peak_gflops", peak);
        bench.put("gemm_gflops_per_thread", bestPerThread);
        for (Map<String, Object> r : results) {
            r.put("fraction_of_gemm_peak", (double) r.get("gflops") / peak);
            r.put("machine_speed", (double) r.get("gemm_gflops_per_thread_before") / bestPerThread);
        }
    }

    private static void deletePartial(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + partial + " after writing bench.json", e);
        }
    }

    /**
     * One recipe's line of bench.json. Seconds are training seconds with evaluation paused, plus the score job
     * for recipes that need scores: the time a user pays to get there.
     */
    private static Map<String, Object> result(BenchRecipe recipe, JsonNode summary, double offset,
                                              List<AccuracyPlot.Curve> curves) {
        JsonNode training = summary.get("training");
        JsonNode incubation = summary.get("incubation");
        // Deep Incubation's clock covers its three phases; its training entry is phase 3 alone.
        double seconds = incubation != null ? incubation.get("total_training_seconds").asDouble()
                : training.get("seconds").asDouble();
        List<double[]> points = new ArrayList<>();
        for (JsonNode e : incubation != null ? incubation.get("accuracy_vs_time") : training.get("evaluations")) {
            points.add(new double[] {offset + e.get("elapsed_s").asDouble(), e.get("accuracy").asDouble()});
        }
        double finalAccuracy = summary.get("test_accuracy").asDouble();
        if (points.isEmpty() || points.get(points.size() - 1)[0] < offset + seconds - 1e-6) {
            points.add(new double[] {offset + seconds, finalAccuracy});
        }
        curves.add(new AccuracyPlot.Curve(recipe.name(), points));
        Map<String, Object> secondsTo = new LinkedHashMap<>();
        for (double target : TARGETS) {
            Double reached = null;
            for (double[] p : points) {
                if (p[1] >= target) {
                    reached = p[0];
                    break;
                }
            }
            secondsTo.put(targetKey(target), reached);
        }
        double gflops = training.get("estimated_flops").asDouble() / training.get("seconds").asDouble() / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", recipe.name());
        r.put("model", recipe.model());
        r.put("overrides", recipe.overrides());
        if (incubation != null) {
            r.put("note", "samples_per_s and gflops of phase 3 (fine-tuning the assembled target)");
        }
        r.put("samples_per_s", training.get("samples_per_s").asDouble());
        r.put("gflops", gflops);
        // Read samples/s with it: how much of their time the workers had a CPU (WorkerTime). It shows other threads
        // taking the workers' cores, not a host running slow; machine_speed shows that.
        r.put("worker_cpu_share", nullableDouble(training, "worker_cpu_share"));
        // And where the rest of the wall time went: workers waiting for the slowest one, and the rounds' Spark
        // jobs and averaging around the loops (the price of more frequent averaging).
        r.put("worker_balance", nullableDouble(training, "worker_balance"));
        r.put("coordination_share", nullableDouble(training, "coordination_share"));
        r.put("final_test_accuracy", finalAccuracy);
        r.put("training_seconds", seconds);
        r.put("score_job_seconds", offset);
        r.put("samples", training.get("samples").asLong());
        r.put("seconds_to", secondsTo);
        r.put("curve", points);
        return r;
    }

    /** A target as bench.json names it: two decimals, three where it needs them ("0.90", "0.915"). */
    static String targetKey(double target) {
        String three = String.format(Locale.ROOT, "%.3f", target);
        return three.endsWith("0") ? three.substring(0, three.length() - 1) : three;
    }

    private static Double nullableDouble(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asDouble();
    }

    static String table(List<Map<String, Object>> results) {
        // As wide as the longest recipe name, so combined recipes do not push their row out of the columns.
        int nameWidth = "recipe".length();
        for (Map<String, Object> r : results) {
            nameWidth = Math.max(nameWidth, r.get("name").toString().length());
        }
        String name = "%-" + nameWidth + "s";
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                name + " %9s %8s %9s %9s %8s %8s %9s", "recipe", "accuracy", "seconds", "samples/s",
                "cpu share", "balance", "coord.", "machine"));
        for (double target : TARGETS) {
            s.append(String.format(Locale.ROOT, " %9s", "to " + targetKey(target)));
        }
        s.append(System.lineSeparator());
        for (Map<String, Object> r : results) {
            @SuppressWarnings("unchecked")
            Map<String, Object> to = (Map<String, Object>) r.get("seconds_to");
            s.append(String.format(Locale.ROOT, name + " %9.4f %8.1f %9.0f %9s %8s %8s %9s",
                    r.get("name"), (double) r.get("final_test_accuracy"),
                    (double) r.get("training_seconds") + (double) r.get("score_job_seconds"),
                    (double) r.get("samples_per_s"), fraction(r.get("worker_cpu_share")),
                    fraction(r.get("worker_balance")), fraction(r.get("coordination_share")),
                    fraction(r.get("machine_speed"))));
            for (double target : TARGETS) {
                s.append(String.format(Locale.ROOT, " %9s", orDash(to.get(targetKey(target)))));
            }
            s.append(System.lineSeparator());
        }
        return s.toString();
    }

    private static String fraction(Object value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", (double) value);
    }

    private static String orDash(Object seconds) {
        return seconds == null ? "-" : String.format(Locale.ROOT, "%.1f", (double) seconds);
    }

    private static JsonNode readSummary(Path runDir) {
        try {
            return Json.mapper().readTree(runDir.resolve("summary.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runDir.resolve("summary.json"), e);
        }
    }
}
