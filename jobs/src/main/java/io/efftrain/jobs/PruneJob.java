package io.efftrain.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.SelectionPolicy;
import io.efftrain.pipeline.data.Columns;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.sampling.scores.ScoreColumns;
import io.efftrain.sampling.selection.StaticSelection;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code efftrain prune}: a canonical table whose training split keeps only the examples the selection policy
 * chooses by their scores; validation and test are untouched. The removed examples go to {@code _removed/}
 * with their rank, score and the reason.
 */
final class PruneJob {
    private PruneJob() {
    }

    /** What the job did. */
    record Outcome(String table, boolean alreadyDone, Map<String, Object> lineage) {
    }

    static Outcome run(SparkSession spark, EfftrainConfig config, String in, String scores, String out,
                       boolean overwrite, PrintStream progress) {
        if (config.sampling().selection().policy() == SelectionPolicy.NONE) {
            throw EfftrainException.badConfig("prune: sampling.selection.policy is none; choose hardest, easiest, "
                    + "moderate, stratified, offset or random (and keep-fraction or keep-count).");
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TableManifest input = TableManifest.read(in, hadoop);
        Object scoresKey = StageOutputs.scoresInfo(scores, hadoop).get("job_key");
        String settings = StageOutputs.settings(config, "sampling.selection", "run.seed");
        String key = JobKey.of("prune", List.of(input, String.valueOf(scoresKey), settings));
        if (StageOutputs.tableDone(out, key, hadoop)) {
            progress.println("[prune] " + out + " is up to date (same inputs and settings); nothing to do");
            return new Outcome(out, true, TableManifest.read(out, hadoop).lineage());
        }
        Dataset<Row> table = spark.read().parquet(in);
        Dataset<Row> train = table.where(col(Columns.SPLIT).equalTo("train"));
        Dataset<Row> scored = train.join(spark.read().parquet(scores).drop(Columns.LABEL), Columns.ID);
        long trainCount = train.count();
        long scoredCount = scored.count();
        if (scoredCount != trainCount) {
            throw EfftrainException.badInput(scores + ": has scores for " + scoredCount + " of the " + trainCount
                    + " training examples of " + in + "; score this table first (efftrain score --in " + in + ").");
        }
        StaticSelection selection = new StaticSelection(config.sampling().selection(), config.run().seed());
        Dataset<Row> ranked = selection.transform(scored).cache();
        String[] canonical = {Columns.ID, Columns.LABEL, Columns.FEATURES, Columns.SPLIT};
        Dataset<Row> kept = table.where(col(Columns.SPLIT).notEqual("train"))
                .select(canonical[0], canonical[1], canonical[2], canonical[3])
                .unionByName(ranked.where(col(StaticSelection.SELECTED))
                        .select(canonical[0], canonical[1], canonical[2], canonical[3]));
        String column = ScoreColumns.column(config.sampling().selection().score());
        Dataset<Row> removed = ranked.where(col(StaticSelection.SELECTED).equalTo(false))
                .select(col(Columns.ID), col(Columns.LABEL), col(StaticSelection.RANK), col(column).as("score"),
                        lit("pruned: " + selection.describe()).as("reason"));
        long keptCount = ranked.where(col(StaticSelection.SELECTED)).count();
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("job", "prune");
        lineage.put("job_key", key);
        lineage.put("input", in);
        lineage.put("scores", scores);
        lineage.put("settings", settings);
        lineage.put("selection", selection.describe());
        lineage.put("train_before", trainCount);
        lineage.put("train_kept", keptCount);
        StageOutputs.writeTable(spark, kept, removed, out, overwrite, input, lineage);
        ranked.unpersist();
        progress.printf(Locale.ROOT, "[prune] %s: kept %d of %d training examples -> %s%n", selection.describe(),
                keptCount, trainCount, out);
        return new Outcome(out, false, lineage);
    }
}
