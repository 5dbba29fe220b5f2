package io.efftrain.jobs;

import com.typesafe.config.ConfigRenderOptions;
import io.efftrain.datasets.source.ReadFailures;
import io.efftrain.jobs.bench.BenchOptions;
import io.efftrain.jobs.bench.DataBench;
import io.efftrain.jobs.bench.PeerBench;
import io.efftrain.jobs.bench.TimeToAccuracyBench;
import io.efftrain.jobs.bench.TrainerThroughputBench;
import io.efftrain.jobs.report.RunReport;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.BuildInfo;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.training.TerminationSignal;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * efftrain's command line, for {@code bin/efftrain} and {@code spark-submit --class io.efftrain.jobs.Main}.
 * Exit codes are those of {@link ExitCode}; the last line of a successful run is
 * {@code test_accuracy=<x> run_dir=<dir>}.
 */
public final class Main {
    private static final String USAGE = """
            usage: efftrain <command> [arguments]
              run <config.conf> [--run-dir DIR] [--set key=value]... [--overwrite] [--resume]
                                 prepare the configured data, train under the budget, evaluate
              incubate <config.conf> [--run-dir DIR] [--set key=value]... [--overwrite] [--resume]
                                 Deep Incubation of the target model: meta model, one Spark task per module,
                                 assembly and fine-tuning (the same as run with incubation.enabled = true)
              tune <config.conf> [--run-dir DIR] [--set key=value]... [--overwrite] [--resume]
                                 successive halving or Hyperband over tune.space under tune.budget, trials judged on the
                                 validation split: trials.jsonl, best.conf (run it to train the winner again)
              prepare <config.conf> --out TABLE [--set key=value]... [--overwrite]
                                 the configured source (idx, csv, images, parquet) to a canonical table
              export-csv <config.conf> --out DIR [--set key=value]... [--overwrite]
                                 the configured source as CSV files, DIR/train.csv and DIR/test.csv
                                 (label,pixel1,...,pixelN in source order), to read into a DataFrame
              dedup <config.conf> --in TABLE --out TABLE [--set key=value]... [--overwrite]
                                 remove exact and near-duplicate training examples (kept in _removed/)
              score <config.conf> --in TABLE --out SCORES [--set key=value]... [--overwrite]
                                 loss, EL2N, GraNd, margin and forgetting scores from proxy models
              prune <config.conf> --in TABLE --scores SCORES --out TABLE [--set key=value]... [--overwrite]
                                 keep the training examples sampling.selection chooses
              bench [--quick] [<config.conf>] [--out DIR] [--recipes NAME,...] [--set key=value]...
                                 time to accuracy of the end-to-end baseline and each efficient recipe, in
                                 one process: bench.json, accuracy-vs-time.png and a table (--quick: a slice,
                                 under 5 minutes; without a config, conf/fashion-mnist.conf's recipe)
              bench trainer <config.conf> [--steps N] [--set key=value]...
                                 samples/s of single-JVM DL4J and of the Spark trainer with 1 and 2 workers
              bench data <config.conf> [--csv-rows 1000000] [--scale-heap-mb 1024] [--scale-samples 120000]
                                 [--set key=value]...
                                 prepare rate, bytes on disk per example, loader vs training rate; dedup of
                                 the table vs plain Spark reading and writing it; prepare of
                                 a generated CSV vs plain Spark (CSV to Parquet, --csv-rows 0 skips); training
                                 from a table 4x a small heap (spilled blocks) vs in memory (--scale-heap-mb 0
                                 skips it), and the accuracy of spilled vs in-memory training
              bench peers <config.conf> [--networks lenet,mlp,resnet,resnet20] [--steps N] [--set key=value]...
                                 samples/s of each network in efftrain and in PyTorch (python3-torch, if
                                 installed) in the same run, their ratio and the share of the multiply peak
              report RUN_DIR [RUN_DIR...] [--out FILE]
                                 one report.html overlaying the runs (default --out: ./report.html)
              shell [--master URL] [scala options]
                                 Spark's Scala shell (spark and sc as in spark-shell) with efftrain on the
                                 class path, local[*] unless --master says otherwise; bin/efftrain only
              defaults           print every config key with its default value
              version            print the versions efftrain was built with
              help               print this text""";

    private Main() {
    }

    public static void main(String[] args) {
        int code = execute(args, System.out, System.err);
        // The process owns the session it started; a notebook calling execute() keeps its own.
        scala.Option<org.apache.spark.sql.SparkSession> session = org.apache.spark.sql.SparkSession.getDefaultSession();
        if (session.isDefined()) {
            session.get().stop();
        }
        System.exit(code);
    }

    /** Runs one command; returns the process exit code instead of exiting, so tests can call it. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return ExitCode.USAGE.code();
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        TerminationSignal.commandStarted();
        try {
            switch (args[0]) {
                case "run" -> {
                    RunJob.Outcome outcome = new RunJob(Clock.systemUTC(), Ticker.system(), err)
                            .run(RunOptions.parse(rest));
                    out.printf(Locale.ROOT, "test_accuracy=%.4f run_dir=%s%n", outcome.testAccuracy(),
                            outcome.runDir());
                    if (outcome.missedTarget()) {
                        err.println("efftrain: the budget ended before train.evaluation.target-accuracy was reached;"
                                + " the run is committed.");
                        return ExitCode.BUDGET_EXHAUSTED.code();
                    }
                }
                case "incubate" -> {
                    RunJob.Outcome outcome = new IncubateJob(Clock.systemUTC(), Ticker.system(), err,
                            io.efftrain.trainers.incubation.ModuleTaskListener.NONE).run(RunOptions.parse(rest));
                    out.printf(Locale.ROOT, "test_accuracy=%.4f run_dir=%s%n", outcome.testAccuracy(),
                            outcome.runDir());
                }
                case "tune" -> {
                    TuneJob.Outcome outcome = new TuneJob(Clock.systemUTC(), Ticker.system(), err)
                            .run(RunOptions.parse(rest));
                    out.printf(Locale.ROOT, "validation_accuracy=%.4f test_accuracy=%.4f best_conf=%s run_dir=%s%n",
                            outcome.validationAccuracy(), outcome.testAccuracy(), outcome.bestConfig(),
                            outcome.runDir());
                }
                case "prepare" -> {
                    StageOptions o = StageOptions.parsePrepare(rest);
                    var manifest = PrepareJob.run(o.config(), o.overrides(), o.out(), o.overwrite(), Ticker.system(),
                            err);
                    out.println("table=" + o.out() + " examples=" + manifest.countsBySplit());
                }
                case "export-csv" -> {
                    StageOptions o = StageOptions.parseFromSource("export-csv", rest);
                    var rows = ExportCsvJob.run(o.config(), o.overrides(), o.out(), o.overwrite(), Ticker.system(),
                            err);
                    out.println("csv=" + o.out() + " rows=" + rows);
                }
                case "shell" -> {
                    // bin/efftrain starts the shell itself (its class path adds jobs/target/repl-lib).
                    err.println("efftrain: the shell is started by bin/efftrain shell; with a Spark installation, "
                            + "spark-shell --jars efftrain.jar");
                    return ExitCode.USAGE.code();
                }
                case "dedup" -> {
                    StageOptions o = StageOptions.parse("dedup", rest, false);
                    var config = ConfigLoader.load(o.config(), o.overrides());
                    var spark = SparkSessions.start("efftrain dedup", config.spark());
                    var done = DedupJob.run(spark, config, o.in(), o.out(), o.overwrite(), Ticker.system(), err);
                    out.println("table=" + done.table() + " removed_exact=" + done.lineage().get("removed_exact")
                            + " removed_near=" + done.lineage().get("removed_near"));
                }
                case "score" -> {
                    StageOptions o = StageOptions.parse("score", rest, false);
                    var config = ConfigLoader.load(o.config(), o.overrides());
                    var spark = SparkSessions.start("efftrain score", config.spark());
                    var done = ScoreJob.run(spark, config, o.in(), o.out(), o.overwrite(), Ticker.system(), err);
                    out.println("scores=" + done.scores() + " examples=" + done.info().get("examples"));
                }
                case "prune" -> {
                    StageOptions o = StageOptions.parse("prune", rest, true);
                    var config = ConfigLoader.load(o.config(), o.overrides());
                    var spark = SparkSessions.start("efftrain prune", config.spark());
                    var done = PruneJob.run(spark, config, o.in(), o.scores(), o.out(), o.overwrite(), err);
                    out.println("table=" + done.table() + " train_kept=" + done.lineage().get("train_kept"));
                }
                case "bench" -> bench(rest, out, err);
                case "report" -> out.println("report=" + RunReport.command(rest));
                case "defaults" -> out.println(ConfigLoader.defaults().root()
                        .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
                case "version" -> BuildInfo.versions().forEach((k, v) -> out.println(k + " " + v));
                case "help", "--help", "-h" -> out.println(USAGE);
                default -> {
                    err.println("efftrain: unknown command '" + args[0] + "'\n" + USAGE);
                    return ExitCode.USAGE.code();
                }
            }
            return ExitCode.DONE.code();
        } catch (Throwable failure) {
            EfftrainException known = ReadFailures.asBadInput(failure).orElse(null);
            if (known != null) {
                err.println("efftrain: error: " + known.getMessage());
                return known.exitCode().code();
            }
            err.println("efftrain: internal failure: " + failure);
            failure.printStackTrace(err);
            return ExitCode.INTERNAL_FAILURE.code();
        } finally {
            err.flush();
            TerminationSignal.commandFinished();
        }
    }

    /** Removes {@code name VALUE} from {@code args} and returns VALUE, or {@code fallback} without it. */
    private static String takeOption(List<String> args, String name, String fallback) {
        int at = args.indexOf(name);
        if (at < 0) {
            return fallback;
        }
        if (at + 1 >= args.size()) {
            throw new EfftrainException(ExitCode.USAGE, name + " needs a value");
        }
        String value = args.remove(at + 1);
        args.remove(at);
        return value;
    }

    private static long wholeNumber(String value, String option) {
        try {
            long number = Long.parseLong(value);
            if (number >= 0 && number <= Integer.MAX_VALUE) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new EfftrainException(ExitCode.USAGE, option + " takes a whole number of at least 0, not '" + value
                + "'");
    }

    private static void bench(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && args.get(0).equals("data")) {
            List<String> rest = new ArrayList<>(args.subList(1, args.size()));
            int heapMb = (int) wholeNumber(takeOption(rest, "--scale-heap-mb", "1024"), "--scale-heap-mb");
            long samples = wholeNumber(takeOption(rest, "--scale-samples", "120000"), "--scale-samples");
            long csvRows = wholeNumber(takeOption(rest, "--csv-rows", "1000000"), "--csv-rows");
            RunOptions options = RunOptions.parse(rest);
            out.print(Json.pretty(DataBench.run(options.config(), options.overrides(), heapMb, samples, csvRows,
                    Ticker.system(), err)));
            return;
        }
        if (!args.isEmpty() && args.get(0).equals("peers")) {
            peers(args.subList(1, args.size()), out, err);
            return;
        }
        if (args.isEmpty() || !args.get(0).equals("trainer")) {
            timeToAccuracy(args, out, err);
            return;
        }
        long steps = 40;
        java.nio.file.Path config = null;
        List<String> overrides = new java.util.ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--steps" -> steps = Long.parseLong(args.get(++i));
                case "--set" -> overrides.add(args.get(++i));
                default -> config = java.nio.file.Path.of(args.get(i));
            }
        }
        out.print(TrainerThroughputBench.json(
                TrainerThroughputBench.run(config, overrides, steps, Ticker.system(), err)));
    }

    private static void peers(List<String> args, PrintStream out, PrintStream err) {
        long steps = 30;
        java.nio.file.Path config = null;
        List<String> overrides = new java.util.ArrayList<>();
        List<String> networks = List.of();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--steps" -> steps = Long.parseLong(args.get(++i));
                case "--set" -> overrides.add(args.get(++i));
                case "--networks" -> networks = List.of(args.get(++i).split(","));
                default -> config = java.nio.file.Path.of(args.get(i));
            }
        }
        for (String network : networks) {
            if (!PeerBench.NETWORKS.containsKey(network)) {
                throw new EfftrainException(ExitCode.USAGE, "bench peers --networks: unknown network '" + network
                        + "'; choose from " + String.join(",", PeerBench.NETWORKS.keySet()));
            }
        }
        if (config == null) {
            throw new EfftrainException(ExitCode.USAGE, "bench peers needs a config file, for example "
                    + "conf/fashion-mnist.conf");
        }
        out.print(Json.pretty(PeerBench.run(config, overrides, networks, steps, Ticker.system(), err)));
    }

    private static void timeToAccuracy(List<String> args, PrintStream out, PrintStream err) {
        BenchOptions o = BenchOptions.parse(args, Clock.systemUTC());
        List<String> overrides = new java.util.ArrayList<>(o.overrides());
        if (o.config() == null) {
            overrides.addAll(0, TimeToAccuracyBench.DEFAULT_RECIPE);
        }
        new TimeToAccuracyBench(Clock.systemUTC(), Ticker.system(), err).run(o.config(), overrides, o.quick(), o.out(),
                o.selectedRecipes());
        out.println("bench=" + o.out().resolve("bench.json") + " plot=" + o.out().resolve("accuracy-vs-time.png"));
    }
}
