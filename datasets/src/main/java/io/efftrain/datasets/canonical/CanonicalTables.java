package io.efftrain.datasets.canonical;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import io.efftrain.datasets.AtomicDirectory;
import io.efftrain.datasets.SettledWrite;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
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
     * Writes {@code table} through {@link AtomicDirectory}: Parquet partitioned by split, then {@code finish} adds
     * files to the written copy (the manifest, computed from the written data) before it is renamed into place.
     *
     * @param overwrite replace an existing table (the old one is removed only after the new one is complete)
     */
    public static void write(Dataset<Row> table, String path, boolean overwrite, Consumer<String> finish) {
        AtomicDirectory.commit(path, overwrite, table.sparkSession().sparkContext().hadoopConfiguration(), tmp -> {
            writeParquet(table, tmp);
            finish.accept(tmp);
        });
    }

    /** Writes {@code table} (canonical schema) as Parquet by split into {@code dir}, which must not exist. */
    public static void writeParquet(Dataset<Row> table, String dir) {
        SettledWrite.run(table.sparkSession(), "write " + dir, () ->
                table.write().mode(SaveMode.ErrorIfExists).partitionBy(CanonicalLayout.SPLIT).parquet(dir));
    }

    /**
     * The {@link CanonicalLayout#repeatKey}s of the ids that occur more than once in the table written at
     * {@code path}: one small job reading only the id column.
     */
    public static Set<Long> repeatedIdKeys(SparkSession spark, String path) {
        return CanonicalLayout.repeatedKeys(spark.read().parquet(path), CanonicalLayout.ID);
    }

    /** Up to {@code limit} ids that occur more than once in the table at {@code path}, with their counts. */
    public static Map<String, Long> repeatedIds(SparkSession spark, String path, int limit) {
        Map<String, Long> out = new TreeMap<>();
        for (Row row : spark.read().parquet(path).groupBy(CanonicalLayout.ID).count().where(col("count").gt(1))
                .limit(limit).collectAsList()) {
            out.put(row.getString(0), row.getLong(1));
        }
        return out;
    }

    /**
     * Examples per split and per split and label of a written table.
     *
     * @param bySplit examples per split
     * @param byClass examples per split and label
     */
    public record Counts(Map<String, Long> bySplit, Map<String, Map<Integer, Long>> byClass) {
        public int maxLabel() {
            return byClass.values().stream().flatMap(m -> m.keySet().stream()).mapToInt(Integer::intValue).max()
                    .orElse(-1);
        }
    }

    /** Counts a written table's examples (one small Spark aggregation). */
    public static Counts counts(SparkSession spark, String path) {
        Map<String, Long> bySplit = new TreeMap<>();
        Map<String, Map<Integer, Long>> byClass = new TreeMap<>();
        for (Row row : spark.read().parquet(path).groupBy(CanonicalLayout.SPLIT, CanonicalLayout.LABEL).count()
                .collectAsList()) {
            bySplit.merge(row.getString(0), row.getLong(2), Long::sum);
            byClass.computeIfAbsent(row.getString(0), k -> new TreeMap<>()).put(row.getInt(1), row.getLong(2));
        }
        return new Counts(bySplit, byClass);
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
