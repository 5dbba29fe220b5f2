package io.efftrain.jobs;

import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.prepare.TablePreparer;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.SourceType;
import org.apache.spark.sql.SparkSession;
import org.slf4j.LoggerFactory;

/** The prepare stage of {@code run}: the configured source to the canonical Parquet table and its manifest. */
final class PrepareStage {
    static final String TRAIN = "train";
    static final String TEST = "test";

    private PrepareStage() {
    }

    static PreparedData run(SparkSession spark, EfftrainConfig config, String tablePath) {
        if (config.data().source() == SourceType.TABLE) {
            String table = PrepareJob.tableUri(config.data().table().orElseThrow());
            TableManifest manifest = TableManifest.read(table, spark.sparkContext().hadoopConfiguration());
            TableSettingsCheck.notApplied(config.data(), table, manifest.normalization(), manifest.countsBySplit())
                    .forEach(LoggerFactory.getLogger(PrepareStage.class)::warn);
            return new PreparedData(table, manifest);
        }
        // A resumed run keeps the table its first attempt committed.
        TableManifest manifest = CanonicalTables.exists(spark, tablePath)
                ? TableManifest.read(tablePath, spark.sparkContext().hadoopConfiguration())
                : TablePreparer.prepare(spark, config.data(), config.run().seed(), tablePath, false);
        return new PreparedData(tablePath, manifest);
    }
}
