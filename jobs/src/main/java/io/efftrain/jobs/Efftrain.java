package io.efftrain.jobs;

import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * efftrain from a notebook or {@code spark-shell --jars efftrain.jar}: the {@code prepare} and {@code run} jobs in
 * the session you already have, with the results back as DataFrames.
 *
 * <pre>{@code
 * import io.efftrain.jobs.Efftrain
 * val job = Efftrain.config("conf/fashion-mnist.conf", "train.budget.epochs=2", "data.train-limit=6000")
 * val run = job.run(spark, "/shared/runs/fm-1")      // prepare, train, evaluate; a committed run directory
 * run.testAccuracy
 * run.metrics.show()                                  // one row per averaging round (metrics.jsonl)
 * run.data.countsBySplit.show()
 * val table = job.prepare(spark, "/shared/tables/fm") // or only the canonical table
 * }</pre>
 *
 * The jobs are the same code as the command line's (same run directory, same exit conditions as exceptions); the
 * session is not stopped. A config's {@code spark.master} and static {@code spark.conf} settings have no effect on
 * a running session; its runtime SQL settings (such as {@code spark.sql.shuffle.partitions}) are applied to it.
 * Instances are immutable: {@link #set} and {@link #overwriting} return new ones.
 */
public final class Efftrain {
    private final Path configFile;
    private final List<String> overrides;
    private final boolean overwrite;
    private final PrintStream progress;

    private Efftrain(Path configFile, List<String> overrides, boolean overwrite, PrintStream progress) {
        this.configFile = configFile;
        this.overrides = List.copyOf(overrides);
        this.overwrite = overwrite;
        this.progress = progress;
    }

    /**
     * A job configured by a HOCON file and {@code key=value} overrides (as {@code --set} takes them). The config is
     * checked now, so a typo fails here rather than in the middle of a run.
     */
    public static Efftrain config(String file, String... overrides) {
        Efftrain job = new Efftrain(Path.of(file), Arrays.asList(overrides), false, System.err);
        job.resolved();
        return job;
    }

    /** The same job with more overrides, applied after the existing ones. */
    public Efftrain set(String... more) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(Arrays.asList(more));
        Efftrain job = new Efftrain(configFile, all, overwrite, progress);
        job.resolved();
        return job;
    }

    /** The same job, allowed to replace a completed run or an existing table (once the new one is complete). */
    public Efftrain overwriting() {
        return new Efftrain(configFile, overrides, true, progress);
    }

    /** The same job, printing its progress lines to {@code out} instead of standard error. */
    public Efftrain progressTo(PrintStream out) {
        return new Efftrain(configFile, overrides, overwrite, out);
    }

    /** The typed config: defaults, then the file, then the overrides. */
    public EfftrainConfig resolved() {
        return ConfigLoader.load(configFile, overrides);
    }

    /** The resolved config as HOCON text (what a run saves as config.conf). */
    public String render() {
        return resolved().render();
    }

    /**
     * Writes the configured source as a canonical table at {@code table}: a local path or a Hadoop URI
     * ({@code hdfs://...}), as {@code prepare --out} takes it.
     */
    public PreparedTable prepare(SparkSession spark, String table) {
        SparkSession.setActiveSession(spark);
        PrepareJob.run(configFile, overrides, table, overwrite, Ticker.system(), progress);
        return PreparedTable.open(spark, PrepareJob.tableUri(table));
    }

    /** Prepares, trains and evaluates; returns the committed run directory {@code runDir}. */
    public TrainedRun run(SparkSession spark, String runDir) {
        return run(spark, runDir, false);
    }

    /** Continues a killed or failed run in {@code runDir} from its last checkpoint (same config). */
    public TrainedRun resume(SparkSession spark, String runDir) {
        return run(spark, runDir, true);
    }

    private TrainedRun run(SparkSession spark, String runDir, boolean resume) {
        // The jobs join the active session (SparkSession.builder().getOrCreate()): make it the caller's.
        SparkSession.setActiveSession(spark);
        RunOptions options = new RunOptions(configFile, Path.of(runDir), overrides, overwrite, resume);
        RunJob.Outcome outcome = new RunJob(Clock.systemUTC(), Ticker.system(), progress).run(options);
        if (outcome.missedTarget()) {
            progress.println("efftrain: the budget ended before train.evaluation.target-accuracy was reached;"
                    + " the run is committed.");
        }
        return TrainedRun.open(spark, outcome.runDir().toString());
    }

    /** A run committed earlier (by the command line or a notebook). */
    public static TrainedRun openRun(SparkSession spark, String runDir) {
        return TrainedRun.open(spark, runDir);
    }

    /** A canonical table prepared earlier. */
    public static PreparedTable openTable(SparkSession spark, String table) {
        return PreparedTable.open(spark, PrepareJob.tableUri(table));
    }
}
