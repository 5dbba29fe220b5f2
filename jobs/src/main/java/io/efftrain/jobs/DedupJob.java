package io.efftrain.jobs;

import static org.apache.spark.sql.functions.col;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.preprocess.NormalizationModel;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.NormalizationType;
import io.efftrain.pipeline.data.Columns;
import io.efftrain.sampling.dedup.Deduplication;
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
 * {@code efftrain dedup}: a canonical table without duplicate training examples. One example of each group of
 * exact or near copies is kept; the others go to {@code _removed/} with the id they duplicate, the reason and
 * the distance, so nothing is lost.
 */
public final class DedupJob {
    private DedupJob() {
    }

    /** What the job did. */
    public record Outcome(String table, boolean alreadyDone, Map<String, Object> lineage) {
    }

    /**
     * Deduplicates the table at {@code in} into {@code out}, or does nothing when {@code out} was made from the
     * same input and settings.
     */
    public static Outcome run(SparkSession spark, EfftrainConfig config, String in, String out, boolean overwrite,
                       Ticker ticker, PrintStream progress) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TableManifest input = TableManifest.read(in, hadoop);
        String settings = StageOutputs.settings(config, "sampling.dedup", "run.seed");
        String key = JobKey.of("dedup", List.of(input, settings));
        if (StageOutputs.tableDone(out, key, hadoop)) {
            progress.println("[dedup] " + out + " is up to date (same input and settings); nothing to do");
            return new Outcome(out, true, TableManifest.read(out, hadoop).lineage());
        }
        Stopwatch start = Stopwatch.start(ticker);
        Dataset<Row> table = spark.read().parquet(in);
        // Distances are measured on features scaled to [0, 1], whatever normalisation training uses, so the
        // threshold means the same for every table.
        var decoder = new NormalizationModel(NormalizationType.SCALE, input.encoding(), input.trainStatistics())
                .decoder();
        Deduplication.Result found = Deduplication.find(table.where(col(Columns.SPLIT).equalTo("train")),
                config.sampling().dedup(), decoder, config.run().seed());
        Dataset<Row> kept = table.join(found.removed().select(Columns.ID), table.col(Columns.ID)
                .equalTo(found.removed().col(Columns.ID)), "left_anti");
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("job", "dedup");
        lineage.put("job_key", key);
        lineage.put("input", in);
        lineage.put("settings", settings);
        lineage.put("removed_exact", found.exactRemoved());
        lineage.put("removed_near", found.nearRemoved());
        lineage.put("candidate_pairs", found.candidatePairs());
        StageOutputs.writeTable(spark, kept, found.removed(), out, overwrite, input, lineage);
        progress.printf(Locale.ROOT, "[dedup] removed %d exact and %d near copies from train (%d candidate pairs "
                + "checked) in %.1f s -> %s%n", found.exactRemoved(), found.nearRemoved(), found.candidatePairs(),
                start.seconds(), out);
        return new Outcome(out, false, lineage);
    }
}
