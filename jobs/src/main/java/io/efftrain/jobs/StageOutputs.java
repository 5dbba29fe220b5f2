package io.efftrain.jobs;

import io.efftrain.datasets.AtomicDirectory;
import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.Json;
import com.typesafe.config.ConfigRenderOptions;
import io.efftrain.pipeline.config.EfftrainConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Outputs of the stage jobs: derived canonical tables (kept examples, with the removed ones in
 * {@code _removed/} beside them and a manifest whose lineage says how they were made) and score tables (with
 * {@code _scores.json}). Both carry the job key, so a rerun with the same inputs and settings is a no-op.
 */
final class StageOutputs {
    static final String REMOVED = "_removed";
    static final String SCORES_INFO = "_scores.json";

    private StageOutputs() {
    }

    /** The settings a job reads, as canonical HOCON text (sorted keys), for job keys and lineage. */
    static String settings(EfftrainConfig config, String... paths) {
        StringBuilder out = new StringBuilder();
        for (String path : paths) {
            out.append(path).append('=').append(config.resolved().getValue(path)
                    .render(ConfigRenderOptions.concise())).append(';');
        }
        return out.toString();
    }

    /** Whether {@code out} already holds a table this job made from these inputs and settings. */
    static boolean tableDone(String out, String key, Configuration hadoop) {
        if (!AtomicDirectory.exists(out, hadoop)) {
            return false;
        }
        Map<String, Object> lineage = TableManifest.read(out, hadoop).lineage();
        return lineage != null && key.equals(lineage.get("job_key"));
    }

    /** Commits {@code kept} as a derived table of {@code input}, with {@code removed} beside it. */
    static TableManifest writeTable(SparkSession spark, Dataset<Row> kept, Dataset<Row> removed, String out,
                                    boolean overwrite, TableManifest input, Map<String, Object> lineage) {
        TableManifest[] written = new TableManifest[1];
        CanonicalTables.write(kept, out, overwrite, tmp -> {
            removed.write().parquet(new Path(tmp, REMOVED).toString());
            written[0] = input.derive(CanonicalTables.counts(spark, tmp), lineage);
            written[0].writeInto(tmp, spark.sparkContext().hadoopConfiguration());
        });
        return written[0];
    }

    /** Commits a score table with its description. */
    static void writeScores(Dataset<Row> scores, String out, boolean overwrite, Map<String, Object> info) {
        Configuration hadoop = scores.sparkSession().sparkContext().hadoopConfiguration();
        AtomicDirectory.commit(out, overwrite, hadoop, tmp -> {
            scores.write().parquet(tmp);
            Path file = new Path(tmp, SCORES_INFO);
            try (OutputStream stream = file.getFileSystem(hadoop).create(file, true)) {
                stream.write(Json.pretty(info).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        });
    }

    /** The description of a committed score table. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> scoresInfo(String scores, Configuration hadoop) {
        Path file = new Path(scores, SCORES_INFO);
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                throw EfftrainException.badInput(scores + ": is not a score table (no " + SCORES_INFO + "). Make one "
                        + "with 'efftrain score'.");
            }
            try (InputStream in = fs.open(file)) {
                return Json.mapper().readValue(in, Map.class);
            }
        } catch (IOException e) {
            throw EfftrainException.badInput(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
