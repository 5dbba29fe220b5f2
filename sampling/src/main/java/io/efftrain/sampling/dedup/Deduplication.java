package io.efftrain.sampling.dedup;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.udf;

import io.efftrain.pipeline.config.DedupSettings;
import io.efftrain.pipeline.data.Columns;
import io.efftrain.pipeline.data.FeatureDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.feature.BucketedRandomProjectionLSH;
import org.apache.spark.ml.feature.BucketedRandomProjectionLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Finds exact and near duplicates among examples and decides which to remove, keeping one per group.
 *
 * <p>Exact: identical feature bytes (whatever the labels say). Near: Spark MLlib's
 * {@link BucketedRandomProjectionLSH} supplies random projections; efftrain ANDs {@code projectionsPerKey} of
 * them into one bucket key and ORs {@code keys} such keys. MLlib's own similarity join ORs single projections,
 * which on images puts thousands of unrelated examples into every bucket; the AND makes buckets small, the OR
 * keeps recall. Candidate pairs are then checked with the exact Euclidean distance on normalised features.
 */
public final class Deduplication {
    public static final String KEPT_ID = "kept_id";
    public static final String REASON = "reason";
    public static final String DISTANCE = "distance";
    /** The layout of the table of removed examples. */
    public static final StructType REMOVED = new StructType()
            .add(Columns.ID, DataTypes.StringType, false)
            .add(KEPT_ID, DataTypes.StringType, false)
            .add(REASON, DataTypes.StringType, false)
            .add(DISTANCE, DataTypes.DoubleType, false);

    private Deduplication() {
    }

    /**
     * What was found.
     *
     * @param removed one row per removed example ({@link #REMOVED})
     * @param exactRemoved examples removed as identical copies
     * @param nearRemoved examples removed as near copies
     * @param candidatePairs pairs the LSH proposed (the work the distance check did)
     */
    public record Result(Dataset<Row> removed, long exactRemoved, long nearRemoved, long candidatePairs) {
    }

    /**
     * @param examples rows with {@code id} and {@code features}
     * @param decoder turns features into the normalised values distances are measured on
     */
    public static Result find(Dataset<Row> examples, DedupSettings settings, FeatureDecoder decoder, long seed) {
        // Digests and ids only: the exact part never needs to move the features.
        Dataset<Row> digested = examples.select(col(Columns.ID), sha2(col(Columns.FEATURES), 256).as("digest"));
        Dataset<Row> firstOfDigest = digested.groupBy("digest").agg(min(Columns.ID).as(KEPT_ID));
        List<Row> exactPairs = digested.join(firstOfDigest, "digest")
                .where(col(Columns.ID).notEqual(col(KEPT_ID)))
                .select(Columns.ID, KEPT_ID).collectAsList();
        DuplicateGroups groups = new DuplicateGroups();
        exactPairs.forEach(r -> groups.link(r.getString(0), r.getString(1), 0));
        long candidates = 0;
        if (settings.near()) {
            // Only one of each set of identical copies needs comparing with the rest.
            Dataset<Row> distinct = examples.select(Columns.ID, Columns.FEATURES);
            if (!exactPairs.isEmpty()) {
                List<Row> copies = exactPairs.stream().map(r -> RowFactory.create(r.getString(0))).toList();
                Dataset<Row> copyIds = examples.sparkSession().createDataFrame(copies,
                        new StructType().add(Columns.ID, DataTypes.StringType, false));
                distinct = distinct.join(broadcast(copyIds), distinct.col(Columns.ID).equalTo(copyIds.col(Columns.ID)),
                        "left_anti");
            }
            Dataset<Row> pairs = nearPairs(distinct, settings, decoder, seed).cache();
            candidates = pairs.count();
            for (Row r : pairs.where(col(DISTANCE).leq(settings.threshold())).collectAsList()) {
                groups.link(r.getString(0), r.getString(1), r.getDouble(2));
            }
            pairs.unpersist();
        }
        List<Row> removed = new ArrayList<>();
        long exact = 0;
        for (Map.Entry<String, String> e : groups.removed().entrySet()) {
            double distance = groups.closestDistance(e.getKey());
            boolean identical = distance == 0;
            exact += identical ? 1 : 0;
            removed.add(RowFactory.create(e.getKey(), e.getValue(), identical ? "exact" : "near", distance));
        }
        Dataset<Row> table = examples.sparkSession().createDataFrame(removed, REMOVED);
        return new Result(table, exact, removed.size() - exact, candidates);
    }

    /** Candidate pairs (id_a &lt; id_b) with their exact distance. */
    private static Dataset<Row> nearPairs(Dataset<Row> examples, DedupSettings settings, FeatureDecoder decoder,
                                          long seed) {
        UserDefinedFunction toVector = udf((UDF1<byte[], Vector>) bytes -> {
            float[] values = decode(decoder, bytes);
            double[] wide = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                wide[i] = values[i];
            }
            return Vectors.dense(wide);
        },
                SQLDataTypes.VectorType());
        // The vectors' size as column metadata: without it, fitting the LSH runs the whole plan to look at one row.
        Dataset<Row> vectors = examples.withColumn("vector", toVector.apply(col(Columns.FEATURES))
                .as("vector", new AttributeGroup("vector", decoder.featureSize()).toMetadata()));
        BucketedRandomProjectionLSHModel lsh = new BucketedRandomProjectionLSH()
                .setInputCol("vector").setOutputCol("hashes")
                .setBucketLength(settings.bucketLength())
                .setNumHashTables(settings.projectionsPerKey() * settings.keys())
                .setSeed(seed)
                .fit(vectors);
        int perKey = settings.projectionsPerKey();
        UserDefinedFunction keys = udf((UDF1<Seq<Vector>, String[]>) hashes -> {
            int k = hashes.size() / perKey;
            String[] out = new String[k];
            for (int g = 0; g < k; g++) {
                StringBuilder key = new StringBuilder().append(g);
                for (int j = 0; j < perKey; j++) {
                    key.append(':').append((long) hashes.apply(g * perKey + j).apply(0));
                }
                out[g] = key.toString();
            }
            return out;
        }, DataTypes.createArrayType(DataTypes.StringType));
        Dataset<Row> keyed = lsh.transform(vectors)
                .select(col(Columns.ID), posexplode(keys.apply(col("hashes"))).as(new String[] {"g", "key"}))
                .select(Columns.ID, "key");
        Dataset<Row> candidates = keyed.as("a").join(keyed.as("b"), "key")
                .where(col("a." + Columns.ID).lt(col("b." + Columns.ID)))
                .select(col("a." + Columns.ID).as("id_a"), col("b." + Columns.ID).as("id_b"))
                .distinct();
        UserDefinedFunction distance = udf((UDF2<byte[], byte[], Double>) (x, y) -> {
            float[] a = decode(decoder, x);
            float[] b = decode(decoder, y);
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
            }
            return Math.sqrt(sum);
        }, DataTypes.DoubleType);
        Dataset<Row> features = examples.select(Columns.ID, Columns.FEATURES);
        return candidates
                .join(features.withColumnRenamed(Columns.ID, "id_a").withColumnRenamed(Columns.FEATURES, "fa"), "id_a")
                .join(features.withColumnRenamed(Columns.ID, "id_b").withColumnRenamed(Columns.FEATURES, "fb"), "id_b")
                .select(col("id_a"), col("id_b"), distance.apply(col("fa"), col("fb")).as(DISTANCE));
    }

    private static float[] decode(FeatureDecoder decoder, byte[] bytes) {
        float[] out = new float[decoder.featureSize()];
        decoder.decode(bytes, 0, out, 0);
        return out;
    }
}
