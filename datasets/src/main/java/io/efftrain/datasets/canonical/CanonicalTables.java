package io.efftrain.datasets.canonical;

import static org.apache.spark.sql.functions.col;

import io.efftrain.pipeline.error.EfftrainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
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

    /** Writes {@code table} (canonical schema) to {@code path}, without a manifest; fails if {@code path} exists. */
    public static void write(Dataset<Row> table, String path) {
        write(table, path, false, tmp -> { });
    }

    /**
     * Writes {@code table} to a temporary sibling of {@code path}, lets {@code finish} add files to it (the
     * manifest, computed from the written data), then renames it into place. Until that rename nothing is
     * visible at {@code path}; if anything fails, the temporary copy is deleted and an earlier table at
     * {@code path} is untouched.
     *
     * @param overwrite replace an existing table (the old one is removed only after the new one is complete)
     */
    public static void write(Dataset<Row> table, String path, boolean overwrite, Consumer<String> finish) {
        SparkSession spark = table.sparkSession();
        Path target = new Path(path);
        // No leading dot: Spark treats such names as hidden and warns when it reads the written copy back.
        Path tmp = new Path(target.getParent(), target.getName() + ".tmp");
        Path old = new Path(target.getParent(), target.getName() + ".old");
        try {
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(target) && !overwrite) {
                throw EfftrainException.badConfig(path + ": a table exists there already; choose another path or "
                        + "pass --overwrite.");
            }
            fs.delete(tmp, true);
            try {
                table.write().mode(SaveMode.ErrorIfExists).partitionBy(CanonicalLayout.SPLIT).parquet(tmp.toString());
                finish.accept(tmp.toString());
            } catch (RuntimeException failure) {
                fs.delete(tmp, true);
                throw failure;
            }
            boolean replacing = fs.exists(target);
            if (replacing) {
                fs.delete(old, true);
                rename(fs, target, old);
            }
            rename(fs, tmp, target);
            if (replacing) {
                fs.delete(old, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write canonical table " + path, e);
        }
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("rename of " + from + " to " + to + " failed");
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
