package io.efftrain.jobs;

import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.SelectionPolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The data-centric stages {@code run} applies between prepare and training when the config enables them:
 * duplicate removal, then scoring and static selection (or scoring alone, for a curriculum). Each writes its own table in the run directory, so a
 * resumed run finds them done (the jobs are idempotent) and the run keeps every removed example.
 */
final class SamplingStages {
    private SamplingStages() {
    }

    /** The table training should read, after the enabled stages. */
    static PreparedData apply(SparkSession spark, EfftrainConfig config, PreparedData prepared, Path dataDir,
                              Ticker ticker, PrintStream progress) {
        PreparedData current = prepared;
        if (config.sampling().dedupEnabled()) {
            String out = dataDir.resolve("deduplicated").toUri().toString();
            DedupJob.run(spark, config, current.tablePath(), out, true, ticker, progress);
            current = read(spark, out);
        }
        String scores = scoresPath(config, dataDir);
        boolean scored = config.sampling().scoring().table().isPresent();
        if (config.sampling().selection().policy() != SelectionPolicy.NONE) {
            if (!scored) {
                ScoreJob.run(spark, config, current.tablePath(), scores, true, ticker, progress);
            }
            String out = dataDir.resolve("selected").toUri().toString();
            PruneJob.run(spark, config, current.tablePath(), scores, out, true, progress);
            current = read(spark, out);
        } else if (config.sampling().curriculum().enabled() && !scored) {
            // A selection's scores cover the selected examples too; only a curriculum alone needs its own.
            ScoreJob.run(spark, config, current.tablePath(), scores, true, ticker, progress);
        }
        return current;
    }

    /**
     * The example scores a selection or a curriculum uses: sampling.scoring.table if set, else where
     * {@link #apply} writes them.
     */
    static String scoresPath(EfftrainConfig config, Path dataDir) {
        return config.sampling().scoring().table().orElseGet(() -> dataDir.resolve("scores").toUri().toString());
    }

    private static PreparedData read(SparkSession spark, String table) {
        return new PreparedData(table, io.efftrain.datasets.canonical.TableManifest.read(table,
                spark.sparkContext().hadoopConfiguration()));
    }
}
