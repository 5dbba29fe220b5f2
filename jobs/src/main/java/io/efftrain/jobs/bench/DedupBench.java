package io.efftrain.jobs.bench;

import io.efftrain.jobs.DedupJob;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.Columns;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * {@code dedup} of a prepared table against plain Spark doing the same I/O in the same session: read the table,
 * write it again as Parquet by split. What dedup adds (the exact digests, the LSH search for near copies and the
 * distance check of every candidate pair, the table of removed examples) is what the ratio prices.
 */
final class DedupBench {
    private DedupBench() {
    }

    static Map<String, Object> run(SparkSession spark, EfftrainConfig config, String table, Path dir, Ticker ticker,
                                   PrintStream progress) {
        Stopwatch t = Stopwatch.start(ticker);
        spark.read().parquet(table).write().partitionBy(Columns.SPLIT)
                .parquet(dir.resolve("plain-copy").toUri().toString());
        double plain = t.seconds();
        t = Stopwatch.start(ticker);
        DedupJob.Outcome outcome = DedupJob.run(spark, config, table, dir.resolve("deduplicated").toUri().toString(),
                false, ticker, progress);
        double dedup = t.seconds();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plain_spark_seconds", plain);
        out.put("dedup_seconds", dedup);
        out.put("dedup_vs_plain_spark", plain / dedup);
        out.put("candidate_pairs", outcome.lineage().get("candidate_pairs"));
        out.put("removed_near", outcome.lineage().get("removed_near"));
        out.put("removed_exact", outcome.lineage().get("removed_exact"));
        progress.printf(Locale.ROOT, "[bench data] dedup of the table: %.1f s against plain Spark's read and write "
                + "of it, %.1f s: %.2fx plain Spark's rate (%s candidate pairs checked)%n", dedup, plain, plain / dedup,
                outcome.lineage().get("candidate_pairs"));
        return out;
    }
}
