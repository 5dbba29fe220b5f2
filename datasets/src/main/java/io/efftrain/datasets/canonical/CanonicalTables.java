package io.efftrain.datasets.canonical;

import static org.apache.spark.sql.functions.col;

import io.efftrain.pipeline.error.EfftrainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes and reads canonical tables as Parquet partitioned by split. A write goes to a temporary sibling and is
 * renamed into place only when complete, so a failed job leaves no partial table and an earlier table intact.
 */
public final class CanonicalTables {
    private CanonicalTables() {
    }

    /** Writes {@code table} (canonical schema) to {@code path}; fails if {@code path} exists. */
    public static void write(Dataset<Row> table, String path) {
        SparkSession spark = table.sparkSession();
        Path target = new Path(path);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(target)) {
                throw EfftrainException.badConfig(path + ": a table exists there already; choose another path.");
            }
            fs.delete(tmp, true);
            try {
                table.write().mode(SaveMode.ErrorIfExists).partitionBy(CanonicalLayout.SPLIT).parquet(tmp.toString());
            } catch (RuntimeException failure) {
                fs.delete(tmp, true);
                throw failure;
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename of " + tmp + " to " + target + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write canonical table " + path, e);
        }
    }

    /** Whether a committed table exists at {@code path}. */
    public static boolean exists(SparkSession spark, String path) {
        Path target = new Path(path);
        try {
            return target.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check for table " + path, e);
        }
    }

    /** Reads one split of a canonical table. */
    public static Dataset<Row> readSplit(SparkSession spark, String path, String split) {
        return spark.read().parquet(path).where(col(CanonicalLayout.SPLIT).equalTo(split));
    }
}
