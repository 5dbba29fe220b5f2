package io.efftrain.jobs.bench;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.data.FeatureEncoding;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A canonical table made large by copying another's training split: the scale test's and the data benchmark's
 * table larger than the heap, built by Spark from real examples without preparing a large source. Each copy's ids
 * get a suffix, so the table is valid (ids unique), and every copy but the first moves each pixel by at most one
 * level (a seeded pattern per copy): exact copies would be stored once by Parquet's dictionary encoding, and the
 * table on disk would not be the size it claims. Its other splits are kept once. uint8 tables only.
 */
public final class ReplicatedTable {
    /** The canonical table's training split. */
    private static final String TRAIN = "train";
    private static final String ROW_GROUP = "parquet.block.size";

    private ReplicatedTable() {
    }

    /**
     * Writes {@code base}'s training split {@code copies} times (and its other splits once) to {@code out}, with a
     * manifest derived from the base's.
     *
     * @param rowGroupBytes Parquet row-group size: a reader holds one row group's column chunk in its heap, so a
     *     table read by a small heap needs small row groups (Spark's default is 128 MB)
     * @return the new table's manifest
     */
    public static TableManifest write(SparkSession spark, String base, int copies, String out, int rowGroupBytes) {
        Configuration hadoop = new Configuration(spark.sparkContext().hadoopConfiguration());
        TableManifest manifest = TableManifest.read(base, hadoop);
        if (manifest.encoding() != FeatureEncoding.UINT8) {
            throw new IllegalArgumentException(base + " stores " + manifest.encoding() + " features; a replicated "
                    + "table is made from a uint8 table");
        }
        UserDefinedFunction jitter = functions.udf((UDF2<byte[], Long, byte[]>) ReplicatedTable::jitter,
                DataTypes.BinaryType);
        Dataset<Row> table = spark.read().parquet(base);
        Column isTrain = functions.col(CanonicalLayout.SPLIT).equalTo(TRAIN);
        Column[] columns = Arrays.stream(table.columns()).map(functions::col).toArray(Column[]::new);
        Dataset<Row> train = table.where(isTrain)
                .crossJoin(functions.broadcast(spark.range(copies).toDF("_copy")))
                .withColumn(CanonicalLayout.ID, functions.concat_ws("#", functions.col(CanonicalLayout.ID),
                        functions.col("_copy").cast("string")))
                .withColumn(CanonicalLayout.FEATURES, jitter.apply(functions.col(CanonicalLayout.FEATURES),
                        functions.col("_copy")))
                .select(columns);
        Dataset<Row> replicated = train.unionByName(table.where(functions.not(isTrain)));
        String previous = spark.conf().get(ROW_GROUP, null);
        spark.conf().set(ROW_GROUP, rowGroupBytes);
        try {
            write(spark, replicated, manifest, base, copies, out, hadoop);
        } finally {
            if (previous == null) {
                spark.conf().unset(ROW_GROUP);
            } else {
                spark.conf().set(ROW_GROUP, previous);
            }
        }
        return TableManifest.read(out, hadoop);
    }

    private static void write(SparkSession spark, Dataset<Row> replicated, TableManifest manifest, String base,
                              int copies, String out, Configuration hadoop) {
        CanonicalTables.write(replicated, out, false, tmp -> {
            manifest.derive(CanonicalTables.counts(spark, tmp), Map.of("replicated_from", base, "train_copies", copies))
                    .writeInto(tmp, hadoop);
        });
    }

    /** Copy {@code copy} of a uint8 example: the first unchanged, the others with every pixel moved by 0 or 1. */
    static byte[] jitter(byte[] pixels, Long copy) {
        if (copy == 0) {
            return pixels;
        }
        byte[] out = pixels.clone();
        SplittableRandom random = new SplittableRandom(copy);
        for (int i = 0; i < out.length; i++) {
            int value = out[i] & 0xFF;
            int moved = value + (random.nextBoolean() ? 1 : -1);
            out[i] = (byte) (moved < 0 || moved > 255 ? value : moved);
        }
        return out;
    }
}
